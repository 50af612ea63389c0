import type { LoaderFunctionArgs } from "@remix-run/node";
import { registerTemplateCsv } from "../domain/register-import";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";

/** The register's column layout with one example row, to fill in and import. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "buyer");
  return download({ filename: "lantern-contract-register-template.csv", contentType: "text/csv; charset=utf-8", body: registerTemplateCsv() });
}
