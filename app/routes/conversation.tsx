import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ConversationInput, VERIFICATION_LABELS, isOverdue, isoToday } from "../domain/conversations";
import { datePartsOf } from "../domain/dates";
import { requireRole } from "../services/auth.server";
import { conversationFormView, readConversationForm } from "../services/conversation-form.server";
import { CONVERSATION_WRITERS, conversationHistory, getConversation, requireConversation, saveConversation } from "../services/conversations.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { ActionTable } from "../ui/action-table";
import { BLANK_ACTION, ConversationForm, conversationErrorItems } from "../ui/conversation-form";
import { ErrorSummary } from "../ui/error-summary";
import { History } from "../ui/history";
import { BackLink, Tag, formatDate } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Conversation with ${data?.supplierName ?? "the supplier"} – Lantern` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const c = await getConversation(user, params.conversationId!);
  const view = conversationFormView(c.questionnaire, c.answers, c.result);
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    ...c.conversation,
    supplierName: c.supplier.name,
    submittedAt: c.submittedAt,
    band: c.result.band,
    highestRisk: c.highestRisk,
    suggestedNextReview: c.suggestedNextReview,
    ...view,
    verifications: c.verifications,
    actions: c.actions,
    canEdit: c.canEdit,
    today: isoToday(new Date()),
    saved: saved === "draft" || saved === "finished" ? saved : null,
    history: await conversationHistory(user, c.conversation.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", [...CONVERSATION_WRITERS]);
  const form = await readForm(request);
  await requireConversation(user, params.conversationId!);
  const intent = field(form, "intent");
  if (intent !== "save" && intent !== "finish" && intent !== "add-action") httpError(400, "The form did not say what to do. Go back to the page and try again.");
  const input = readConversationForm(form);
  const outcome = await saveConversation(user, params.conversationId!, input, intent === "finish");
  if (!outcome.ok) return data({ errors: outcome.errors, values: input }, { status: 400 });
  if (intent === "add-action") return redirect(`/conversations/${params.conversationId}#actions`);
  return redirect(`/conversations/${params.conversationId}?saved=${intent === "finish" ? "finished" : "draft"}`);
}

const lines = (text: string) =>
  text.split(/\r?\n/).map((line, i) => (
    <span key={i}>
      {i > 0 ? <br /> : null}
      {line}
    </span>
  ));

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function ActionsTable({ c }: { c: LoaderData }) {
  if (c.actions.length === 0) return <p className="govuk-body">No actions were agreed.</p>;
  const recommendation = (id: string | null) => c.recommendations.find((r) => r.id === id)?.title;
  return (
    <ActionTable
      caption="Actions agreed"
      actions={c.actions.map((a) => ({
        id: a.id,
        description: a.description,
        linked: c.status === "finished",
        recommendation: recommendation(a.recommendationId),
        owner: `${a.ownerName} (${a.ownerSide === "buyer" ? "your organisation" : c.supplierName})`,
        dueOn: a.dueOn,
        overdue: isOverdue(a, c.today),
        status: a.status,
      }))}
    />
  );
}

function ReadOnly({ c }: { c: LoaderData }) {
  const discussed = c.recommendations.filter((r) => c.recommendationsDiscussed.includes(r.id));
  const checked = c.questions.filter((q) => c.verifications[q.id] && c.verifications[q.id] !== "self_declared");
  return (
    <>
      <dl className="govuk-summary-list">
        {[
          ["Date held", c.heldOn ? formatDate(c.heldOn) : "Not entered"],
          ["Attended from your organisation", c.buyerAttendees ? lines(c.buyerAttendees) : "Not entered"],
          ["Attended from the supplier", c.supplierAttendees ? lines(c.supplierAttendees) : "Not entered"],
          ["Notes", c.notes ? lines(c.notes) : "None"],
          ["Next review", c.nextReviewOn ? formatDate(c.nextReviewOn) : "Not set"],
        ].map(([key, value]) => (
          <div className="govuk-summary-list__row" key={String(key)}>
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className="govuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      <h2 className="govuk-heading-m">Recommendations discussed</h2>
      {discussed.length === 0 ? (
        <p className="govuk-body">None.</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {discussed.map((r) => (
            <li key={r.id}>{r.title}</li>
          ))}
        </ul>
      )}
      <h2 className="govuk-heading-m">Answers checked</h2>
      {checked.length === 0 ? (
        <p className="govuk-body">Every answer is self-declared: none was checked against evidence.</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {checked.map((q) => (
            <li key={q.id}>
              {q.text}: <strong>{VERIFICATION_LABELS[c.verifications[q.id]!]}</strong>
            </li>
          ))}
        </ul>
      )}
      <h2 className="govuk-heading-m" id="actions">
        Actions
      </h2>
      <ActionsTable c={c} />
    </>
  );
}

export default function Conversation() {
  const c = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = posted?.errors ?? {};
  const v = posted?.values;
  const busy = navigation.state === "submitting";
  const values: ConversationInput = v ?? {
    heldOn: datePartsOf(c.heldOn),
    buyerAttendees: c.buyerAttendees,
    supplierAttendees: c.supplierAttendees,
    notes: c.notes,
    recommendationsDiscussed: c.recommendationsDiscussed,
    verifications: c.verifications,
    actions: [
      ...c.actions.map((a) => ({ id: a.id, description: a.description, ownerSide: a.ownerSide, ownerName: a.ownerName, dueOn: datePartsOf(a.dueOn), recommendationId: a.recommendationId ?? "" })),
      BLANK_ACTION,
    ],
    nextReviewOn: datePartsOf(c.nextReviewOn ?? c.suggestedNextReview),
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/results/${c.assessmentId}`}>Back to the result</BackLink>
        <ErrorSummary errors={conversationErrorItems(errors, v)} />
        {c.saved === "draft" && !posted ? <SuccessBanner id="saved">Your draft has been saved</SuccessBanner> : null}
        {c.saved === "finished" && !posted ? <SuccessBanner id="saved">The conversation has been recorded as finished</SuccessBanner> : null}
        <span className="govuk-caption-l">{c.supplierName}</span>
        <h1 className="govuk-heading-l">Conversation about the modern slavery assessment</h1>
        <p className="govuk-body">
          Assessment submitted {formatDate(c.submittedAt)}, rated {c.band.label}.{" "}
          {c.status === "finished" ? <Tag colour="green">Finished</Tag> : <Tag colour="grey">Draft</Tag>}
        </p>

        {!c.canEdit ? (
          <ReadOnly c={c} />
        ) : (
          <ConversationForm data={c} values={values} errors={errors} busy={busy} formKey={`${c.updatedAt}-${c.actions.length}`} />
        )}
        <History entries={c.history} questions={Object.fromEntries(c.questions.map((q) => [q.id, q.text]))} recommendations={Object.fromEntries(c.recommendations.map((r) => [r.id, r.title]))} />
      </div>
    </div>
  );
}
