/**
 * Reads the first sheet of an .xlsx workbook in a worker thread (started by ./workbook.ts, which
 * holds the limits and words the messages). Plain CommonJS so the same text runs under vitest and
 * in the built server, where ./workbook.ts embeds it and starts it with `eval`.
 *
 * The checks run before the XML is parsed, from the cheapest to the dearest:
 * 1. the sizes the zip's central directory declares for the parts that would be read (the XML
 *    ones) must be within the per-part and total limits, so nothing big is unpacked;
 * 2. the parts are unpacked into buffers of the declared sizes (fflate never writes past them, so
 *    a part lying about its size is cut short, not grown);
 * 3. the parts the reader parses are scanned: no cell (or shared string) longer than the cell
 *    limit, no text run or tag longer than that either, and on the first sheet no value past the
 *    last row or column allowed and no more rows with values than the register may have;
 * 4. the checked parts are packed again, uncompressed, and only these are given to
 *    read-excel-file, so it reads exactly the bytes that were checked.
 * A problem is posted as { ok: false, problem }; the sheet as { ok: true, length, rows }, with
 * only the rows that hold a value ([index, cells]) so the main thread copies no empty rows.
 */
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { unzipSync, zipSync } = require(workerData.modules.fflate);
const { readSheet } = require(workerData.modules.readExcelFile);

const limits = workerData.limits;
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

class Refusal {
  constructor(problem) {
    this.problem = problem;
  }
}
const refuse = (problem) => {
  throw new Refusal(problem);
};

/** The parts read-excel-file unpacks (it reads .xml and .xml.rels files only). */
const isXmlPart = (name) => !name.endsWith("/") && (name.endsWith(".xml") || name.endsWith(".xml.rels"));

function unpack(bytes) {
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        if (!isXmlPart(file.name)) return false;
        if (file.originalSize > limits.partBytes) refuse({ kind: "part", part: file.name, bytes: file.originalSize });
        total += file.originalSize;
        if (total > limits.totalBytes) refuse({ kind: "total", bytes: total });
        return true;
      },
    });
  } catch (error) {
    if (error instanceof Refusal) throw error;
    refuse({ kind: "unreadable", detail: "it is not a valid zip archive" });
  }
}

const asBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/** The first attribute `name` (any namespace prefix) of a tag's text, or undefined. */
function attribute(tag, name) {
  const match = new RegExp(`\\s(?:[A-Za-z_][\\w.-]*:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Paths of the parts read-excel-file parses, found the way it finds them (workbook.xml.rels). */
function partsToRead(files) {
  const relsBytes = files["xl/_rels/workbook.xml.rels"];
  const workbookBytes = files["xl/workbook.xml"];
  const found = { sharedStrings: undefined, styles: undefined, firstSheet: undefined };
  if (!relsBytes || !workbookBytes) return found;
  // Both were scanned already: no tag in them is longer than the tag limit.
  const rels = asBuffer(relsBytes).toString("utf8");
  const targets = new Map();
  for (const [tag] of rels.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const type = attribute(tag, "Type") ?? "";
    const target = attribute(tag, "Target") ?? "";
    const path = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    if (type.endsWith("/sharedStrings")) found.sharedStrings = path;
    else if (type.endsWith("/styles")) found.styles = path;
    else if (type.endsWith("/worksheet")) targets.set(attribute(tag, "Id"), path);
  }
  const workbook = asBuffer(workbookBytes).toString("utf8");
  for (const [tag] of workbook.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)) {
    if (attribute(tag, "name") === undefined) continue;
    found.firstSheet = targets.get(attribute(tag, "id"));
    break;
  }
  return found;
}

function columnNumber(letters) {
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

function startsWith(buf, at, text) {
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

/**
 * Walk an XML part tag by tag. `onText(length, start)` gets each run of character data (CDATA
 * included), `onTag(start, end)` each tag (from < to >). Comments are skipped but bounded.
 */
function walk(part, buf, onText, onTag) {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    let lt = buf.indexOf(LT, i);
    if (lt < 0) lt = n;
    if (lt > i) onText(lt - i, i);
    if (lt >= n) return;
    if (startsWith(buf, lt, "<!--")) {
      const end = buf.indexOf("-->", lt + 4);
      const stop = end < 0 ? n : end + 3;
      if (stop - lt > limits.textBytes) refuse({ kind: "text", part, bytes: stop - lt });
      i = stop;
      continue;
    }
    if (startsWith(buf, lt, "<![CDATA[")) {
      const end = buf.indexOf("]]>", lt + 9);
      const stop = end < 0 ? n : end;
      onText(stop - (lt + 9), lt + 9);
      i = stop + 3;
      continue;
    }
    let gt = buf.indexOf(GT, lt + 1);
    if (gt < 0) gt = n - 1;
    if (gt - lt + 1 > limits.tagBytes) refuse({ kind: "tag", part, bytes: gt - lt + 1 });
    onTag(lt, gt);
    i = gt + 1;
  }
}

/** A tag's local name (no namespace prefix) as [start, end), whether it closes an element and whether it is empty (<x/>). */
function tagShape(buf, lt, gt) {
  let k = lt + 1;
  const closing = buf[k] === SLASH;
  if (closing) k++;
  let start = k;
  while (k < gt && buf[k] !== 0x20 && buf[k] !== 0x09 && buf[k] !== 0x0a && buf[k] !== 0x0d && buf[k] !== SLASH) {
    if (buf[k] === 0x3a) start = k + 1; // a namespace prefix ends at ':'
    k++;
  }
  return { start, end: k, closing, empty: buf[gt - 1] === SLASH };
}

const named = (buf, tag, name) => tag.end - tag.start === name.length && startsWith(buf, tag.start, name);

/**
 * An unprefixed attribute's value in the tag between lt and gt, read from the bytes (the sheet has
 * hundreds of thousands of cells: no string per tag). Undefined when absent.
 */
function attributeIn(buf, lt, gt, name) {
  for (let k = lt + 1; k < gt - name.length; k++) {
    const before = buf[k - 1];
    if ((before !== 0x20 && before !== 0x09 && before !== 0x0a && before !== 0x0d) || !startsWith(buf, k, name)) continue;
    let v = k + name.length;
    while (buf[v] === 0x20 || buf[v] === 0x09 || buf[v] === 0x0a || buf[v] === 0x0d) v++;
    if (buf[v] !== 0x3d) continue; // '='
    v++;
    while (buf[v] === 0x20 || buf[v] === 0x09 || buf[v] === 0x0a || buf[v] === 0x0d) v++;
    const quote = buf[v];
    if (quote !== 0x22 && quote !== 0x27) continue;
    const close = buf.indexOf(quote, v + 1);
    if (close < 0 || close > gt) return undefined;
    return buf.toString("latin1", v + 1, close);
  }
  return undefined;
}

/** Any part: no run of text and no tag longer than the limits (the tag limit is checked by walk). */
function scanOther(part, buf) {
  walk(
    part,
    buf,
    (length) => {
      if (length > limits.textBytes) refuse({ kind: "text", part, bytes: length });
    },
    () => {},
  );
}

/** Shared strings: each string (<si>) within the cell limit. Returns the too-long one, if any, for the sheet to locate. */
function scanSharedStrings(part, buf) {
  let index = -1;
  let inString = false;
  let bytes = 0;
  let tooLong;
  walk(
    part,
    buf,
    (length) => {
      if (inString) bytes += length;
      else if (length > limits.textBytes) refuse({ kind: "text", part, bytes: length });
    },
    (lt, gt) => {
      const tag = tagShape(buf, lt, gt);
      if (!named(buf, tag, "si")) return;
      if (!tag.closing) {
        index++;
        inString = !tag.empty;
        bytes = 0;
      } else {
        inString = false;
        if (bytes > limits.cellBytes && !tooLong) tooLong = { index, bytes };
      }
    },
  );
  return tooLong;
}

/**
 * The first sheet: cells within the cell limit, values no further than the last row and column
 * allowed, and no more rows holding values than allowed. Rows and cells without an `r` attribute
 * follow the one before, as the reader places them.
 */
function scanSheet(part, buf, longString) {
  let row = 0;
  let column = 0;
  let inCell = false;
  let cell = { ref: "", row: 0, column: 0, shared: false, bytes: 0, text: "" };
  let rowHasValue = false;
  let valueRows = 0;
  let longStringAt;
  const endCell = () => {
    inCell = false;
    if (cell.bytes > limits.cellBytes) refuse({ kind: "cell", bytes: cell.bytes, cell: cell.ref });
    if (longString && cell.shared && Number(cell.text.trim()) === longString.index && !longStringAt) longStringAt = cell.ref;
    if (cell.bytes === 0) return;
    rowHasValue = true;
    if (cell.column > limits.lastColumn) refuse({ kind: "column", column: cell.column, cell: cell.ref });
    if (cell.row > limits.lastRow) refuse({ kind: "row", row: cell.row, cell: cell.ref });
  };
  const endRow = () => {
    if (rowHasValue) valueRows++;
    rowHasValue = false;
  };
  walk(
    part,
    buf,
    (length, start) => {
      if (inCell) {
        cell.bytes += length;
        if (cell.shared && cell.text.length < 24) cell.text += buf.toString("latin1", start, start + Math.min(length, 24));
      } else if (length > limits.textBytes) refuse({ kind: "text", part, bytes: length });
    },
    (lt, gt) => {
      const tag = tagShape(buf, lt, gt);
      if (named(buf, tag, "row")) {
        if (tag.closing) return endRow();
        const r = Number(attributeIn(buf, lt, gt, "r"));
        row = Number.isInteger(r) && r > 0 ? r : row + 1;
        column = 0;
        rowHasValue = false;
        if (tag.empty) endRow();
      } else if (named(buf, tag, "c")) {
        if (tag.closing) return inCell ? endCell() : undefined;
        const address = /^([A-Z]{1,3})(\d*)$/.exec(attributeIn(buf, lt, gt, "r") ?? "");
        const at = { row: address && address[2] ? Number(address[2]) : row, column: address ? columnNumber(address[1]) : column + 1 };
        column = at.column;
        cell = { ref: address ? address[0] : "", row: at.row, column: at.column, shared: attributeIn(buf, lt, gt, "t") === "s", bytes: 0, text: "" };
        inCell = true;
        if (tag.empty) endCell();
      }
    },
  );
  if (inCell) endCell();
  return { valueRows, longStringAt };
}

async function read(bytes) {
  const files = unpack(bytes);
  const parts = partsToRead(files);
  const sheets = parts.firstSheet && files[parts.firstSheet] ? [parts.firstSheet] : Object.keys(files).filter((name) => /^xl\/worksheets\/[^/]+\.xml$/.test(name));
  for (const name of Object.keys(files)) {
    if (name !== parts.sharedStrings && !sheets.includes(name) && !/^xl\/worksheets\//.test(name)) scanOther(name, asBuffer(files[name]));
  }
  const longString = parts.sharedStrings && files[parts.sharedStrings] ? scanSharedStrings(parts.sharedStrings, asBuffer(files[parts.sharedStrings])) : undefined;
  let valueRows = 0;
  let longStringAt;
  for (const name of sheets) {
    const scanned = scanSheet(name, asBuffer(files[name]), longString);
    valueRows = Math.max(valueRows, scanned.valueRows);
    longStringAt ??= scanned.longStringAt;
  }
  if (longString) refuse({ kind: "cell", bytes: longString.bytes, cell: longStringAt ?? "" });
  if (valueRows > limits.valueRows) refuse({ kind: "rows", rows: valueRows });

  const checked = asBuffer(zipSync(files, { level: 0 }));
  for (const name of Object.keys(files)) delete files[name];
  let sheet;
  try {
    sheet = await readSheet(checked, { trim: false, parseNumber: (number) => ({ number }) });
  } catch (error) {
    refuse({ kind: "unreadable", detail: String((error && error.message) || error) });
  }
  const rows = [];
  sheet.forEach((cells, index) => {
    let last = cells.length;
    while (last > 0 && (cells[last - 1] === null || cells[last - 1] === undefined)) last--;
    if (last > 0) rows.push([index, last === cells.length ? cells : cells.slice(0, last)]);
  });
  return { length: sheet.length, rows };
}

read(new Uint8Array(workerData.bytes))
  .then((sheet) => parentPort.postMessage({ ok: true, ...sheet }))
  .catch((error) => {
    if (error instanceof Refusal) parentPort.postMessage({ ok: false, problem: error.problem });
    else parentPort.postMessage({ ok: false, problem: { kind: "unreadable", detail: String((error && error.message) || error) } });
  });
