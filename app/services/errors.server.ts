import { data } from "@remix-run/node";

/** Stop the request with a status and a message the error page shows. */
export function httpError(status: 400 | 403 | 404 | 409, message: string): never {
  throw data({ message }, { status });
}
