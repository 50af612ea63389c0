import type { LoaderFunctionArgs } from "@remix-run/node";
import { type GuideAnswer, type GuideResponse } from "../domain/conversation-guide";
import { slugify } from "../domain/organisations";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";
import { textErrors } from "../services/errors.server";
import { createPdf } from "../services/pdf.server";
import { formatDate as writtenDate } from "../domain/dates";
import { capitalise } from "../domain/text";
import { sharedGuide } from "../services/conversation-guide.server";
import { PRIORITY, RESPONSE_TEXT } from "../ui/report";


/** One line of an item: its font, size, text and whether it is a bullet. */
type Line = { bold?: boolean; size?: number; text: string; bullet?: boolean; gap?: number };

/** The conversation guide as an A4 PDF, the same agenda as the page, for filing or taking into the meeting. */
// A refusal (403, 404) is a short plain-text answer, not the generic error page of a document request.
export const loader = (args: LoaderFunctionArgs) => textErrors(() => guidePdf(args));

async function guidePdf({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const { report, supplier, guide } = await sharedGuide(user, params.assessmentId!);
  const submitted = report.submission.submittedAt.slice(0, 10);

  const { doc, finish } = createPdf({ Title: `Conversation guide – ${supplier.name}`, Author: user.organisationName });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  const heightOf = (line: Line) => {
    doc.font(line.bold ? "Helvetica-Bold" : "Helvetica").fontSize(line.size ?? 10.5);
    return doc.heightOfString(line.bullet ? `•  ${line.text}` : line.text, { width: line.bullet ? width - 12 : width }) + (line.gap ?? 2);
  };
  // An item stays on one page when it fits on one: a new page starts rather than splitting it.
  const block = (lines: Line[]) => {
    const needed = lines.reduce((sum, l) => sum + heightOf(l), 0) + 8;
    if (doc.y + needed > bottom() && needed < bottom() - doc.page.margins.top) doc.addPage();
    for (const line of lines) {
      doc.font(line.bold ? "Helvetica-Bold" : "Helvetica").fontSize(line.size ?? 10.5);
      if (line.bullet) doc.text(`•  ${line.text}`, doc.page.margins.left + 12, doc.y, { width: width - 12 });
      else doc.text(line.text, doc.page.margins.left, doc.y, { width });
      doc.y += line.gap ?? 2;
    }
    doc.moveDown(0.8);
  };
  const heading = (text: string) => block([{ bold: true, size: 14, text, gap: 6 }]);
  const label = (text: string): Line => ({ bold: true, text, gap: 1 });
  const answers = (ts: GuideAnswer[]): Line[] => (ts.length === 0 ? [] : [label("Because the supplier answered"), ...ts.map((t) => ({ text: `${t.question} ${t.answer}`, bullet: true }))]);
  const probes = (ps: string[]): Line[] => (ps.length === 0 ? [] : [label("Questions to ask"), ...ps.map((p) => ({ text: p, bullet: true }))]);
  const response = (r: GuideResponse | null): Line[] => [
    label("The supplier's response"),
    { text: r ? `${RESPONSE_TEXT[r.response]}${r.targetDate ? `, by ${writtenDate(r.targetDate)}` : ""}${r.reason ? `: ${r.reason}` : ""}` : "No response yet." },
  ];

  const [redFlags, caps, recommendations, themes] = guide.sections;
  const s = guide.summary;
  doc.font("Helvetica-Bold").fontSize(20).text("Conversation guide");
  doc.font("Helvetica").fontSize(11).text(`${supplier.name} · assessment submitted ${writtenDate(report.submission.submittedAt)} · ${report.questionnaire.title} v${report.submission.version}`);
  doc.moveDown(0.5);
  const summary = [
    `Rating: ${s.rating.label}`,
    `${s.exposure ? "Management score" : "Overall score"}: ${s.overall === null ? "not scored" : `${s.overall}%`}`,
    ...(s.exposure ? [`Exposure: ${capitalise(s.exposure)}`] : []),
    `Red flags: ${s.redFlags}`,
    `Recommendations: ${s.recommendations}${s.awaitingResponse > 0 ? `, ${s.awaitingResponse} without a response from the supplier yet` : ""}`,
  ];
  block([...summary.map((text) => ({ text })), ...(s.explanation ? [{ text: s.explanation, gap: 4 }] : [])]);

  let step = 0;
  heading(`${++step}. ${redFlags.title}`);
  if (redFlags.items.length === 0) block([{ text: "The assessment raised no red flags." }]);
  for (const f of redFlags.items) {
    block([{ bold: true, size: 12, text: `${f.title}${f.followUp ? " (follow-up needed)" : ""}` }, { text: f.description, gap: 4 }, ...answers(f.triggeredBy), ...probes(f.probes)]);
  }
  if (caps.items.length > 0) {
    heading(`${++step}. ${caps.title}`);
    for (const c of caps.items) block([{ bold: true, size: 12, text: `No better than ${c.atBestLabel}` }, { text: c.reason, gap: 4 }, ...answers(c.triggeredBy)]);
  }
  heading(`${++step}. ${recommendations.title}`);
  if (recommendations.items.length === 0) block([{ text: "The supplier's answers triggered no recommendations." }]);
  for (const r of recommendations.items) {
    block([
      { bold: true, size: 12, text: `${r.title} (${PRIORITY[r.priority].label})` },
      { text: `${r.themeTitle}: ${r.themePercent === null ? "not scored" : `${r.themePercent}%`}`, gap: 4 },
      ...probes(r.probes),
      label("What good looks like"),
      { text: r.good, gap: 4 },
      label("Why it matters"),
      { text: r.why, gap: 4 },
      ...response(r.response),
      ...answers(r.triggeredBy),
    ]);
  }
  if (themes.items.length > 0) {
    heading(`${++step}. ${themes.title}`);
    for (const t of themes.items) {
      block([
        { bold: true, size: 12, text: `${t.title}: ${t.percent}%` },
        ...(t.description ? [{ text: t.description, gap: 4 }] : []),
        ...(t.recommendations.length > 0 ? [{ text: `Recommendations in this theme: ${t.recommendations.map((r) => r.title).join("; ")}.`, gap: 4 }] : []),
        ...probes(t.probes),
      ]);
    }
  }
  const pdf = await finish();
  return download({ filename: `conversation-guide-${slugify(supplier.name)}-${submitted}.pdf`, contentType: "application/pdf", body: pdf });
}
