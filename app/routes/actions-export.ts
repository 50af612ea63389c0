import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";
import { textErrors } from "../services/errors.server";
import { exportTrackedActions } from "../services/actions-tracker-export.server";
import { readTrackerQuery } from "../domain/action-tracker";
import { exportFormatOf } from "../services/spreadsheet.server";

/** Every agreed action matching the tracker's filters, in its order, as CSV or XLSX, to download. */
// A refusal (403) is a short plain-text answer, not the generic error page of a document request.
export const loader = (args: LoaderFunctionArgs) => textErrors(() => exportActions(args));

async function exportActions({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const params = new URL(request.url).searchParams;
  const { page: _page, ...query } = readTrackerQuery(params);
  return download(await exportTrackedActions(user, query, exportFormatOf(params.get("format"))));
}
