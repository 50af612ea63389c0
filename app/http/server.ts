/**
 * The production server: static files, the shared defences in ./security and ./body-limit, then
 * Remix (./remix-handler, which reads bodies through the body limit).
 * Run after `npm run build` with `node --import tsx app/http/server.ts` (what `npm start` does).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { createTransport } from "nodemailer";
import { createDb } from "../../db/index";
import { runNotifications } from "../services/notifications.server";
import { deliverOutbox } from "../services/outbox.server";
import { bodyLimit } from "./body-limit";
import { remixHandler } from "./remix-handler";
import { JSON_ENDPOINT, bodyTypeCheck, cspNonce, noStore, originCheck, securityHeaders } from "./security";

export type ServerOptions = {
  allowedOrigins?: string[];
  secure?: boolean;
  /** Express's "trust proxy" setting: hops or addresses of the load balancers in front. */
  trustProxy?: string;
};

/** GOV.UK Frontend's stylesheet, for the few pages served before Remix (refusals). */
function findStylesheet(clientDir: string): string | undefined {
  try {
    const file = readdirSync(path.join(clientDir, "assets")).find((f) => f.startsWith("govuk-frontend") && f.endsWith(".css"));
    return file ? `/assets/${file}` : undefined;
  } catch {
    return undefined;
  }
}

export function createApp(build: ServerBuild, options: ServerOptions = {}) {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) {
    const hops = Number(options.trustProxy);
    app.set("trust proxy", Number.isInteger(hops) ? hops : options.trustProxy);
  }
  const stylesheet = findStylesheet(build.assetsBuildDirectory);
  const security = { allowedOrigins: options.allowedOrigins, secure: options.secure, stylesheet: () => stylesheet };

  // Autosave replies are a few bytes of JSON: compressing them costs memory and time for nothing
  // (streamed Remix responses carry no length, so the middleware's size threshold never applies).
  app.use(compression({ filter: (req, res) => !JSON_ENDPOINT.test(req.path) && compression.filter(req, res) }));
  app.use(cspNonce(), securityHeaders(security));
  // Fingerprinted build output (and GOV.UK Frontend's fingerprinted fonts and images) never
  // changes; other public files (the favicon) may.
  app.use("/assets", express.static(path.join(build.assetsBuildDirectory, "assets"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(build.assetsBuildDirectory, { maxAge: "1h", index: false }));
  // One access-log line a request ("GET /path 200 123 - 4.567 ms"); LOG_REQUESTS=0 turns it off.
  if (process.env.LOG_REQUESTS !== "0") app.use(morgan("tiny"));
  // Before anything reads a body: bodies over their limit are refused while they stream in.
  app.use(bodyLimit(security));
  app.use(noStore(), originCheck(security), bodyTypeCheck(security));
  app.all(
    "*",
    remixHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
    }),
  );
  return app;
}

/**
 * Every 30 seconds from this process: write the email notifications that are ready to the outbox
 * (claimed per person, so several instances write each once), then, with a mail server
 * configured, send the outbox.
 */
function startMailTick(smtpUrl: string | undefined, from: string) {
  // Its own connection: on SQLite it never waits for a lock (a request of this process may hold it,
  // and waiting would stall every request); a tick that finds the database busy tries again in 30 s.
  const db = createDb(process.env.DATABASE_URL, { schema: process.env.DATABASE_SCHEMA, busyTimeoutMs: 0 });
  const transport = smtpUrl ? createTransport(smtpUrl) : undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      // Links in them point at PUBLIC_ORIGIN, read (and checked) here.
      const { emails } = await runNotifications(db, new Date());
      if (emails) console.log(`Notifications: ${emails} written to the outbox`);
    } catch (error) {
      console.error("Notifications failed:", error instanceof Error ? error.message : error);
    }
    try {
      if (transport) {
        const { sent, failed } = await deliverOutbox(db, transport, { from });
        if (sent || failed) console.log(`Mail: ${sent} sent, ${failed} failed (tried again later)`);
      }
    } catch (error) {
      console.error("Mail delivery failed:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };
  setInterval(() => void tick(), 30_000).unref();
}

async function main() {
  process.env.NODE_ENV ??= "production";
  const buildPath = path.resolve("build/server/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const app = createApp(build, {
    allowedOrigins: (process.env.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    secure: process.env.COOKIE_SECURE === "1",
    trustProxy: process.env.TRUST_PROXY,
  });
  startMailTick(process.env.SMTP_URL, process.env.MAIL_FROM ?? "Lantern <no-reply@lantern.invalid>");
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, process.env.HOST ?? "0.0.0.0", () => console.log(`Lantern is listening on http://localhost:${port}`));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
