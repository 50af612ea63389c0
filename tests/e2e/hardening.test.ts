/**
 * The defences as a real browser meets them: return paths after sign-in that try to leave the
 * site, pages on another site or a sibling origin that forge requests, a throttled sign-in, and
 * signing out everywhere.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newId } from "../../db/ids";
import { createDb, type Db } from "../../db/index";
import { hashPassword } from "../../app/domain/passwords";
import { expectAccessible, launch, signIn } from "./browser";
import { FORM, get, post, signInOverHttp } from "./http";

const baseUrl = inject("baseUrl");
const database = inject("database");
let browser: Browser;
let db: Db;

/** Return paths that must never take a signed-in user off the site (raw, before URL encoding). */
const HOSTILE_RETURN_PATHS = [
  "/\t/evil.example/",
  "/\t\\evil.example/",
  "\t/evil.example/",
  "/%09/evil.example/",
  "//evil.example/",
  "///evil.example/",
  "/\\evil.example/",
  "\\\\evil.example/",
  "/%5C%5Cevil.example/",
  "/%2F%2Fevil.example/",
  "%2F%2Fevil.example/",
  "https://evil.example/",
  "http:evil.example",
  "http:/evil.example",
  "//evil.example@127.0.0.1/",
  "/\n/evil.example/",
  "/\r\n/evil.example/",
  "/\u000b/evil.example/",
  "/\u0000/evil.example/",
  "/\u3000/evil.example/",
  "javascript:alert(document.domain)",
  "data:text/html,<h1>phish</h1>",
  "",
];

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function signInWithReturnPath(page: Page, returnPath: string) {
  await page.goto(`${baseUrl}/sign-in?${new URLSearchParams({ redirectTo: returnPath })}`);
  await page.getByLabel("Email address").fill("admin@acme.example");
  await page.getByLabel("Password").fill("lantern-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 15_000 });
  await page.waitForLoadState("load");
}

describe("return paths after sign-in stay on this app", () => {
  it("the server answers every hostile return path with a redirect to a path here, never a 500", async () => {
    for (const returnPath of HOSTILE_RETURN_PATHS) {
      const response = await post(baseUrl, "/sign-in", {
        headers: { Origin: baseUrl, "Content-Type": FORM },
        body: new URLSearchParams({ email: "admin@acme.example", password: "lantern-demo-2026", redirectTo: returnPath }).toString(),
      });
      expect(response.status, JSON.stringify(returnPath)).toBe(302);
      const location = response.headers.get("location")!;
      expect(location, JSON.stringify(returnPath)).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, baseUrl).origin).toBe(baseUrl);
    }
  });

  it("Chromium, with JavaScript, lands on this app for every hostile return path", { timeout: 180_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    for (const returnPath of HOSTILE_RETURN_PATHS) {
      await signInWithReturnPath(page, returnPath);
      expect(new URL(page.url()).origin, JSON.stringify(returnPath)).toBe(baseUrl);
      await page.context().clearCookies();
    }
    await page.close();
  });

  it("Chromium without JavaScript too, and a genuine return path still works", { timeout: 180_000 }, async () => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    for (const returnPath of HOSTILE_RETURN_PATHS) {
      await signInWithReturnPath(page, returnPath);
      expect(new URL(page.url()).origin, JSON.stringify(returnPath)).toBe(baseUrl);
      await page.context().clearCookies();
    }
    await signInWithReturnPath(page, "/supplier/colleagues?from=sign-in");
    expect(page.url()).toBe(`${baseUrl}/supplier/colleagues?from=sign-in`);
    await page.close();
  });
});

