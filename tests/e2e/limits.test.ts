/**
 * Bounded work per request, tried against the built app over HTTP as an attacker would: bodies
 * far over their limit (chunked, with no length, or with a length that says so), a workbook that
 * unpacks one 20 MB cell, and names from the query string or a form that match what every object
 * inherits (__proto__, constructor, toString). Each is refused with 413 or 400 and its reason,
 * while the server's memory stays within 64 MB of where it was and /healthz keeps answering.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import writeExcelFile from "write-excel-file/node";
import { createDb, type Db } from "../../db/index";
import { BODY_LIMITS } from "../../app/http/body-limit";
import { expectAccessible, launch, signIn } from "./browser";
import { FORM, type Session, get, post, signInOverHttp } from "./http";

const baseUrl = inject("baseUrl");
const database = inject("database");
const serverPid = inject("serverPid");
const MB = 1024 * 1024;

let db: Db;
let admin: Session;
let manager: Session;
let supplier: Session;
let submittedId: string;
let contractId: string;
let conversationId: string;

beforeAll(async () => {
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  admin = await signInOverHttp(baseUrl, "admin@dpw.example");
  manager = await signInOverHttp(baseUrl, "manager@dpw.example");
  supplier = await signInOverHttp(baseUrl, "admin@brightwear.example");
  submittedId = (
    await db
      .selectFrom("assessment")
      .innerJoin("organisation", "organisation.id", "assessment.organisation_id")
      .select("assessment.id")
      .where("organisation.name", "=", "Brightwear Textiles Ltd")
      .where("assessment.status", "!=", "draft")
      .executeTakeFirstOrThrow()
  ).id;
  contractId = (await db.selectFrom("contract").innerJoin("organisation", "organisation.id", "contract.organisation_id").select("contract.id").where("organisation.slug", "=", "department-for-public-works").executeTakeFirstOrThrow()).id;
  const started = await post(baseUrl, `/results/${submittedId}/conversations/new`, { session: manager, headers: { Origin: baseUrl, "Content-Type": FORM }, body: "intent=save" });
  expect(started.status).toBe(302);
  conversationId = started.headers.get("location")!.split("?")[0]!.split("/").pop()!;
});
afterAll(async () => db?.destroy());

/** The server's resident memory in MB, from the kernel. */
function rssMb(): number {
  const status = readFileSync(`/proc/${serverPid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)![1]) / 1024;
}

/**
 * Watch the server while an attack runs and for a second after it is answered (while what the
 * client still sends is thrown away): its memory sampled every few milliseconds, and /healthz
 * asked again as soon as it answers (after a short pause), each answer timed.
 */
async function watchServer() {
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 5);
  const latencies: number[] = [];
  let watching = true;
  let firstAnswer = () => {};
  const answering = new Promise<void>((resolve) => (firstAnswer = resolve));
  const polling = (async () => {
    while (watching) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/healthz`);
      await response.text();
      latencies.push(performance.now() - started);
      expect(response.status).toBe(200);
      firstAnswer();
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await answering;
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 1_000));
      watching = false;
      await polling;
      clearInterval(sampler);
      peak = Math.max(peak, rssMb());
      const sorted = [...latencies].sort((a, b) => a - b);
      return { growthMb: peak - before, count: sorted.length, median: sorted[Math.floor(sorted.length / 2)]!, p90: sorted[Math.floor(sorted.length * 0.9)]!, slowest: sorted.at(-1)! };
    },
  };
}

/**
 * The server kept its memory and kept answering: under 64 MB more at the peak, and /healthz within
 * 100 ms. Other tests may share the machine's cores, so an answer may wait for one now and then:
 * the median must be under 100 ms and no answer may take a second (a blocked server took a minute).
 */
function expectServerFine(watched: Awaited<ReturnType<Awaited<ReturnType<typeof watchServer>>["stop"]>>, what: string) {
  console.log(`${what}: RSS +${watched.growthMb.toFixed(1)} MB at the peak; /healthz ${watched.count} answers, median ${watched.median.toFixed(1)} ms, 90th percentile ${watched.p90.toFixed(1)} ms, slowest ${watched.slowest.toFixed(1)} ms`);
  expect(watched.count).toBeGreaterThan(10);
  expect(watched.growthMb).toBeLessThan(64);
  expect(watched.median).toBeLessThan(100);
  expect(watched.slowest).toBeLessThan(1000);
}

