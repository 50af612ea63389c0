/**
 * Reading an uploaded workbook within bounds (app/domain/workbook.ts and its worker): every kind of
 * oversized or malformed workbook is refused with its own problem before its XML is parsed, the
 * worker is stopped at its time and memory limits, and the server's thread stays free meanwhile.
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import writeExcelFile from "write-excel-file/node";
import { MAX_REGISTER_ROWS, REGISTER_COLUMNS, parseRegisterXlsx } from "../../app/domain/register-import";
import { WORKBOOK_LIMITS, type WorkbookLimits, type WorkbookProblem, describeWorkbookProblem, readFirstSheet } from "../../app/domain/workbook";

const KB = 1024;
const MB = 1024 * KB;
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A minimal workbook written by hand: one sheet (its <sheetData> as given), shared strings if given, and any other parts. */
function workbook(sheetData: string, options: { sharedStrings?: string; parts?: Record<string, string> } = {}): Buffer {
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    "_rels/.rels": strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    "xl/workbook.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    "xl/_rels/workbook.xml.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/sheet1.xml"/>${options.sharedStrings === undefined ? "" : `<Relationship Id="rId2" Type="${RELS}/sharedStrings" Target="sharedStrings.xml"/>`}</Relationships>`,
    ),
    "xl/worksheets/sheet1.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData></worksheet>`),
  };
  if (options.sharedStrings !== undefined) files["xl/sharedStrings.xml"] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">${options.sharedStrings}</sst>`);
  for (const [name, text] of Object.entries(options.parts ?? {})) files[name] = strToU8(text);
  return Buffer.from(zipSync(files));
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const row = (n: number, cells: string) => `<row r="${n}">${cells}</row>`;

async function problemOf(bytes: Uint8Array, limits: Partial<WorkbookLimits> = {}): Promise<WorkbookProblem> {
  const read = await readFirstSheet(bytes, { maxValueRows: MAX_REGISTER_ROWS + 1, limits });
  if (read.ok) throw new Error("expected a problem, the workbook was read");
  return read.problem;
}

async function tableOf(bytes: Uint8Array) {
  const read = await readFirstSheet(bytes, { maxValueRows: MAX_REGISTER_ROWS + 1 });
  if (!read.ok) throw new Error(`expected the sheet, got ${JSON.stringify(read.problem)}`);
  return read.table;
}

/** The register's header and `count` contracts with every text at its longest, as a spreadsheet program would save them. */
async function longestRegister(count: number): Promise<Buffer> {
  const long = (n: number, i: number) => `Text ${i} `.repeat(Math.ceil(n / 6)).slice(0, n);
  const rows = [REGISTER_COLUMNS.map((c) => ({ value: c.name }))];
  for (let i = 0; i < count; i++) {
    rows.push([
      { value: `CON-${String(i).padStart(46, "0")}` },
      { value: long(500, i) },
      { value: long(500, i + 1) },
      { value: "01234567" },
      { value: "GB" },
      { value: long(500, i + 2) },
      { value: "6,500,000.00" },
      { value: "19,500,000.00" },
      { value: "01/04/2025" },
      { value: "31/03/2028" },
      { value: `manager${i}@example.gov.uk` },
      { value: "gold" },
      { value: long(1000, i + 3) },
    ]);
  }
  return writeExcelFile(rows).toBuffer();
}

