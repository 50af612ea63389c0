/**
 * Published reference data the risk model reads (see data/README.md for sources, dates and
 * licences): country prevalence estimates, the goods listed as made with forced labour by country,
 * and which of those goods each commodity option stands for. Loaded and checked once, like a
 * questionnaire: every problem is named by file, line and column.
 */
import { createHash } from "node:crypto";
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

// ---- the import-ban list ------------------------------------------------------------------------

export type ImportBan = {
  id: string;
  source: string;
  effectiveDate: string;
  country: string | null;
  region: string | null;
  entity: string | null;
  /** Other and former names, romanised. */
  aliases: string[];
  /** Names in Chinese script, as the source gives them. */
  namesZh: string[];
  /** The order covers the entity's subordinates or subsidiaries: yes, no, or null when the row does not say (read from the name). */
  coversGroup: boolean | null;
  products: string;
  appliesTo: string;
  status: "active" | "inactive";
  statusChanged: string | null;
  note: string | null;
};

export const IMPORT_BAN_COLUMNS = ["source", "effective_date", "country", "region", "entity", "aliases", "products", "applies_to", "status", "status_changed"];
/** Columns a file may have besides those; any other column is refused, so a misspelt one is not silently ignored. */
export const IMPORT_BAN_OPTIONAL_COLUMNS = ["note", "name_zh", "covers_group"];
const HAN = /\p{Script=Han}/u;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

/**
 * Parse and check an import-ban list (CSV with the columns above; `note`, `name_zh` and
 * `covers_group` optional). All or nothing: any problem and no rows are returned, each problem
 * named by line and column. A row's id is stable across imports as long as its source, date,
 * country, region and entity are.
 */
export function parseImportBans(text: string, file: string): { bans: ImportBan[]; problems: string[] } {
  const problems: string[] = [];
  const rows = readCsv(text, file, IMPORT_BAN_COLUMNS, problems);
  const known = new Set([...IMPORT_BAN_COLUMNS, ...IMPORT_BAN_OPTIONAL_COLUMNS]);
  const unknown = rows.length > 0 ? Object.keys(rows[0]!.row).filter((c) => !known.has(c)) : [];
  if (unknown.length > 0) problems.push(`${file} line 1: unknown column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} (the optional columns are ${IMPORT_BAN_OPTIONAL_COLUMNS.join(", ")})`);
  if (problems.length === 0 && rows.length === 0) problems.push(`${file}: the list has no rows; an empty list would stop all screening`);
  const bans: ImportBan[] = [];
  const ids = new Map<string, number>();
  for (const { line, row } of rows) {
    const at = (column: string) => `${file} line ${line}, column ${column}`;
    for (const [column, cell] of Object.entries(row)) if (CONTROL.test(cell)) problems.push(`${at(column)}: contains a control character`);
    if (!row.source) problems.push(`${at("source")}: is empty; name who issued the order`);
    if (!isIsoDate(row.effective_date ?? "")) problems.push(`${at("effective_date")}: '${row.effective_date}' is not a date like 2021-06-23`);
    if (row.country && !isCountryCode(row.country)) problems.push(`${at("country")}: '${row.country}' is not an ISO 3166-1 alpha-2 code`);
    if (!row.entity && !row.region) problems.push(`${at("entity")}: name an entity or a region (both are empty)`);
    if (!row.products) problems.push(`${at("products")}: is empty; say which goods the order covers`);
    if (row.status !== "active" && row.status !== "inactive") problems.push(`${at("status")}: '${row.status}' must be active or inactive`);
    if (row.status_changed && !isIsoDate(row.status_changed)) problems.push(`${at("status_changed")}: '${row.status_changed}' is not a date like 2023-03-01`);
    if (row.status_changed && isIsoDate(row.effective_date ?? "") && row.status_changed < row.effective_date!) problems.push(`${at("status_changed")}: ${row.status_changed} is before the order's effective_date ${row.effective_date}`);
    const namesZh = splitNames(row.name_zh);
    for (const name of namesZh) if (!HAN.test(name)) problems.push(`${at("name_zh")}: '${name}' has no Chinese characters; put romanised names in aliases`);
    if (namesZh.length > 0 && !row.entity) problems.push(`${at("name_zh")}: a region-only order has no names to screen; leave it empty`);
    const coversGroup = row.covers_group ?? "";
    if (!["", "yes", "no"].includes(coversGroup)) problems.push(`${at("covers_group")}: '${coversGroup}' must be yes, no or empty (empty: read from the entity's name, e.g. "… and subsidiaries")`);
    for (const [column, cell] of Object.entries(row)) if (cell.length > 1000) problems.push(`${at(column)}: longer than 1,000 characters`);
    const id = createHash("sha256").update([row.source, row.effective_date, row.country, row.region, row.entity].join("|")).digest("hex").slice(0, 16);
    if (ids.has(id)) problems.push(`${file} line ${line}: the same order as line ${ids.get(id)} (same source, date, country, region and entity)`);
    ids.set(id, line);
    bans.push({
      id,
      source: row.source!,
      effectiveDate: row.effective_date!,
      country: row.country || null,
      region: row.region || null,
      entity: row.entity || null,
      aliases: splitNames(row.aliases),
      namesZh,
      coversGroup: coversGroup === "yes" ? true : coversGroup === "no" ? false : null,
      products: row.products!,
      appliesTo: row.applies_to ?? "",
      status: row.status as "active" | "inactive",
      statusChanged: row.status_changed || null,
      note: row.note || null,
    });
  }
  return problems.length > 0 ? { bans: [], problems } : { bans, problems };
}

/** A cell of names separated by semicolons (full-width ones too: "；"). */
function splitNames(cell: string | undefined): string[] {
  return (cell ?? "").split(/[;；]/).map((a) => a.trim()).filter(Boolean);
}
