/**
 * Navigation timing in headless Chromium (playwright-core) over an emulated slow link: 150 ms added
 * latency per request (CDP Network.emulateNetworkConditions) and the CPU slowed 4× (CDP
 * Emulation.setCPUThrottlingRate). Measures
 *   (a) click on "Save and continue" → the next theme page's heading shown, and click on a task-list
 *       link → that theme page's heading shown, with the requests made in between (the round trips);
 *   (b) the requests a first load of a theme page makes with a cold cache.
 * "Shown" is the first animation frame after an <h1> with the expected text entered the document
 * (an init script watches every document with a MutationObserver).
 */
import { type BrowserContext, type CDPSession, chromium, type Locator, type Page, type Request } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../e2e/browser";
import { onCleanup } from "./lib/cleanup";
import type { Context } from "./lib/context";
import { createTarget, DEMO_SUPPLIER_EMAIL, setupDatabase } from "./lib/database";
import { Supplier } from "./lib/http";
import { AppServer, freePort } from "./lib/server";
import { ms, percentile, sleep } from "./lib/stats";
import { type ColdLoad, type NavRequest, type NavResult, type Transition, waterfall } from "./nav-result";
import { questionnaire } from "./questions";

export const LATENCY_MS = 150;
export const CPU_SLOWDOWN = 4;
const SAVE_AND_CONTINUE_STEPS = 4;
const TASK_LIST_THEMES = [6, 7, 2];


/** Runs in every document: remember when each <h1> text was first on screen (Date.now(), epoch ms). */
const WATCH_HEADINGS = `(() => {
  const seen = (window.__headings = window.__headings || {});
  const look = () => {
    const h = document.querySelector("h1");
    const text = h && h.textContent ? h.textContent.trim() : "";
    if (text && !(text in seen)) { seen[text] = -1; requestAnimationFrame(() => { seen[text] = Date.now(); }); }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  look();
})();`;

class RequestLog {
  readonly entries: Array<{ request: Request; at: number; end?: number; status?: number; bytes?: number }> = [];
  /** Requests Chromium answered from its cache (CDP), by URL, with when (epoch ms). */
  readonly cached: Array<{ url: string; at: number }> = [];
  inFlight = 0;

  constructor(page: Page) {
    page.on("request", (request) => {
      this.inFlight += 1;
      this.entries.push({ request, at: Date.now() });
    });
    const done = (request: Request) => {
      this.inFlight -= 1;
      const entry = this.entries.find((e) => e.request === request);
      if (entry) entry.end = Date.now();
    };
    page.on("response", (response) => {
      const entry = this.entries.find((e) => e.request === response.request());
      if (entry) entry.status = response.status();
    });
    page.on("requestfinished", async (request) => {
      done(request);
      const entry = this.entries.find((e) => e.request === request);
      if (entry) entry.bytes = (await request.sizes().catch(() => undefined))?.responseBodySize;
    });
    page.on("requestfailed", done);
  }

  /** Note what Chromium serves from its memory or disk cache: those cost no round trip. */
  async watchCache(cdp: CDPSession): Promise<void> {
    const sent = new Map<string, { url: string; at: number }>();
    cdp.on("Network.requestWillBeSent", (e) => sent.set(e.requestId, { url: e.request.url, at: e.wallTime * 1000 }));
    const hit = (requestId: string) => {
      const s = sent.get(requestId);
      if (s) this.cached.push(s);
    };
    cdp.on("Network.requestServedFromCache", (e) => hit(e.requestId));
    cdp.on("Network.responseReceived", (e) => {
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) hit(e.requestId);
    });
  }

  private fromCache(url: string, at: number): boolean {
    return this.cached.some((c) => c.url === url && Math.abs(c.at - at) < 250);
  }

  /** Requests started in [from, to] (epoch ms), times relative to `from`. */
  between(from: number, to: number): NavRequest[] {
    return this.entries
      .filter((e) => startOf(e) >= from - 5 && startOf(e) <= to)
      .map((e) => ({
        method: e.request.method(),
        url: e.request.url(),
        type: e.request.resourceType(),
        startMs: startOf(e) - from,
        endMs: e.end !== undefined ? e.end - from : undefined,
        status: e.status,
        bytes: e.bytes,
        fromCache: this.fromCache(e.request.url(), startOf(e)),
      }))
      .sort((a, b) => a.startMs - b.startMs);
  }

  /** Wait until no request has been in flight for `quietMs`. */
  async idle(quietMs = 800, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.inFlight > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= quietMs) return;
      await sleep(25);
    }
  }
}

function startOf(e: { request: Request; at: number }): number {
  const t = e.request.timing();
  return t.startTime > 0 ? t.startTime : e.at;
}

async function slowLink(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: LATENCY_MS, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return cdp;
}

/** The time (epoch ms) `title` was first shown as the page's <h1>, waiting up to `timeoutMs`. */
async function headingShown(page: Page, title: string, timeoutMs = 20_000): Promise<number> {
  try {
    const handle = await page.waitForFunction(
      (t) => {
        const seen = (window as unknown as { __headings?: Record<string, number> }).__headings;
        const at = seen?.[t];
        return at !== undefined && at > 0 ? at : false;
      },
      title,
      { timeout: timeoutMs, polling: 20 },
    );
    return (await handle.jsonValue()) as number;
  } catch (error) {
    const h1 = await page.locator("h1").first().innerText().catch(() => "(none)");
    throw new Error(`waited ${timeoutMs / 1000} s for the heading “${title}”; the page is ${page.url()} with the heading “${h1}”`, { cause: error });
  }
}

