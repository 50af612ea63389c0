/**
 * Published reference data the risk model reads (see data/README.md for sources, dates and
 * licences): country prevalence estimates, the goods listed as made with forced labour by country,
 * and which of those goods each commodity option stands for. Loaded and checked once, like a
 * questionnaire: every problem is named by file, line and column.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { isCountryCode } from "./countries";

export type ReferenceData = {
  /** Estimated prevalence of modern slavery per 1,000 people, by ISO country code. */
  prevalence: Map<string, number>;
  /** Country and good pairs listed as produced with forced labour. */
  forcedLabourGoods: Array<{ country: string; good: string }>;
  /** Commodity option value to the listed goods it stands for, with a label. */
  commodities: Map<string, { label: string; goods: string[] }>;
};

export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ReferenceDataError";
  }
}

type Row = Record<string, string>;

/** Rows of a CSV file with a header, each with its line number. */
export function readCsv(text: string, file: string, columns: string[], problems: string[]): Array<{ line: number; row: Row }> {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    problems.push(`${file}: not valid CSV: ${(error as Error).message}`);
    return [];
  }
  const [header, ...body] = records;
  const missing = columns.filter((c) => !header?.includes(c));
  if (!header || missing.length > 0) {
    problems.push(`${file} line 1: missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
    return [];
  }
  return body.map((cells, i) => {
    if (cells.length !== header.length) problems.push(`${file} line ${i + 2}: ${cells.length} fields where the header has ${header.length}`);
    return { line: i + 2, row: Object.fromEntries(header.map((h, c) => [h, (cells[c] ?? "").trim()])) };
  });
}

export function loadReferenceData(dir: string): ReferenceData {
  const problems: string[] = [];
  const read = (name: string, columns: string[]) => {
    try {
      return readCsv(readFileSync(join(dir, name), "utf8"), name, columns, problems);
    } catch (error) {
      problems.push(`${name}: cannot be read: ${(error as Error).message}`);
      return [];
    }
  };
  const country = (file: string, line: number, code: string) => {
    if (!isCountryCode(code)) problems.push(`${file} line ${line}, column country: '${code}' is not an ISO 3166-1 alpha-2 code`);
    return code;
  };

  const prevalence = new Map<string, number>();
  for (const { line, row } of read("country-prevalence.csv", ["country", "prevalence_per_1000"])) {
    const value = Number(row.prevalence_per_1000);
    if (row.prevalence_per_1000 === "" || !Number.isFinite(value) || value < 0) {
      problems.push(`country-prevalence.csv line ${line}, column prevalence_per_1000: '${row.prevalence_per_1000}' is not a number`);
    }
    const code = country("country-prevalence.csv", line, row.country!);
    if (prevalence.has(code)) problems.push(`country-prevalence.csv line ${line}: ${code} appears twice`);
    prevalence.set(code, value);
  }

  const forcedLabourGoods: ReferenceData["forcedLabourGoods"] = [];
  const goods = new Set<string>();
  for (const { line, row } of read("goods-forced-labour.csv", ["country", "good", "forced_labour"])) {
    country("goods-forced-labour.csv", line, row.country!);
    if (!["yes", "no"].includes(row.forced_labour!)) problems.push(`goods-forced-labour.csv line ${line}, column forced_labour: must be yes or no`);
    goods.add(row.good!.toLowerCase());
    if (row.forced_labour === "yes") forcedLabourGoods.push({ country: row.country!, good: row.good! });
  }

  const commodities = new Map<string, { label: string; goods: string[] }>();
  for (const { line, row } of read("commodities.csv", ["commodity", "label", "dol_goods"])) {
    const list = row.dol_goods!.split(";").map((g) => g.trim()).filter(Boolean);
    for (const good of list) {
      if (!goods.has(good.toLowerCase())) problems.push(`commodities.csv line ${line}, column dol_goods: '${good}' is not a good in goods-forced-labour.csv`);
    }
    commodities.set(row.commodity!, { label: row.label!, goods: list });
  }
  if (problems.length > 0) throw new ReferenceDataError(problems);
  return { prevalence, forcedLabourGoods, commodities };
}
