/** Talking to the running app over HTTP as a browser would, cookies and Origin included. */
import { DEMO_PASSWORD } from "../../db/seed";

export type Session = { cookie: string };

/** Sign in through the real form and keep the session cookie. */
export async function signInOverHttp(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "" }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in as ${email} answered ${response.status}`);
  return { cookie };
}

export function post(baseUrl: string, path: string, init: { session?: Session; headers?: Record<string, string>; body?: BodyInit } = {}) {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...(init.session ? { Cookie: init.session.cookie } : {}), ...init.headers },
    body: init.body,
  });
}

export function get(baseUrl: string, path: string, session?: Session) {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", headers: session ? { Cookie: session.cookie } : {} });
}

export const FORM = "application/x-www-form-urlencoded";
