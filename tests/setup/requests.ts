/** Call route loaders and actions as a signed-in user would, without a server. */
import type { Db } from "../../db/index";
import { startSession } from "../../app/services/auth.server";

export async function signedInCookie(db: Db, email: string): Promise<string> {
  const user = await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const setCookie = await startSession(user.id);
  return setCookie.split(";")[0]!;
}

export function jsonRequest(path: string, cookie: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function formRequest(path: string, cookie: string, fields: Array<[string, string]>): Request {
  const body = new URLSearchParams(fields);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body,
  });
}

/** The CurrentUser of a seeded account, as requireUser would return it. */
export async function userFor(db: Db, email: string) {
  const cookie = await signedInCookie(db, email);
  const { getUser } = await import("../../app/services/auth.server");
  const user = await getUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  if (!user) throw new Error(`no user ${email}`);
  return user;
}
