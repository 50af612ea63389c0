/**
 * A file to download, never kept in a cache: the loader says so itself, whatever server runs it (the
 * production server also marks every dynamic response no-store and nosniff, app/http/security.ts).
 */
export type DownloadFile = { filename: string; contentType: string; body: Uint8Array | string };

export function download(file: DownloadFile): Response {
  const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
  return new Response(body, { headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" } });
}
