/**
 * How much of a request body Lantern reads: a limit per kind of request, enforced while the body
 * streams in, before anything holds it whole. A declared Content-Length over the limit is refused
 * at once without reading; a body without one (chunked) is counted as it arrives and refused as
 * soon as it passes the limit. Either way the answer is 413 (a GOV.UK-styled page, or JSON for
 * scripts), and what the client still sends is read and thrown away for a few seconds, so it can
 * see the answer, then the connection is closed. Remix reads the body through the counter
 * (./remix-handler), never from the request directly.
 */
import { Transform, type TransformCallback } from "node:stream";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { MAX_REGISTER_BYTES } from "../domain/register-import";
import { mediaType } from "../services/forms.server";
import { JSON_ENDPOINT, refuse } from "./security";

const KB = 1024;
const MB = 1024 * KB;

/**
 * The most each kind of request may send, in bytes. Measured against the largest bodies Lantern's
 * own checks accept, with room to spare:
 * - `signIn`: an email address (254 characters), a password (200) and the page to return to;
 *   under 5 kB even URL-encoded in a non-Latin script.
 * - `answer`: the autosave of one answer as JSON, which the endpoint takes up to 64 k characters
 *   (a group of 50 rows at their longest); 3 bytes a character in UTF-8.
 * - `form`: every other form. The largest are the conversation record (3 texts of 5,000
 *   characters and up to 100 actions of 5,500: about 600 kB in plain English) and the theme page
 *   of the "mapping" theme (42,200 characters at the longest: about 400 kB URL-encoded in a
 *   non-Latin script); the 70 verification selects of a conversation add 5 kB.
 * - `upload`: the register import's file (20 MB at most, as the import checks) and the
 *   multipart framing around it.
 */
export const BODY_LIMITS = {
  signIn: 16 * KB,
  answer: 192 * KB,
  form: 1 * MB,
  upload: MAX_REGISTER_BYTES + 64 * KB,
} as const;

export type BodyKind = keyof typeof BODY_LIMITS;

/** How long a refused or unread body is still read (and thrown away) before the connection is closed. */
export const LINGER_MS = 5_000;
/** ...and at most how much of it. */
export const LINGER_BYTES = 64 * MB;

const SIGN_IN = /^\/sign-in(?:\.data)?$/;
const REGISTER_IMPORT = /^\/contracts\/import(?:\.data)?$/;

/** Which limit a request's body falls under, by where it goes and what it is. */
export function bodyKind(path: string, contentType: string | undefined): BodyKind {
  if (SIGN_IN.test(path)) return "signIn";
  if (JSON_ENDPOINT.test(path)) return "answer";
  if (REGISTER_IMPORT.test(path) && mediaType(contentType) === "multipart/form-data") return "upload";
  return "form";
}

const REFUSALS: Record<BodyKind, { title: string; message: string; link?: { href: string; text: string } }> = {
  signIn: {
    title: "The form is too large",
    message: `Signing in sends an email address and a password; this request sent more than ${BODY_LIMITS.signIn / KB} kB, so it was not read. Go back to the sign-in page and try again.`,
    link: { href: "/sign-in", text: "Go to the sign-in page" },
  },
  answer: {
    title: "The answer is too large",
    message: `The answer is too large to save: one answer may send at most ${BODY_LIMITS.answer / KB} kB. Shorten it and try again.`,
  },
  form: {
    title: "The form is too large",
    message: `The form sent more than ${BODY_LIMITS.form / MB} MB, the most Lantern reads from one form, so nothing was saved. Go back, shorten the longest answers and send it again.`,
  },
  upload: {
    title: "The file is too large",
    message: `The file is larger than ${MAX_REGISTER_BYTES / MB} MB, the most one import can take, so nothing was imported. Split the register into smaller files and import each one.`,
    link: { href: "/contracts/import", text: "Go back to the import page" },
  },
};

/** Passes a body through while counting it; errors as soon as it passes the limit. */
class BodyCounter extends Transform {
  private received = 0;
  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.received += chunk.length;
    if (this.received > this.limit) {
      this.onExceeded();
      callback(new Error(`The request body is larger than ${this.limit} bytes`));
      return;
    }
    callback(null, chunk);
  }
}

const bodies = new WeakMap<Request, BodyCounter>();
const refused = new WeakSet<Response>();
const refusals = new WeakMap<Request, AbortController>();

/** The stream Remix reads a request's body from: the counter when the body limit set one up. */
export function requestBody(req: Request): NodeJS.ReadableStream {
  return bodies.get(req) ?? req;
}

/** Whether the body limit has already answered this request (Remix's own answer is then dropped). */
export const answeredByBodyLimit = (res: Response) => refused.has(res);

/** Aborted when the body limit answers the request: Remix stops working on it (and logs nothing). */
export function refusalSignal(req: Request): AbortSignal | undefined {
  return refusals.get(req)?.signal;
}

function hasBody(req: Request): boolean {
  const length = req.get("content-length");
  return req.get("transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}

/**
 * Read and throw away what the client still sends, so it sees the answer rather than a reset
 * connection, for at most LINGER_MS and LINGER_BYTES; then close the connection.
 */
function discardRest(req: Request, lingerMs: number) {
  if (req.complete || req.destroyed) return;
  req.unpipe();
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    if (!req.complete) req.socket.destroy();
  };
  const timer = setTimeout(close, lingerMs);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

export function bodyLimit(options: { stylesheet?: () => string | undefined; lingerMs?: number } = {}): RequestHandler {
  const lingerMs = options.lingerMs ?? LINGER_MS;
  return (req: Request, res: Response, next: NextFunction) => {
    // Whatever answers the request (a refusal here or later, a route that never reads its
    // body), the rest of an unread body is thrown away within bounds, never left pending.
    res.once("finish", () => discardRest(req, lingerMs));
    if (!hasBody(req)) return next();
    const kind = bodyKind(req.path, req.get("content-type"));
    const limit = BODY_LIMITS[kind];
    const tooLarge = () => {
      if (res.headersSent) return;
      refused.add(res);
      refusals.get(req)?.abort(new Error(`The request body is larger than ${limit} bytes`));
      const { title, message, link } = REFUSALS[kind];
      refuse(req, res, 413, title, message, options.stylesheet?.(), link);
    };
    const declared = Number(req.get("content-length"));
    if (declared > limit) return tooLarge();
    // GET and HEAD bodies are never read: they are thrown away when the answer is sent.
    if (req.method === "GET" || req.method === "HEAD") return next();
    refusals.set(req, new AbortController());
    const counter = new BodyCounter(limit, tooLarge);
    // The counter's error reaches Remix as a body that failed to arrive; the client has its 413.
    counter.on("error", () => {});
    req.on("error", (error) => counter.destroy(error));
    req.pipe(counter);
    bodies.set(req, counter);
    next();
  };
}
