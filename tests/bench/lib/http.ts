/**
 * HTTP as a signed-in supplier's browser would send it: the session cookie, an Origin header equal
 * to the server's own origin on every state change, JSON for autosave and form bodies for forms.
 */
import { performance } from "node:perf_hooks";
import { DEMO_PASSWORD } from "../../../db/seed";

export type SaveReply = {
  /** HTTP status, or "network" (no response: refused, reset) or "timeout". */
  status: number | "network" | "timeout";
  revision?: number;
  conflictRevision?: number;
  text: string;
  elapsed: number;
};

/** What Chromium sends; `--accept-encoding` changes it (e.g. identity: no compression). */
export const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";
let acceptEncoding = BROWSER_ACCEPT_ENCODING;
export function setAcceptEncoding(value: string): void {
  acceptEncoding = value;
}

export class Supplier {
  cookie = "";

  constructor(
    readonly base: string,
    readonly email: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Cookie: this.cookie, Origin: this.base, "Accept-Encoding": acceptEncoding, ...extra };
  }

  async signIn(password = DEMO_PASSWORD): Promise<void> {
    const res = await fetch(`${this.base}/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ email: this.email, password, redirectTo: "" }),
    });
    await res.arrayBuffer();
    const session = res.headers.getSetCookie().find((c) => c.startsWith("lantern_session="));
    if (res.status !== 302 || !session) throw new Error(`sign-in as ${this.email} failed: HTTP ${res.status}, no session cookie`);
    this.cookie = session.split(";")[0]!;
  }

  /** "Start your assessment" on the supplier's start page; returns the new draft's id. */
  async startAssessment(): Promise<string> {
    const res = await fetch(`${this.base}/supplier`, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded" }),
      body: "",
    });
    await res.arrayBuffer();
    const location = res.headers.get("location");
    const match = location ? /\/assessments\/([^/?#]+)$/.exec(new URL(location, this.base).pathname) : null;
    if (res.status !== 302 || !match) throw new Error(`starting an assessment as ${this.email} failed: HTTP ${res.status}, Location ${location ?? "(none)"}`);
    return match[1]!;
  }

  /** One autosave, as the theme page's script sends it. Never throws. */
  async saveAnswer(assessmentId: string, questionId: string, value: unknown, baseRevision: number, timeoutMs = 15_000): Promise<SaveReply> {
    const start = performance.now();
    try {
      const res = await fetch(`${this.base}/assessments/${assessmentId}/answers`, {
        method: "POST",
        redirect: "manual",
        headers: this.headers({ "Content-Type": "application/json", Accept: "application/json" }),
        body: JSON.stringify({ questionId, value, baseRevision }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      const elapsed = performance.now() - start;
      let json: { revision?: unknown; conflict?: { revision?: unknown } } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        /* not JSON: the caller sees the status and text */
      }
      return {
        status: res.status,
        revision: typeof json.revision === "number" ? json.revision : undefined,
        conflictRevision: typeof json.conflict?.revision === "number" ? json.conflict.revision : undefined,
        text,
        elapsed,
      };
    } catch (error) {
      const elapsed = performance.now() - start;
      const timeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      return { status: timeout ? "timeout" : "network", text: describe(error), elapsed };
    }
  }

  /** "Submit assessment" on the check-your-answers page. 302 to the report means it was accepted. Never throws. */
  async submit(assessmentId: string, timeoutMs = 30_000): Promise<{ status: number | "network" | "timeout"; location: string | null; elapsed: number; text: string }> {
    const start = performance.now();
    try {
      const res = await fetch(`${this.base}/assessments/${assessmentId}/check`, {
        method: "POST",
        redirect: "manual",
        headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded" }),
        body: "",
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, location: res.headers.get("location"), elapsed: performance.now() - start, text };
    } catch (error) {
      const timeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      return { status: timeout ? "timeout" : "network", location: null, elapsed: performance.now() - start, text: describe(error) };
    }
  }

  async get(path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { headers: { Cookie: this.cookie, "Accept-Encoding": acceptEncoding }, redirect: "manual" });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** Run `work` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}