type Sent = { status: number; body: string; sentBytes: number } | { error: string; sentBytes: number };

/**
 * Post `totalBytes` of filler from a stream, without a Content-Length (chunked), 64 kB at a time
 * and only as fast as the connection takes it; stop sending as soon as the server answers or
 * closes, so neither side holds the body.
 */
function postChunked(path: string, options: { contentType: string; totalBytes: number; session?: Session; accept?: string; prefix?: string; contentLength?: number }): Promise<Sent> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve) => {
    let sentBytes = 0;
    let answered = false;
    const headers: Record<string, string> = { "Content-Type": options.contentType, Origin: baseUrl };
    if (options.session) headers.Cookie = options.session.cookie;
    if (options.accept) headers.Accept = options.accept;
    if (options.contentLength !== undefined) headers["Content-Length"] = String(options.contentLength);
    else headers["Transfer-Encoding"] = "chunked";
    const { hostname, port } = new URL(baseUrl);
    const request = http.request({ host: hostname, port, path, method: "POST", headers });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (d: string) => (body += d));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode!, body, sentBytes });
      });
    });
    request.on("error", (error) => {
      if (!answered) resolve({ error: error.message, sentBytes });
    });
    if (options.prefix) {
      request.write(options.prefix);
      sentBytes += Buffer.byteLength(options.prefix);
    }
    const pump = () => {
      while (!answered && !request.destroyed && sentBytes < options.totalBytes) {
        sentBytes += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}

function answered(sent: Sent): { status: number; body: string; sentBytes: number } {
  if ("error" in sent) throw new Error(`the server closed the connection without answering (${sent.error}) after ${sent.sentBytes} bytes`);
  return sent;
}

describe("request bodies are limited while they stream in", () => {
  it("an anonymous chunked 300 MB body to /sign-in is refused with 413 after its first 16 kB, the server unmoved", async () => {
    const watch = await watchServer();
    const sent = answered(await postChunked("/sign-in", { contentType: FORM, totalBytes: 300 * MB, prefix: "email=a%40b.example&password=" }));
    const watched = await watch.stop();
    expect(sent.status).toBe(413);
    expect(sent.body).toContain("The form is too large");
    expect(sent.body).toContain(`more than ${BODY_LIMITS.signIn / 1024} kB`);
    expect(sent.sentBytes).toBeLessThan(100 * MB);
    console.log(`chunked 300 MB to /sign-in: answered ${sent.status} after the client had sent ${(sent.sentBytes / MB).toFixed(1)} MB`);
    expectServerFine(watched, "chunked 300 MB to /sign-in");
  });

  it("a chunked 300 MB upload to /contracts/import by its administrator is refused with 413 after 20 MB, the server unmoved", async () => {
    const boundary = "----lantern-limits";
    const prefix = `--${boundary}\r\nContent-Disposition: form-data; name="register"; filename="register.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const watch = await watchServer();
    const sent = answered(await postChunked("/contracts/import", { contentType: `multipart/form-data; boundary=${boundary}`, totalBytes: 300 * MB, session: admin, prefix }));
    const watched = await watch.stop();
    expect(sent.status).toBe(413);
    expect(sent.body).toContain("The file is too large");
    expect(sent.body).toContain("larger than 20 MB");
    expect(sent.body).toContain('href="/contracts/import"');
    expect(sent.sentBytes).toBeLessThan(150 * MB);
    console.log(`chunked 300 MB to /contracts/import: answered ${sent.status} after the client had sent ${(sent.sentBytes / MB).toFixed(1)} MB`);
    expectServerFine(watched, "chunked 300 MB to /contracts/import");
  });

  it("a body whose Content-Length is over the limit is refused at once, before it is sent", async () => {
    const watch = await watchServer();
    const sent = answered(await postChunked("/sign-in", { contentType: FORM, totalBytes: 300 * MB, contentLength: 300 * MB }));
    const watched = await watch.stop();
    expect(sent.status).toBe(413);
    expect(sent.sentBytes).toBeLessThan(150 * MB);
    expectServerFine(watched, "Content-Length 300 MB to /sign-in");
  });

  it("scripts get JSON: an oversized autosave and an oversized single-fetch form", async () => {
    const draft = await db.selectFrom("assessment").select("id").where("status", "=", "draft").executeTakeFirstOrThrow();
    const autosave = answered(await postChunked(`/assessments/${draft.id}/answers`, { contentType: "application/json", totalBytes: 5 * MB, session: supplier }));
    expect(autosave.status).toBe(413);
    expect(JSON.parse(autosave.body)).toEqual({ message: `The answer is too large to save: one answer may send at most ${BODY_LIMITS.answer / 1024} kB. Shorten it and try again.` });
    const form = answered(await postChunked(`/conversations/${conversationId}.data`, { contentType: FORM, totalBytes: 5 * MB, session: manager }));
    expect(form.status).toBe(413);
    expect(JSON.parse(form.body)).toEqual({ message: expect.stringContaining("more than 1 MB") });
  });

  it("bodies within their limits still arrive whole: a 15 kB sign-in, a 900 kB conversation record, a register file", async () => {
    const signIn = await post(baseUrl, "/sign-in", { headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ email: "nobody@elsewhere.example", password: "x".repeat(200), redirectTo: `/${"r".repeat(14_000)}` }) });
    expect(signIn.status).not.toBe(413);
    const notes = "n".repeat(4_900);
    const record = new URLSearchParams({ intent: "save", notes });
    for (let i = 0; i < 100; i++) record.set(`action-${i}-description`, "");
    const body = `${record.toString()}&padding=${"p".repeat(880_000)}`;
    expect(body.length).toBeGreaterThan(880_000);
    const saved = await post(baseUrl, `/conversations/${conversationId}`, { session: manager, headers: { Origin: baseUrl, "Content-Type": FORM }, body });
    expect(saved.status).toBe(302);
    const upload = new FormData();
    upload.set("register", new Blob(["not,a,register\r\n"], { type: "text/csv" }), "register.csv");
    const imported = await post(baseUrl, "/contracts/import", { session: admin, headers: { Origin: baseUrl }, body: upload });
    expect(imported.status).toBe(400); // read whole, and refused for its content (not a register), not for its size
    expect(await imported.text()).toContain("nothing was imported");
  });
});

describe("a register file over 20 MB, chosen in a browser", () => {
  it("is refused on the import page before it is sent with JavaScript, and by the server's 413 page without", async () => {
    const browser = await launch();
    try {
      for (const javaScriptEnabled of [true, false]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await signIn(page, baseUrl, "admin@dpw.example");
        await page.goto(`${baseUrl}/contracts/import`);
        await page.waitForLoadState("networkidle");
        const posts: number[] = [];
        page.on("response", (r) => r.request().method() === "POST" && posts.push(r.status()));
        await page.setInputFiles("#register", { name: "register.csv", mimeType: "text/csv", buffer: Buffer.alloc(21 * MB, "a") });
        await page.getByRole("button", { name: "Import" }).click();
        if (javaScriptEnabled) {
          await expect.poll(() => page.locator("#register-error").innerText()).toContain("The file is 21.0 MB: the most it can be is 20 MB. Split the register into smaller files");
          expect(posts).toEqual([]);
          await expectAccessible(page);
        } else {
          await expect.poll(() => page.locator("main").innerText()).toContain("The file is larger than 20 MB");
          expect(posts).toEqual([413]);
          await page.getByRole("link", { name: "Go back to the import page" }).click();
          await expect.poll(() => page.url()).toBe(`${baseUrl}/contracts/import`);
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});

describe("a workbook is read within bounds, off the server's thread", () => {
  it("a 22 kB workbook holding one 20 MB cell is refused with the reason, the server unmoved", async () => {
    const workbook = await writeExcelFile([[{ value: "reference" }], [{ value: "x".repeat(20 * MB) }]]).toBuffer();
    expect(workbook.length).toBeLessThan(64 * 1024);
    const upload = new FormData();
    upload.set("register", new Blob([new Uint8Array(workbook)], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), "register.xlsx");
    const watch = await watchServer();
    const response = await post(baseUrl, "/contracts/import", { session: admin, headers: { Origin: baseUrl }, body: upload });
    const page = await response.text();
    const watched = await watch.stop();
    expect(response.status).toBe(400);
    expect(page).toContain("The workbook&#x27;s sheet has a cell of 20.0 MB (A2): cells may hold at most 32 kB.");
    expectServerFine(watched, "XLSX with one 20 MB cell to /contracts/import");
  });
});

describe("names from outside match only what they name", () => {
  const INHERITED = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

  /** Every query parameter of a GET page that names a column, an option, a filter or a record (`ids`: an unknown one is a 404). */
  const PAGES: Array<{ path: () => string; session: () => Session; params: string[]; ids?: string[] }> = [
    { path: () => "/contracts", session: () => admin, params: ["sort", "direction", "tier", "risk", "status", "category", "manager", "q", "page"] },
    { path: () => "/contracts/export", session: () => admin, params: ["format", "sort", "direction", "tier", "risk", "status"] },
    { path: () => "/results", session: () => admin, params: ["band"] },
    { path: () => "/statistics", session: () => admin, params: ["period", "tier", "category", "priority", "small"] },
    { path: () => "/invitations", session: () => manager, params: ["status", "manager", "page", "reminded", "cancelled"], ids: ["cancel"] },
    { path: () => "/outbox", session: () => admin, params: ["page"] },
    { path: () => `/contracts/${contractId}`, session: () => admin, params: ["saved", "invited"] },
    { path: () => `/conversations/${conversationId}`, session: () => manager, params: ["saved"] },
    { path: () => "/supplier", session: () => supplier, params: ["shared"] },
    { path: () => `/assessments/${submittedId}/sharing`, session: () => supplier, params: [], ids: ["stop", "shared", "stopped"] },
    { path: () => `/assessments/${submittedId}/report`, session: () => supplier, params: ["responded"] },
  ];

  it("__proto__, constructor, toString, hasOwnProperty and valueOf in any query parameter: the default or a 400 (a 404 for a record), never a server error", async () => {
    const wrong: string[] = [];
    for (const page of PAGES) {
      for (const param of [...page.params, ...(page.ids ?? [])]) {
        const allowed = page.ids?.includes(param) ? [200, 400, 404] : [200, 400];
        for (const name of INHERITED) {
          const path = `${page.path()}?${param}=${encodeURIComponent(name)}`;
          const response = await get(baseUrl, path, page.session());
          const body = await response.text();
          if (!allowed.includes(response.status)) wrong.push(`${path}: ${response.status} ${body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the statistics download refuses an unknown format with 400 and says which formats there are", async () => {
    for (const format of ["pdf", ...INHERITED]) {
      const response = await get(baseUrl, `/statistics/export?format=${encodeURIComponent(format)}`, admin);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(`Choose a download format: csv, xlsx or txt (not “${format}”).\n`);
    }
  });

  it("a register sorted by __proto__ or constructor is the register sorted by value", async () => {
    const byDefault = await (await get(baseUrl, "/contracts", admin)).text();
    const rowsOf = (page: string) => [...page.matchAll(/href="\/contracts\/([^"/?]+)"/g)].map((m) => m[1]);
    for (const sort of ["__proto__", "constructor", "toString"]) {
      const response = await get(baseUrl, `/contracts?sort=${sort}`, admin);
      expect(response.status).toBe(200);
      expect(rowsOf(await response.text())).toEqual(rowsOf(byDefault));
    }
  });

  it("verification-__proto__ on the conversation form is refused like any other unknown question", async () => {
    const save = (name: string) =>
      post(baseUrl, `/conversations/${conversationId}`, { session: manager, headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ intent: "save", [`verification-${name}`]: "verified" }) });
    const unknown = await save("not-a-question");
    const inherited = await save("__proto__");
    const constructor = await save("constructor");
    for (const response of [unknown, inherited, constructor]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("This question was not answered in the submitted assessment, so its answer cannot be verified");
    }
  });
});
