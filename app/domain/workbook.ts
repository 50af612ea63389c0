/**
 * Reading the first sheet of an uploaded .xlsx workbook within bounds: a workbook is a zip of XML,
 * so a small upload can unpack to gigabytes or hold one cell of many megabytes, and parsing it on
 * the server's thread would stop every other request. So the parts' sizes are checked from the
 * zip's directory before anything is unpacked, the XML is scanned for cells and text longer than
 * any register needs before it is parsed, and all of it runs in a worker thread with a memory
 * limit and a time limit (./workbook.worker.cjs does the reading; this module starts it, bounds it
 * and words its problems). Several uploads at once take turns.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const KB = 1024;
const MB = 1024 * KB;

/**
 * The bounds of one workbook. A register of 20,000 contracts with every text column at its longest
 * unpacks to about 9 MB of sheet and 33 MB of shared strings and parses in under a second with
 * about 80 MB of heap, so these leave room for real files and none for bombs.
 */
export const WORKBOOK_LIMITS = Object.freeze({
  /** One cell's (or shared string's) text as stored. Excel itself stops a cell at 32,767 characters; a register's longest field is 1,000. */
  cellBytes: 32 * KB,
  /** Any other run of text in the XML read, and any one tag with its attributes. */
  textBytes: 32 * KB,
  tagBytes: 32 * KB,
  /** One XML part unpacked, as the zip's directory declares it (and as unpacked: never more). */
  partBytes: 64 * MB,
  /** All the XML parts unpacked together. */
  totalBytes: 100 * MB,
  /** The furthest row and column a value may be in: room for blank rows and a few notes, not for a sheet's full million rows. */
  lastRow: 100_000,
  lastColumn: 64,
  /** Heap for the worker: the longest register needs about 80 MB. */
  heapMb: 256,
  /** Time for the worker: the longest register takes about a second. */
  timeoutMs: 30_000,
  /** Workbooks read at once; further uploads wait for a turn, up to `queued` of them. */
  concurrent: 2,
  queued: 8,
});

export type WorkbookLimits = { readonly [K in keyof typeof WORKBOOK_LIMITS]: number };

/** A cell as the reader gives it: numbers as their stored text ({ number }) so money keeps its pence. */
export type WorkbookCell = string | Date | boolean | { number: string } | null | undefined;

export type WorkbookProblem =
  | { kind: "part"; part: string; bytes: number }
  | { kind: "total"; bytes: number }
  | { kind: "cell"; bytes: number; cell: string }
  | { kind: "text" | "tag"; part: string; bytes: number }
  | { kind: "row"; row: number; cell: string }
  | { kind: "column"; column: number; cell: string }
  | { kind: "rows"; rows: number }
  | { kind: "unreadable"; detail: string }
  | { kind: "memory" | "timeout" | "busy" };

export type WorkbookSheet = { ok: true; table: WorkbookCell[][] } | { ok: false; problem: WorkbookProblem };

type WorkerAnswer = { ok: true; length: number; rows: Array<[number, WorkbookCell[]]> } | { ok: false; problem: WorkbookProblem };

let modules: { fflate: string; readExcelFile: string } | undefined;

/** Absolute paths, so the worker finds the libraries wherever the server runs from (the built copy, vitest). */
function workerModules() {
  const require = createRequire(import.meta.url);
  modules ??= { fflate: require.resolve("fflate"), readExcelFile: require.resolve("read-excel-file/node") };
  return modules;
}

let source: string | undefined;

/**
 * The worker's code, started with `eval` so it needs no file beside the server bundle: built into
 * the bundle by Vite (the server, vitest), read from the source tree under plain node (tsx).
 */
async function workerSource(): Promise<string> {
  source ??= import.meta.env
    ? (await import("./workbook.worker.cjs?raw")).default
    : readFileSync(new URL("./workbook.worker.cjs", import.meta.url), "utf8");
  return source;
}

let running = 0;
const waiting: Array<() => void> = [];

async function turn(): Promise<boolean> {
  if (running < WORKBOOK_LIMITS.concurrent) {
    running++;
    return true;
  }
  if (waiting.length >= WORKBOOK_LIMITS.queued) return false;
  await new Promise<void>((resolve) => waiting.push(resolve));
  return true;
}

