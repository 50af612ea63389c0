/**
 * A horizontal bar chart of percentages, one group of bars per KPI, as progressive enhancement: the
 * figure appears only once JavaScript runs, chart.js is fetched only then, and the same figures are
 * always in a table the caption points to. Without JavaScript the table carries everything.
 */
import { useEffect, useRef, useState } from "react";

export type ChartSeries = {
  label: string;
  /** One per label; null draws no bar (no figure, or too few to report). */
  data: Array<number | null>;
  colour: string;
};

/** Long KPI titles broken into lines of about `width` characters, so the axis stays readable. */
export function wrapLabel(text: string, width = 44): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function KpiChart({
  id,
  caption,
  description,
  tableId,
  tableText,
  labels,
  series,
}: {
  id: string;
  caption: string;
  /** What the chart shows, read out in place of the drawing. */
  description: string;
  /** The table holding the same figures. */
  tableId: string;
  tableText: string;
  labels: string[];
  series: ChartSeries[];
}) {
  const [enhanced, setEnhanced] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => setEnhanced(true), []);
  // The figures as one value, so the chart is redrawn only when they change.
  const key = JSON.stringify([labels, series]);
  useEffect(() => {
    if (!enhanced) return;
    // Set from script, not a style attribute: the content security policy allows no inline styles.
    if (box.current) box.current.style.height = `${labels.length * (series.length * 12 + 32) + 70}px`;
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    import("chart.js").then(({ Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip }) => {
      if (cancelled || !canvas.current) return;
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
      Chart.defaults.color = "#0b0c0c";
      Chart.defaults.font.family = '"GDS Transport", arial, sans-serif';
      Chart.defaults.font.size = 14;
      chart = new Chart(canvas.current, {
        type: "bar",
        data: {
          labels: labels.map((l) => wrapLabel(l)),
          datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.colour, borderColor: s.colour, barPercentage: 0.9, categoryPercentage: 0.8 })),
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { position: "top", align: "start" },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.raw === null ? "no figure" : `${item.raw}%`}` } },
          },
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: { autoSkip: false } } },
        },
      });
      canvas.current.dataset.drawn = "true";
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [enhanced, key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!enhanced) return null;
  return (
    <figure className="lantern-figure" aria-labelledby={`${id}-caption`}>
      <figcaption className="govuk-body" id={`${id}-caption`}>
        <strong>{caption}</strong>{" "}
        <a className="govuk-link" href={`#${tableId}`}>
          {tableText}
        </a>
      </figcaption>
      <div className="lantern-chart lantern-chart--wide" ref={box}>
        <canvas id={id} ref={canvas} role="img" aria-label={description} />
      </div>
    </figure>
  );
}
