/**
 * Autosave endpoint: POST one answer as JSON {questionId, value, baseRevision}.
 * 200 {revision[, incomplete]} | 400 {error} | 403/404 {message} | 409 {conflict} or {message}.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { saveAnswers } from "../services/assessments.server";
import { requireRole } from "../services/auth.server";
import { jsonErrors } from "../services/errors.server";

const MAX_BODY = 64 * 1024;

const body = z.strictObject({
  questionId: z.string().max(200),
  value: z.unknown(),
  baseRevision: z.number().int().min(0),
});

export async function loader() {
  return Response.json({ message: "Send answers with POST." }, { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return jsonErrors(() => save(request, params.assessmentId!));
}

async function save(request: Request, assessmentId: string): Promise<Response> {
  const user = await requireRole(request, "supplier");
  if (request.method !== "POST") return Response.json({ message: "Send answers with POST." }, { status: 405 });
  const text = await request.text();
  if (text.length > MAX_BODY) return Response.json({ error: "The answer is too large to save." }, { status: 413 });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return Response.json({ error: "The request body must be JSON." }, { status: 400 });
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return Response.json({ error: `${issue.path.join(".") || "body"}: ${issue.message}` }, { status: 400 });
  }
  const { questionId, value, baseRevision } = parsed.data;
  const outcome = await saveAnswers(user, assessmentId, [{ questionId, value, baseRevision }]);
  if (outcome.ok) {
    const revision = outcome.revisions[questionId] ?? baseRevision;
    // saved, with rows that still miss a required field kept as a draft
    const incomplete = outcome.incomplete[questionId];
    return Response.json(incomplete ? { revision, incomplete } : { revision });
  }
  if (outcome.conflicts[0]) return Response.json({ conflict: outcome.conflicts[0] }, { status: 409 });
  return Response.json({ error: outcome.errors[questionId] ?? Object.values(outcome.errors)[0] }, { status: 400 });
}