function done() {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/**
 * The first sheet of a workbook as rows of cells, or the first problem found. `maxValueRows` is
 * how many rows may hold a value (the header included); `limits` changes others (tests do).
 */
export async function readFirstSheet(bytes: Uint8Array, options: { maxValueRows: number; limits?: Partial<WorkbookLimits> }): Promise<WorkbookSheet> {
  if (!(await turn())) return { ok: false, problem: { kind: "busy" } };
  try {
    const answer = await runWorker(bytes, options.maxValueRows, { ...WORKBOOK_LIMITS, ...options.limits });
    if (!answer.ok) return answer;
    const empty: WorkbookCell[] = [];
    const table: WorkbookCell[][] = new Array<WorkbookCell[]>(answer.length).fill(empty);
    for (const [index, cells] of answer.rows) table[index] = cells;
    return { ok: true, table };
  } finally {
    done();
  }
}

async function runWorker(bytes: Uint8Array, maxValueRows: number, limits: WorkbookLimits): Promise<WorkerAnswer> {
  const code = await workerSource();
  const { cellBytes, textBytes, tagBytes, partBytes, totalBytes, lastRow, lastColumn, heapMb, timeoutMs } = limits;
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { bytes, modules: workerModules(), limits: { cellBytes, textBytes, tagBytes, partBytes, totalBytes, lastRow, lastColumn, valueRows: maxValueRows } },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (answer: WorkerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
      void worker.terminate();
    };
    const timer = setTimeout(() => settle({ ok: false, problem: { kind: "timeout" } }), timeoutMs);
    worker.once("message", (answer: WorkerAnswer) => settle(answer));
    worker.once("error", (error: Error & { code?: string }) =>
      settle({ ok: false, problem: error.code === "ERR_WORKER_OUT_OF_MEMORY" ? { kind: "memory" } : { kind: "unreadable", detail: error.message } }),
    );
    worker.once("exit", () => settle({ ok: false, problem: { kind: "unreadable", detail: "the reader stopped" } }));
  });
}

const size = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / KB)} kB`);

export function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const SAVE_AGAIN = "Save the register again as .xlsx or as CSV with only the contracts in it";

/** What went wrong, in words that say how to put it right. `rows` words the too-many-rows problem as the caller counts contracts. */
export function describeWorkbookProblem(problem: WorkbookProblem, rows: (valueRows: number) => string): string {
  const L = WORKBOOK_LIMITS;
  switch (problem.kind) {
    case "part":
      return `The workbook unpacks to ${size(problem.bytes)} in one part (${problem.part}): the most Lantern reads is ${size(L.partBytes)} a part, and a register of 20,000 contracts needs less than 40 MB. ${SAVE_AGAIN}`;
    case "total":
      return `The workbook unpacks to more than ${size(L.totalBytes)}: the most Lantern reads from one workbook is ${size(L.totalBytes)}, and a register of 20,000 contracts needs less than 50 MB. ${SAVE_AGAIN}`;
    case "cell":
      return `The workbook's sheet has a cell of ${size(problem.bytes)}${problem.cell ? ` (${problem.cell})` : ""}: cells may hold at most ${size(L.cellBytes)}. Check the cell for text pasted by mistake, or save the register as CSV`;
    case "text":
    case "tag":
      return `The workbook holds ${size(problem.bytes)} in one place outside its cells (${problem.part}): at most ${size(problem.kind === "text" ? L.textBytes : L.tagBytes)} is expected there. ${SAVE_AGAIN}`;
    case "row":
      return `The workbook's sheet has a value in row ${problem.row.toLocaleString("en-GB")} (${problem.cell}): a register may use rows 1 to ${L.lastRow.toLocaleString("en-GB")}. Delete the rows below the contracts, or save the register as CSV`;
    case "column":
      return `The workbook's sheet has a value in column ${columnLetters(problem.column)}${problem.cell ? ` (${problem.cell})` : ""}: a register may use columns A to ${columnLetters(L.lastColumn)}. Delete the cells to the right of the register`;
    case "rows":
      return rows(problem.rows);
    case "memory":
      return `The workbook needs more memory to read than one upload may use. ${SAVE_AGAIN}, or split it into smaller files`;
    case "timeout":
      return `Reading the workbook took longer than ${L.timeoutMs / 1000} seconds, so it was stopped. ${SAVE_AGAIN}, or split it into smaller files`;
    case "busy":
      return "Lantern is reading other workbooks at the moment: try the import again in a minute";
    case "unreadable":
      return `The file cannot be read as an Excel workbook (.xlsx): ${problem.detail}. Save it again as .xlsx or as CSV`;
  }
}
