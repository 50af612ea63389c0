import { requireRole } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "buyer", ["admin", "analyst"]);
  httpError(404, "Not built yet.");
}

export default function Placeholder() {
  return null;
}
