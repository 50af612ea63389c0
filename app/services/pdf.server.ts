/**
 * What every PDF Lantern writes shares: an A4 document whose pages are kept until the end, so each
 * can be numbered "Page N of M" once the number of pages is known.
 */
import PDFDocument from "pdfkit";

export type Pdf = { doc: PDFKit.PDFDocument; finish: () => Promise<Buffer> };

/** A new A4 document; `finish` numbers the pages, ends it and gives its bytes. */
export function createPdf(info: PDFKit.DocumentInfo): Pdf {
  const doc = new PDFDocument({ size: "A4", margin: 50, bufferPages: true, info });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return {
    doc,
    finish: () => {
      numberPages(doc);
      doc.end();
      return done;
    },
  };
}

/** "Page N of M" centred in the bottom margin of every page. */
function numberPages(doc: PDFKit.PDFDocument): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { margins, width, height } = doc.page;
    // Text below the bottom margin would start a new page: write the footer with no bottom margin.
    const bottom = margins.bottom;
    margins.bottom = 0;
    doc.font("Helvetica").fontSize(9).fillColor("#505a5f");
    doc.text(`Page ${i - start + 1} of ${count}`, margins.left, height - bottom / 2 - 5, { width: width - margins.left - margins.right, align: "center", lineBreak: false });
    margins.bottom = bottom;
  }
  doc.fillColor("black");
}
