import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { createConversation, newConversationForm, readConversationForm } from "../services/conversation-form.server";
import { CONVERSATION_WRITERS } from "../services/conversations.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { ConversationForm, EMPTY_CONVERSATION, conversationErrorItems } from "../ui/conversation-form";
import { ErrorSummary } from "../ui/error-summary";
import { BackLink, formatDate } from "../ui/page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Record a conversation with ${data?.supplierName ?? "the supplier"} – Lantern` }];

const DRAFT_EXISTS = "Someone in your organisation has started a draft conversation about this assessment, so this one was not saved. Open the draft to carry on with it: what you typed is still below.";

/** The empty conversation form; nothing is created until it is saved. An organisation's draft is carried on instead. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", [...CONVERSATION_WRITERS]);
  const form = await newConversationForm(user, params.assessmentId!);
  if (form.draftId !== null) throw redirect(`/conversations/${form.draftId}`);
  return form;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", [...CONVERSATION_WRITERS]);
  const form = await readForm(request);
  const intent = field(form, "intent");
  if (intent === "") {
    // A plain "Record a conversation" button posts no form: show the form, creating nothing.
    const page = await newConversationForm(user, params.assessmentId!);
    return redirect(page.draftId !== null ? `/conversations/${page.draftId}` : `/results/${page.assessmentId}/conversations/new`);
  }
  if (intent !== "save" && intent !== "finish" && intent !== "add-action") httpError(400, "The form did not say what to do. Go back to the page and try again.");
  const input = readConversationForm(form);
  const outcome = await createConversation(user, params.assessmentId!, input, intent === "finish");
  if (outcome.ok) {
    if (intent === "add-action") return redirect(`/conversations/${outcome.id}#actions`);
    return redirect(`/conversations/${outcome.id}?saved=${intent === "finish" ? "finished" : "draft"}`);
  }
  if ("draftId" in outcome) return data({ errors: { existingDraft: DRAFT_EXISTS }, values: input, draftId: outcome.draftId }, { status: 409 });
  return data({ errors: outcome.errors, values: input, draftId: null }, { status: 400 });
}

export default function NewConversation() {
  const c = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = posted?.errors ?? {};
  const { existingDraft, ...fieldErrors } = errors;
  const summary = [
    ...(existingDraft && posted?.draftId ? [{ href: `/conversations/${posted.draftId}`, text: existingDraft }] : []),
    ...conversationErrorItems(fieldErrors, posted?.values),
  ];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/results/${c.assessmentId}`}>Back to the result</BackLink>
        <ErrorSummary errors={summary} />
        <span className="govuk-caption-l">{c.supplierName}</span>
        <h1 className="govuk-heading-l">Record a conversation about the modern slavery assessment</h1>
        <p className="govuk-body">
          Assessment submitted {formatDate(c.submittedAt)}, rated {c.band.label}. Nothing is recorded until you save the conversation as a draft or finish it.
        </p>
        <ConversationForm data={c} values={posted?.values ?? EMPTY_CONVERSATION} errors={fieldErrors} busy={navigation.state === "submitting"} />
      </div>
    </div>
  );
}
