/**
 * Who is asking. Sessions live in the database behind a signed, httpOnly, SameSite=Lax cookie that
 * holds only the session id, so signing out ends the session everywhere.
 */
import { createCookie, data, redirect } from "@remix-run/node";
import { newId } from "../../db/ids";
import type { OrganisationKind, Role } from "../../db/schema";
import { env } from "../env.server";
import { getDb } from "./db.server";
import { hashPassword, verifyPassword } from "./passwords.server";

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
  const user = await db.selectFrom("user").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
  if (!user) {
    dummyHash ??= hashPassword("not a real password");
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  return (await verifyPassword(password, user.password_hash)) ? user : undefined;
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

/** Only same-site paths, never another host (open redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
