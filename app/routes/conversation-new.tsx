import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "../services/auth.server";
import { CONVERSATION_WRITERS, startConversation } from "../services/conversations.server";
import { readForm } from "../services/forms.server";
import { requireSharedAssessment } from "../services/shares.server";

/** Starting a conversation is a POST from the result page; a GET goes back to the result. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const assessment = await requireSharedAssessment(user, params.assessmentId!);
  return redirect(`/results/${assessment.id}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", [...CONVERSATION_WRITERS]);
  await readForm(request);
  const id = await startConversation(user, params.assessmentId!);
  return redirect(`/conversations/${id}`);
}

export default function NewConversation() {
  return null;
}