describe("forged requests from pages elsewhere", () => {
  let attacker: Server;
  let attackerPort: number;
  let pageHtml = "";

  beforeAll(async () => {
    attacker = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(pageHtml);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => attacker.close(() => resolve())));

  it("another site's auto-submitted form cannot sign a user out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@acme.example");
    pageHtml = `<!doctype html><html lang="en"><title>Prize</title><body><form id="f" method="post" action="${baseUrl}/sign-out"></form><script>document.getElementById("f").submit()</script></body></html>`;
    // localhost is another site than 127.0.0.1
    await page.goto(`http://localhost:${attackerPort}/`);
    await page.waitForURL(`${baseUrl}/sign-out`);
    expect(await page.locator("h1").innerText()).toBe("This request came from another website");
    await expectAccessible(page);
    await page.goto(`${baseUrl}/supplier`);
    expect(new URL(page.url()).pathname).toBe("/supplier");
    await context.close();
  });

  it("a sibling origin on the same site cannot save answers, whatever body type it sends", async () => {
    // Brightwear, not Acme: Acme's first assessment is started by the supplier journey test.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@brightwear.example");
    const session = await signInOverHttp(baseUrl, "admin@brightwear.example");
    const home = await (await get(baseUrl, "/supplier", session)).text();
    let assessmentId = /\/assessments\/([0-9a-f-]{36})/.exec(home)?.[1];
    if (!assessmentId) {
      const started = await post(baseUrl, "/supplier", { session, headers: { Origin: baseUrl, "Content-Type": FORM }, body: "" });
      assessmentId = started.headers.get("location")!.split("/").pop()!;
    }
    const before = await db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", assessmentId).orderBy("question_id").execute();
    const body = JSON.stringify({ questionId: "org.size", value: "large", baseRevision: 0 });
    pageHtml = `<!doctype html><html lang="en"><title>Sibling</title><body><p id="done">working</p><script>
      const url = ${JSON.stringify(`${baseUrl}/assessments/${assessmentId}/answers`)};
      const body = ${JSON.stringify(body)};
      Promise.allSettled([
        fetch(url, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body }),
        fetch(url, { method: "POST", mode: "no-cors", credentials: "include", body: new URLSearchParams({ data: body }) }),
        fetch(url, { method: "POST", mode: "no-cors", credentials: "include", body: new Blob([body]) }),
        fetch(url, { method: "POST", mode: "no-cors", credentials: "include", body: (() => { const f = new FormData(); f.set("data", body); return f; })() }),
      ]).then(() => { document.getElementById("done").textContent = "sent"; });
    </script></body></html>`;
    // same site as 127.0.0.1:<app port>, another origin
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    await expect.poll(() => page.locator("#done").innerText()).toBe("sent");
    const after = await db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", assessmentId).orderBy("question_id").execute();
    expect(after).toEqual(before);
    await context.close();
  });
});

describe("sign-in is throttled per account and address", () => {
  it("after 10 failures even the right password waits, and the page says how long", { timeout: 60_000 }, async () => {
    const email = "throttle.check@acme.example";
    const org = await db.selectFrom("organisation").select("id").where("name", "=", "Acme Facilities Ltd").executeTakeFirstOrThrow();
    await db
      .insertInto("user")
      .values({ id: newId(), organisation_id: org.id, email, name: "Throttle Check", role: "contributor", password_hash: await hashPassword("the right password"), created_at: new Date().toISOString() })
      .execute();
    const attempt = (password: string) =>
      post(baseUrl, "/sign-in", { headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ email, password }).toString() });
    for (let i = 1; i <= 9; i++) expect((await attempt(`wrong ${i}`)).status).toBe(400);
    const tenth = await attempt("wrong 10");
    expect(tenth.status).toBe(429);
    expect(Number(tenth.headers.get("retry-after"))).toBeGreaterThan(0);
    const refused = await attempt("the right password");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("set-cookie")).toBeNull();

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("the right password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary a").allInnerTexts()).toEqual([expect.stringMatching(/^Too many failed attempts to sign in\. Wait 1 minute and try again \(after .+\)\.$/)]);
    await expectAccessible(page);
    await page.close();
    // another account from the same address is unaffected
    expect((await signInOverHttp(baseUrl, "admin@acme.example")).cookie).toBeTruthy();
  });
});

describe("signing out everywhere", () => {
  it("ends every session of the account, from the account page", async () => {
    const elsewhere = await signInOverHttp(baseUrl, "admin@dpw.example");
    const page = await (await browser.newContext()).newPage();
    await signIn(page, baseUrl, "admin@dpw.example");
    await page.getByRole("link", { name: /Department for Public Works/ }).click();
    await page.waitForURL(`${baseUrl}/account`);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Your account");
    await expect.poll(() => page.locator("main").innerText()).toMatch(/You are signed in on \d+ browsers or devices, including this one/);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/sign-in\?signedOut=everywhere/);
    await expect.poll(() => page.locator(".govuk-notification-banner").innerText()).toContain("signed out on every browser and device");
    await expectAccessible(page);
    const other = await get(baseUrl, "/buyer", elsewhere);
    expect(other.status).toBe(302);
    expect(other.headers.get("location")).toMatch(/^\/sign-in/);
    await page.close();
  });
});