/**
 * Wait until the page has loaded, Remix has started (window.__remixRouter), a theme page has
 * hydrated (its form says enhanced=1) and the network has been quiet for a while.
 */
async function settled(page: Page, log: RequestLog): Promise<void> {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 15_000 }).catch(() => undefined);
  if (/\/themes\//.test(page.url())) await page.waitForSelector("input[name=enhanced][value='1']", { state: "attached", timeout: 15_000 }).catch(() => undefined);
  await log.idle();
}

/** Click in the page itself and return the click's time (epoch ms), without Playwright's actionability round trips. */
async function clickNow(target: Locator): Promise<number> {
  return target.first().evaluate((el) => {
    const at = Date.now();
    (el as HTMLElement).click();
    return at;
  });
}

export async function runNav(ctx: Context): Promise<NavResult> {
  console.log(`\nNavigation in Chromium: ${LATENCY_MS} ms latency a request, CPU slowed ${CPU_SLOWDOWN}×, SQLite`);
  const qn = questionnaire();
  const target = await createTarget("sqlite", ctx.tempDir, "nav", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const server = await AppServer.start({ cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry });
  const executablePath = await chromiumPath();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const closeBrowser = onCleanup("close Chromium", () => browser.close());
  try {
    const supplier = new Supplier(server.base, DEMO_SUPPLIER_EMAIL);
    await supplier.signIn();
    const assessmentId = await supplier.startAssessment();
    const [name, value] = supplier.cookie.split(/=(.*)/s) as [string, string];
    const context = await browser.newContext();
    await context.addCookies([{ name, value, url: server.base }]);
    await context.addInitScript(WATCH_HEADINGS);
    const page = await context.newPage();
    const log = new RequestLog(page);
    await log.watchCache(await slowLink(context, page));
    const themeUrl = (i: number) => `${server.base}/assessments/${assessmentId}/themes/${qn.themes[i]!.id}`;

    // (b) first load of a theme page, cold cache
    const t0 = Date.now();
    await page.goto(themeUrl(0), { waitUntil: "load" });
    const loadEventAt = Date.now();
    const headingAt = await headingShown(page, qn.themes[0]!.title);
    await settled(page, log);
    const idleAt = Date.now() - 800;
    const coldRequests = log.between(t0, idleAt);
    const cold: ColdLoad = {
      url: new URL(themeUrl(0)).pathname.replace(assessmentId, ":id"),
      loadEventMs: loadEventAt - t0,
      headingMs: headingAt - t0,
      idleMs: idleAt - t0,
      requests: coldRequests,
      transferBytes: coldRequests.reduce((s, r) => s + (r.bytes ?? 0), 0),
    };
    console.log(`  cold load of ${cold.url}: ${cold.requests.length} requests, heading after ${cold.headingMs} ms, load event ${cold.loadEventMs} ms, quiet after ${cold.idleMs} ms`);
    for (const line of waterfall(cold.requests)) console.log(`      ${line}`);

    // (a) "Save and continue" from theme i to theme i+1, after answering one question and letting autosave finish
    const transitions: Transition[] = [];
    for (let i = 0; i < SAVE_AND_CONTINUE_STEPS; i++) {
      const from = qn.themes[i]!;
      const to = qn.themes[i + 1]!;
      const radio = page.locator("form input.govuk-radios__input").first();
      if ((await radio.count()) > 0) await radio.check();
      await log.idle(1200);
      const clickAt = await clickNow(page.getByRole("button", { name: "Save and continue" }));
      const shownAt = await headingShown(page, to.title);
      await settled(page, log); // also lets the last responses' status arrive
      const requests = log.between(clickAt, shownAt);
      transitions.push({ kind: "save-and-continue", from: from.id, to: to.id, ms: shownAt - clickAt, fullPageLoad: requests.some((r) => r.type === "document"), roundTrips: requests.filter((r) => !r.fromCache).length, requests });
    }

    // (a) a task-list link, from the assessment's task list to a theme page
    for (const i of TASK_LIST_THEMES) {
      const theme = qn.themes[i]!;
      await page.goto(`${server.base}/assessments/${assessmentId}`, { waitUntil: "load" });
      await settled(page, log);
      const clickAt = await clickNow(page.locator(`a[href$="/themes/${theme.id}"]`));
      const shownAt = await headingShown(page, theme.title);
      await settled(page, log);
      const requests = log.between(clickAt, shownAt);
      transitions.push({ kind: "task-list-link", from: "task list", to: theme.id, ms: shownAt - clickAt, fullPageLoad: requests.some((r) => r.type === "document"), roundTrips: requests.filter((r) => !r.fromCache).length, requests });
    }
    for (const t of transitions) {
      console.log(`  ${t.kind === "save-and-continue" ? `Save and continue ${t.from} → ${t.to}` : `task list → ${t.to}`}: ${t.ms} ms, ${t.roundTrips} round trip${t.roundTrips === 1 ? "" : "s"} (${t.requests.length} requests)${t.fullPageLoad ? ", a full page load" : ""}`);
      for (const line of waterfall(t.requests)) console.log(`      ${line}`);
    }
    const result: NavResult = { latencyMs: LATENCY_MS, cpuSlowdown: CPU_SLOWDOWN, chromium: browser.version(), cold, transitions };
    for (const kind of ["save-and-continue", "task-list-link"] as const) {
      const times = transitions.filter((t) => t.kind === kind).map((t) => t.ms);
      console.log(`  ${kind}: median ${ms(percentile(times, 50))} ms, slowest ${Math.max(...times)} ms`);
    }
    await context.close();
    return result;
  } finally {
    await closeBrowser();
    await server.stop();
    await target.drop();
  }
}
