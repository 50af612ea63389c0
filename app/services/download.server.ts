/**
 * A file to download. The server already marks every dynamic response `no-store` and `nosniff`
 * (app/http/security.ts), so a download only names its type and file.
 */
export type DownloadFile = { filename: string; contentType: string; body: Uint8Array | string };

export function download(file: DownloadFile): Response {
  const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
  return new Response(body, { headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.filename}"` } });
}
