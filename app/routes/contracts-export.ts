import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";
import { textErrors } from "../services/errors.server";
import { EXPORT_FORMATS, type ExportFormat, exportContracts } from "../services/contracts-export.server";
import { readContractQuery } from "../services/contracts-register.server";

/** Every contract matching the register's filters, as CSV or XLSX, to download. */
// A refusal (403, 404) is a short plain-text answer, not the generic error page of a document request.
export const loader = (args: LoaderFunctionArgs) => textErrors(() => exportRegister(args));

async function exportRegister({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const params = new URL(request.url).searchParams;
  const format: ExportFormat = EXPORT_FORMATS.includes(params.get("format") as ExportFormat) ? (params.get("format") as ExportFormat) : "csv";
  const { sort: _sort, direction: _direction, page: _page, ...filters } = readContractQuery(params);
  const file = await exportContracts(user, filters, format);
  return download(file);
}
