/** The environment, validated once. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL only: the schema to use (default: the server's search_path). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, "DATABASE_SCHEMA must be a plain lower-case name").optional(),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  SESSION_SECRET_FILE: z.string().default("data/session-secret"),
  COOKIE_SECURE: z.enum(["0", "1"]).default("0"),
  QUESTIONNAIRES_DIR: z.string().default("questionnaires"),
  /** Mail server for the outbox, e.g. smtp://user:password@smtp.example:587; unset, mail stays in the outbox. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://").optional(),
  MAIL_FROM: z.string().default("Lantern <no-reply@lantern.invalid>"),
  /** The address people open Lantern at, for links in email written outside a request (reminders, demo data). */
  PUBLIC_ORIGIN: z.string().regex(/^https?:\/\/[^/]+$/, "PUBLIC_ORIGIN must be an http(s) address without a path, like https://lantern.example.gov.uk").default("http://localhost:3000"),
});

export type Env = z.infer<typeof schema> & { sessionSecret: string };

let cached: Env | undefined;

/** A secret kept in a file beside the database when none is configured, so restarts keep sessions. */
function fileSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    cached = { ...parsed.data, sessionSecret: parsed.data.SESSION_SECRET ?? fileSecret(parsed.data.SESSION_SECRET_FILE) };
  }
  return cached;
}
