/**
 * Who is asking. Sessions live in the database behind a signed, httpOnly, SameSite=Lax cookie that
 * holds only the session id, so signing out ends the session everywhere.
 */
import { createCookie, data, redirect } from "@remix-run/node";
import { newId } from "../../db/ids";
import type { OrganisationKind, Role } from "../../db/schema";
import { env } from "../env.server";
import { getDb } from "./db.server";
import { SIGN_IN_POLICIES, describeWait } from "../domain/throttle";
import { hashPassword, verifyPassword } from "../domain/passwords";
import { type ThrottleKey, clearFailures, pruneThrottles, recordFailure, throttledUntil } from "./throttle.server";

const SESSION_DAYS = 14;

export type CurrentUser = {
  id: string;
  name: string;
  email: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  sessionId: string;
};

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("lantern_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().COOKIE_SECURE === "1",
    secrets: [env().sessionSecret],
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });
  return cookie;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A dummy hash to compare against when the email is unknown, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;

export async function checkCredentials(email: string, password: string) {
  const db = await getDb();
  // A system user (who owns imported records) never signs in, whatever its stored hash.
  const user = await db.selectFrom("user").selectAll().where("email", "=", normaliseEmail(email)).where("system", "=", 0).executeTakeFirst();
  if (!user) {
    dummyHash ??= hashPassword("not a real password");
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  return (await verifyPassword(password, user.password_hash)) ? user : undefined;
}

export type SignInOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAt: Date; wait: string };

function signInKeys(email: string, clientAddress: string): ThrottleKey[] {
  return [
    { key: `sign-in:account-at:${email}|${clientAddress}`, policy: SIGN_IN_POLICIES.accountAtAddress },
    { key: `sign-in:address:${clientAddress}`, policy: SIGN_IN_POLICIES.address },
    { key: `sign-in:account:${email}`, policy: SIGN_IN_POLICIES.account },
  ];
}

/**
 * Check a sign-in under the throttles. A locked key is refused before the password is checked,
 * so a guesser learns nothing while locked, even with the right password.
 */
export async function signIn(email: string, password: string, clientAddress: string, now = new Date()): Promise<SignInOutcome> {
  const keys = signInKeys(normaliseEmail(email), clientAddress);
  const locked = await throttledUntil(keys, now);
  if (locked) return { ok: false, reason: "throttled", retryAt: locked, wait: describeWait(locked, now) };
  const user = await checkCredentials(email, password);
  if (!user) {
    await recordFailure(keys, now);
    const lockedNow = await throttledUntil(keys, now);
    if (lockedNow) return { ok: false, reason: "throttled", retryAt: lockedNow, wait: describeWait(lockedNow, now) };
    return { ok: false, reason: "invalid" };
  }
  await clearFailures([keys[0]!]);
  await pruneThrottles(now);
  return { ok: true, userId: user.id };
}

/** Start a session and return the Set-Cookie header value. */
export async function startSession(userId: string, now = new Date()): Promise<string> {
  const db = await getDb();
  const id = newId();
  const expires = new Date(now.getTime() + SESSION_DAYS * 24 * 60 * 60 * 1000);
  await db
    .insertInto("session")
    .values({ id, user_id: userId, expires_at: expires.toISOString(), created_at: now.toISOString() })
    .execute();
  return sessionCookie().serialize(id);
}

async function sessionId(request: Request): Promise<string | undefined> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : undefined;
}

/** The root loader and the page's own loader ask about the same request: look it up once. */
const perRequest = new WeakMap<Request, Promise<CurrentUser | undefined>>();

export function getUser(request: Request, now = new Date()): Promise<CurrentUser | undefined> {
  let user = perRequest.get(request);
  if (!user) {
    user = lookUpUser(request, now);
    perRequest.set(request, user);
  }
  return user;
}

async function lookUpUser(request: Request, now: Date): Promise<CurrentUser | undefined> {
  const id = await sessionId(request);
  if (!id) return undefined;
  const db = await getDb();
  const row = await db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .innerJoin("organisation", "organisation.id", "user.organisation_id")
    .select([
      "session.id as sessionId",
      "session.expires_at as expiresAt",
      "user.id as id",
      "user.name as name",
      "user.email as email",
      "user.role as role",
      "organisation.id as organisationId",
      "organisation.name as organisationName",
      "organisation.kind as organisationKind",
    ])
    .where("session.id", "=", id)
    .executeTakeFirst();
  if (!row || row.expiresAt <= now.toISOString()) return undefined;
  const { expiresAt: _expires, ...user } = row;
  return user;
}

/** The signed-in user, or a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/sign-in?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

/** The signed-in user if their organisation is of this kind and their role is one of these. */
export async function requireRole(request: Request, kind: OrganisationKind, roles?: Role[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (user.organisationKind !== kind || (roles && !roles.includes(user.role))) {
    throw data({ message: "You do not have permission to see this page." }, { status: 403 });
  }
  return user;
}

/** How many live sessions the user has (browsers or devices signed in). */
export async function countSessions(user: CurrentUser, now = new Date()): Promise<number> {
  const db = await getDb();
  const row = await db.selectFrom("session").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", user.id).where("expires_at", ">", now.toISOString()).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** End every session of this user, on every device. */
export async function endAllSessions(user: CurrentUser): Promise<string> {
  const db = await getDb();
  await db.deleteFrom("session").where("user_id", "=", user.id).execute();
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function endSession(request: Request): Promise<string> {
  const id = await sessionId(request);
  if (id) {
    const db = await getDb();
    await db.deleteFrom("session").where("id", "=", id).execute();
  }
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Where a user lands after signing in. */
export function homeFor(user: Pick<CurrentUser, "organisationKind">): string {
  return user.organisationKind === "supplier" ? "/supplier" : "/buyer";
}

const REDIRECT_BASE = "http://lantern.invalid";

/**
 * Only a path on this app, never another host (open redirect). Browsers drop tabs and newlines
 * from URLs and read a backslash as a slash, so "/\t/evil.example" would leave the site: refuse
 * any control character or backslash, then let the URL parser have the last word.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string): string {
  if (typeof to !== "string" || to.length > 2000 || !to.startsWith("/") || to.startsWith("//")) return fallback;
  if (/[\u0000-\u001F\u007F-\u009F\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
