import { data } from "@remix-run/node";

/** Stop the request with a status and a message the error page shows. */
export function httpError(status: 400 | 403 | 404 | 409, message: string): never {
  throw data({ message }, { status });
}

/** The status and message of a thrown httpError, or undefined for anything else. */
function thrownHttpError(error: unknown): { status: number; message: string | undefined } | undefined {
  if (typeof error !== "object" || error === null || !("type" in error) || error.type !== "DataWithResponseInit") return undefined;
  const { data: body, init } = error as unknown as { data: { message?: string } | null; init: ResponseInit | null };
  return { status: init?.status ?? 500, message: body?.message };
}

/**
 * Resource routes answer with JSON, not the error page: turn a thrown httpError into a JSON
 * response (redirects and other Responses pass through untouched).
 */
export async function jsonErrors(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const thrown = thrownHttpError(error);
    if (!thrown) throw error;
    return Response.json({ error: thrown.message ?? "The request could not be completed." }, { status: thrown.status });
  }
}

/**
 * Downloads (resource routes a person opens from a link) answer a thrown httpError with its
 * message as plain text. Remix replaces data() thrown from a resource route with "Unexpected
 * Server Error", keeping only the status; a Response passes through as it is.
 */
export async function textErrors(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const thrown = thrownHttpError(error);
    if (!thrown) throw error;
    return new Response(`${thrown.message ?? "The request could not be completed."}\n`, {
      status: thrown.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
    });
  }
}
