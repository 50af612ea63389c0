import { data } from "@remix-run/node";

/** Stop the request with a status and a message the error page shows. */
export function httpError(status: 400 | 403 | 404 | 409, message: string): never {
  throw data({ message }, { status });
}

/**
 * Resource routes answer with JSON, not the error page: turn a thrown httpError into a JSON
 * response (redirects and other Responses pass through untouched).
 */
export async function jsonErrors(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response) throw error;
    if (typeof error === "object" && error !== null && "type" in error && error.type === "DataWithResponseInit") {
      const { data: body, init } = error as unknown as { data: { message?: string }; init: ResponseInit | null };
      return Response.json({ error: body.message ?? "The request could not be completed." }, { status: init?.status ?? 500 });
    }
    throw error;
  }
}