describe("reading a workbook within bounds", () => {
  it("reads a hand-written sheet: inline text, shared strings, numbers as stored text, empty rows kept", async () => {
    const table = await tableOf(workbook(row(1, inline("A1", "reference") + '<c r="B1" t="s"><v>0</v></c>') + row(3, inline("A3", "CON-1") + '<c r="B3"><v>1234.56</v></c>'), { sharedStrings: "<si><t>title</t></si>" }));
    expect(table).toEqual([["reference", "title"], [], ["CON-1", { number: "1234.56" }]]);
  });

  it("refuses a 22 kB workbook whose one cell holds 20 MB, naming the cell, before parsing it", async () => {
    const bytes = await writeExcelFile([[{ value: "reference" }], [{ value: "x".repeat(20 * MB) }]]).toBuffer();
    expect(bytes.length).toBeLessThan(64 * KB);
    const started = Date.now();
    expect(await problemOf(bytes)).toEqual({ kind: "cell", bytes: 20 * MB, cell: "A2" });
    expect(Date.now() - started).toBeLessThan(10_000);
    const imported = await parseRegisterXlsx(bytes);
    expect(imported).toEqual({
      ok: false,
      problems: [{ row: 0, column: "", message: "The workbook's sheet has a cell of 20.0 MB (A2): cells may hold at most 32 kB. Check the cell for text pasted by mistake, or save the register as CSV" }],
    });
  });

  it("refuses an inline cell over 32 kB and a shared string split into many short runs, and takes one just under", async () => {
    expect(await problemOf(workbook(row(1, inline("A1", "reference")) + row(3, inline("B3", "y".repeat(40 * KB)))))).toEqual({ kind: "cell", bytes: 40 * KB, cell: "B3" });
    const runs = Array.from({ length: 40 }, () => `<r><t>${"z".repeat(KB)}</t></r>`).join("");
    expect(await problemOf(workbook(row(1, '<c r="A1" t="s"><v>1</v></c>'), { sharedStrings: `<si><t>a</t></si><si>${runs}</si>` }))).toEqual({ kind: "cell", bytes: 40 * KB, cell: "A1" });
    const table = await tableOf(workbook(row(1, inline("A1", "w".repeat(30 * KB)))));
    expect((table[0]![0] as string).length).toBe(30 * KB);
  });

  it("refuses a value past the last row or column a register may use, with or without cell references", async () => {
    expect(await problemOf(workbook(row(1, inline("A1", "reference")) + row(1_048_576, inline("A1048576", "x"))))).toEqual({ kind: "row", row: 1_048_576, cell: "A1048576" });
    expect(await problemOf(workbook(row(1, inline("XFD1", "x"))))).toEqual({ kind: "column", column: 16_384, cell: "XFD1" });
    const unreferenced = Array.from({ length: 65 }, () => '<c t="inlineStr"><is><t>x</t></is></c>').join("");
    expect(await problemOf(workbook(`<row>${unreferenced}</row>`))).toEqual({ kind: "column", column: 65, cell: "" });
    // Formatting alone (a cell with a style and no value) far away is no problem: the reader drops it.
    expect(await tableOf(workbook(row(1, inline("A1", "reference") + '<c r="XFD1" s="1"/>') + row(1_048_576, '<c r="A1048576" s="1"/>')))).toEqual([["reference"]]);
  });

  it("refuses more rows with values than a register holds, in the same words as for a CSV file", async () => {
    const rows = Array.from({ length: MAX_REGISTER_ROWS + 2 }, (_, i) => row(i + 1, inline(`A${i + 1}`, "x"))).join("");
    const bytes = workbook(rows);
    expect(await problemOf(bytes)).toEqual({ kind: "rows", rows: MAX_REGISTER_ROWS + 2 });
    expect(await parseRegisterXlsx(bytes)).toEqual({ ok: false, problems: [{ row: 0, column: "", message: "The file has 20,001 contracts: the most one file can hold is 20,000. Split it into smaller files" }] });
  });

  it("refuses parts that unpack bigger than allowed, one by one and all together, from the zip's directory", async () => {
    const filler = (bytes: number) => `<!--${" ".repeat(bytes)}-->`;
    expect(await problemOf(workbook(row(1, inline("A1", "x")), { parts: { "docProps/app.xml": filler(1.5 * MB) } }), { partBytes: MB })).toEqual({ kind: "part", part: "docProps/app.xml", bytes: 1.5 * MB + 7 });
    const parts = { "docProps/a.xml": filler(0.8 * MB), "docProps/b.xml": filler(0.8 * MB), "docProps/c.xml": filler(0.8 * MB) };
    expect(await problemOf(workbook(row(1, inline("A1", "x")), { parts }), { totalBytes: 2 * MB })).toMatchObject({ kind: "total" });
    // Parts the reader never unpacks (images, printer settings) do not count.
    expect(await tableOf(workbook(row(1, inline("A1", "x")), { parts: { "xl/media/image1.png": filler(1.5 * MB) } }))).toEqual([["x"]]);
  });

  it("refuses a tag or a run of text over 32 kB outside the cells", async () => {
    expect(await problemOf(workbook(`<row r="1" x14ac:note="${"n".repeat(40 * KB)}">${inline("A1", "x")}</row>`))).toMatchObject({ kind: "tag", part: "xl/worksheets/sheet1.xml" });
    expect(await problemOf(workbook(row(1, inline("A1", "x")), { parts: { "xl/styles.xml": `<styleSheet xmlns="${MAIN}">${"s".repeat(40 * KB)}</styleSheet>` } }))).toMatchObject({ kind: "text", part: "xl/styles.xml" });
  });

  it("reads exactly what it checked: a part whose directory entry understates its size is cut short, not trusted", async () => {
    const bytes = workbook(row(1, '<c r="A1" t="s"><v>0</v></c>'), { sharedStrings: `<si><t>${"x".repeat(20 * MB)}</t></si>` });
    // Rewrite the shared strings' uncompressed size in the central directory to 100 bytes.
    const name = Buffer.from("xl/sharedStrings.xml");
    for (let at = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at > 0; at = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at - 1)) {
      const nameLength = bytes.readUInt16LE(at + 28);
      if (bytes.subarray(at + 46, at + 46 + nameLength).equals(name)) bytes.writeUInt32LE(100, at + 24);
    }
    expect(await problemOf(bytes)).toMatchObject({ kind: "unreadable" });
  });

  it("refuses what is not a workbook, or a workbook whose XML is broken, saying it cannot be read", async () => {
    expect(await problemOf(Buffer.from("reference,title\r\nCON-1,Cleaning\r\n"))).toEqual({ kind: "unreadable", detail: "it is not a valid zip archive" });
    expect(await problemOf(workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></row>'))).toMatchObject({ kind: "unreadable" });
  });

  it("stops the reader at its time limit and at its memory limit", async () => {
    const bytes = await longestRegister(2_000);
    expect(await problemOf(bytes, { timeoutMs: 1 })).toEqual({ kind: "timeout" });
    expect(await problemOf(bytes, { heapMb: 4 })).toEqual({ kind: "memory" });
  });

  it("reads a register of 20,000 contracts at their longest off the server's thread, which keeps answering", async () => {
    const bytes = await longestRegister(MAX_REGISTER_ROWS);
    let longestPause = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestPause = Math.max(longestPause, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const table = await tableOf(bytes);
    const took = performance.now() - started;
    clearInterval(timer);
    expect(table).toHaveLength(MAX_REGISTER_ROWS + 1);
    expect(table[MAX_REGISTER_ROWS]![12]).toHaveLength(1000);
    // Reading takes a second or more; the server's thread only copies the rows back (tens of
    // milliseconds). Were the parse on this thread, the longest pause would be the whole read.
    expect(took).toBeGreaterThan(500);
    expect(longestPause).toBeLessThan(took / 5);
  }, 120_000);

  it("reads two workbooks at once, queues eight more and turns further ones away", async () => {
    const bytes = workbook(Array.from({ length: 2_000 }, (_, i) => row(i + 1, inline(`A${i + 1}`, `row ${i}`))).join(""));
    const reads = await Promise.all(Array.from({ length: WORKBOOK_LIMITS.concurrent + WORKBOOK_LIMITS.queued + 1 }, () => readFirstSheet(bytes, { maxValueRows: MAX_REGISTER_ROWS + 1 })));
    expect(reads.filter((r) => r.ok)).toHaveLength(WORKBOOK_LIMITS.concurrent + WORKBOOK_LIMITS.queued);
    expect(reads.at(-1)).toEqual({ ok: false, problem: { kind: "busy" } });
    // Turns are given back: another read now goes ahead.
    expect((await readFirstSheet(bytes, { maxValueRows: MAX_REGISTER_ROWS + 1 })).ok).toBe(true);
  }, 60_000);

  it("words every problem with what to do about it", () => {
    const rows = (n: number) => `${n} rows`;
    const problems: WorkbookProblem[] = [
      { kind: "part", part: "xl/worksheets/sheet1.xml", bytes: 2 * 1024 * MB },
      { kind: "total", bytes: 200 * MB },
      { kind: "cell", bytes: 40 * KB, cell: "C7" },
      { kind: "text", part: "xl/styles.xml", bytes: MB },
      { kind: "tag", part: "xl/styles.xml", bytes: MB },
      { kind: "row", row: 1_048_576, cell: "A1048576" },
      { kind: "column", column: 16_384, cell: "XFD1" },
      { kind: "memory" },
      { kind: "timeout" },
      { kind: "busy" },
      { kind: "unreadable", detail: "it is not a valid zip archive" },
    ];
    const messages = problems.map((p) => describeWorkbookProblem(p, rows));
    expect(messages).toEqual([
      expect.stringMatching(/^The workbook unpacks to 2048\.0 MB in one part \(xl\/worksheets\/sheet1\.xml\): the most Lantern reads is 64\.0 MB a part/),
      expect.stringMatching(/^The workbook unpacks to more than 100\.0 MB/),
      "The workbook's sheet has a cell of 40 kB (C7): cells may hold at most 32 kB. Check the cell for text pasted by mistake, or save the register as CSV",
      expect.stringMatching(/^The workbook holds 1\.0 MB in one place outside its cells \(xl\/styles\.xml\)/),
      expect.stringMatching(/^The workbook holds 1\.0 MB in one place outside its cells/),
      expect.stringMatching(/^The workbook's sheet has a value in row 1,048,576 \(A1048576\): a register may use rows 1 to 100,000\./),
      expect.stringMatching(/^The workbook's sheet has a value in column XFD \(XFD1\): a register may use columns A to BL\./),
      expect.stringMatching(/more memory/),
      expect.stringMatching(/longer than 30 seconds/),
      expect.stringMatching(/reading other workbooks/),
      "The file cannot be read as an Excel workbook (.xlsx): it is not a valid zip archive. Save it again as .xlsx or as CSV",
    ]);
    for (const message of messages) expect(message).toMatch(/[.:]/);
    expect(describeWorkbookProblem({ kind: "rows", rows: 7 }, rows)).toBe("7 rows");
  });
});
