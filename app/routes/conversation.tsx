import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  type ActionInput,
  type ConversationInput,
  VERIFICATION_LABELS,
  VERIFICATION_LEVELS,
  actionField,
  isOverdue,
  isoToday,
} from "../domain/conversations";
import { datePartsOf } from "../domain/dates";
import { questionIndex } from "../domain/questions";
import { requireRole } from "../services/auth.server";
import { conversationHistory, getConversation, requireConversation, saveConversation } from "../services/conversations.server";
import { countryName } from "../services/countries.server";
import { httpError } from "../services/errors.server";
import { dateField as dateParts, field, readForm } from "../services/forms.server";
import { ActionTable } from "../ui/action-table";
import { ErrorSummary } from "../ui/error-summary";
import { DateInput, FieldError, Hint, describedBy } from "../ui/fields";
import { formatAnswer } from "../domain/format-answer";
import { dateErrorTarget } from "../domain/dates";
import { History } from "../ui/history";
import { BackLink, Tag, formatDate } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Conversation with ${data?.supplierName ?? "the supplier"} – Lantern` }];

const MAX_ROWS = 100;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const c = await getConversation(user, params.conversationId!);
  const index = questionIndex(c.questionnaire);
  const questions = [...index.values()]
    .filter((e) => c.answers[e.question.id] !== undefined && c.answers[e.question.id] !== null)
    .map((e) => ({ id: e.question.id, text: e.question.text, theme: e.theme.title, answer: formatAnswer(e.question, c.answers[e.question.id], countryName) }));
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    ...c.conversation,
    supplierName: c.supplier.name,
    submittedAt: c.submittedAt,
    band: c.result.band,
    highestRisk: c.highestRisk,
    suggestedNextReview: c.suggestedNextReview,
    recommendations: c.result.recommendations.map((r) => ({ id: r.id, title: r.title })),
    questions,
    verifications: c.verifications,
    actions: c.actions,
    canEdit: c.canEdit,
    today: isoToday(new Date()),
    saved: saved === "draft" || saved === "finished" ? saved : null,
    history: await conversationHistory(user, c.conversation.id),
  };
}


/** The conversation form as posted. */
function readConversationForm(form: FormData): ConversationInput {
  // Object.fromEntries makes every posted id an own key ("verification-__proto__" included), so an unknown one is refused, never dropped.
  const verifications: Record<string, string> = Object.fromEntries(
    [...form.entries()].flatMap(([key, value]) => (key.startsWith("verification-") && typeof value === "string" ? [[key.slice("verification-".length), value]] : [])),
  );
  const actions: ActionInput[] = [];
  for (let i = 0; i < MAX_ROWS && form.has(actionField(i, "description")); i++) {
    const id = field(form, actionField(i, "id"));
    actions.push({
      ...(id ? { id } : {}),
      description: field(form, actionField(i, "description")),
      ownerSide: field(form, actionField(i, "ownerSide")),
      ownerName: field(form, actionField(i, "ownerName")),
      dueOn: dateParts(form, actionField(i, "dueOn")),
      recommendationId: field(form, actionField(i, "recommendationId")),
    });
  }
  return {
    heldOn: dateParts(form, "heldOn"),
    buyerAttendees: field(form, "buyerAttendees"),
    supplierAttendees: field(form, "supplierAttendees"),
    notes: field(form, "notes"),
    recommendationsDiscussed: form.getAll("recommendationsDiscussed").filter((v): v is string => typeof v === "string"),
    verifications,
    actions,
    nextReviewOn: dateParts(form, "nextReviewOn"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager"]);
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

function Textarea({ id, label, hint, value, error }: { id: string; label: string; hint?: string; value: string; error?: string }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} text={hint} />
      <FieldError id={id} message={error} />
      <textarea className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} id={id} name={id} rows={3} defaultValue={value} aria-describedby={describedBy(id, hint, error)} />
    </div>
  );
}

/** Where the error summary sends the reader for each field. */
function errorHref(key: string, posted?: ConversationInput): string {
  if (key === "heldOn" || key === "nextReviewOn") return dateErrorTarget(key, posted?.[key]);
  if (key.endsWith("-dueOn")) return dateErrorTarget(key, posted?.actions[Number(key.split("-")[1])]?.dueOn);
  if (key === "recommendationsDiscussed") return "#recommendationsDiscussed-0";
  if (key.endsWith("-ownerSide")) return `#${key}-buyer`;
  return `#${key}`;
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
  const discussed = new Set(v ? v.recommendationsDiscussed : c.recommendationsDiscussed);
  const verificationOf = (id: string) => (v ? (v.verifications[id] ?? "self_declared") : (c.verifications[id] ?? "self_declared"));
  const blank: ActionInput = { description: "", ownerSide: "", ownerName: "", dueOn: { day: "", month: "", year: "" }, recommendationId: "" };
  const rows: ActionInput[] = v
    ? v.actions
    : [
        ...c.actions.map((a) => ({ id: a.id, description: a.description, ownerSide: a.ownerSide, ownerName: a.ownerName, dueOn: datePartsOf(a.dueOn), recommendationId: a.recommendationId ?? "" })),
        blank,
      ];
  const nextReview = v ? v.nextReviewOn : datePartsOf(c.nextReviewOn ?? c.suggestedNextReview);
  const reviewHint = `Leave empty for ${c.highestRisk ? "3 months (the supplier is in the highest-risk band)" : "12 months"} after the conversation.`;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/results/${c.assessmentId}`}>Back to the result</BackLink>
        <ErrorSummary errors={Object.entries(errors).map(([key, text]) => ({ href: errorHref(key, v), text }))} />
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
          <Form method="post" noValidate key={`${c.updatedAt}-${c.actions.length}`}>
            <DateInput id="heldOn" legend="Date the conversation was held" hint="For example, 27 3 2026" value={v ? v.heldOn : datePartsOf(c.heldOn)} error={errors.heldOn} />
            <Textarea id="buyerAttendees" label="Who attended from your organisation" hint="Names and roles, one a line" value={v ? v.buyerAttendees : c.buyerAttendees} error={errors.buyerAttendees} />
            <Textarea id="supplierAttendees" label="Who attended from the supplier" hint="Names and roles, one a line" value={v ? v.supplierAttendees : c.supplierAttendees} error={errors.supplierAttendees} />
            <Textarea id="notes" label="Notes" hint="What was discussed and what the supplier told you" value={v ? v.notes : c.notes} error={errors.notes} />

            {c.recommendations.length > 0 ? (
              <div className={`govuk-form-group${errors.recommendationsDiscussed ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby={errors.recommendationsDiscussed ? "recommendationsDiscussed-error" : undefined}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                    <h2 className="govuk-fieldset__heading">Recommendations discussed</h2>
                  </legend>
                  <FieldError id="recommendationsDiscussed" message={errors.recommendationsDiscussed} />
                  <div className="govuk-checkboxes govuk-checkboxes--small">
                    {c.recommendations.map((r, i) => (
                      <div className="govuk-checkboxes__item" key={r.id}>
                        <input className="govuk-checkboxes__input" id={`recommendationsDiscussed-${i}`} name="recommendationsDiscussed" type="checkbox" value={r.id} defaultChecked={discussed.has(r.id)} />
                        <label className="govuk-label govuk-checkboxes__label" htmlFor={`recommendationsDiscussed-${i}`}>
                          {r.title}
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </div>
            ) : null}

            <h2 className="govuk-heading-m">Answers checked</h2>
            <p className="govuk-body">For each answer, say how far you checked it. Answers stay self-declared unless you saw evidence or verified them.</p>
            {c.questions.map((q) => {
              const key = `verification-${q.id}`;
              return (
                <div className={`govuk-form-group${errors[key] ? " govuk-form-group--error" : ""}`} key={q.id}>
                  <label className="govuk-label" htmlFor={key}>
                    {q.text}
                  </label>
                  <div id={`${key}-hint`} className="govuk-hint">
                    {q.theme}. Answer: {q.answer}
                  </div>
                  <FieldError id={key} message={errors[key]} />
                  <select className={`govuk-select${errors[key] ? " govuk-select--error" : ""}`} id={key} name={key} defaultValue={verificationOf(q.id)} aria-describedby={describedBy(key, true, errors[key])}>
                    {VERIFICATION_LEVELS.map((level) => (
                      <option key={level} value={level}>
                        {VERIFICATION_LABELS[level]}
                      </option>
                    ))}
                  </select>
                </div>
              );
            })}

            <h2 className="govuk-heading-m" id="actions">
              Actions agreed
            </h2>
            <p className="govuk-body">Fill in a row for each action. To remove an action, clear its description, owner's name and due date.</p>
            {rows.map((row, i) => {
              const f = (name: string) => actionField(i, name);
              return (
                <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={row.id ?? `new-${i}`}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{row.id ? `Action ${i + 1}` : "Add an action"}</legend>
                  {row.id ? <input type="hidden" name={f("id")} value={row.id} /> : null}
                  <Textarea id={f("description")} label="What was agreed" value={row.description} error={errors[f("description")]} />
                  <div className={`govuk-form-group${errors[f("ownerSide")] ? " govuk-form-group--error" : ""}`}>
                    <fieldset className="govuk-fieldset" aria-describedby={errors[f("ownerSide")] ? `${f("ownerSide")}-error` : undefined}>
                      <legend className="govuk-fieldset__legend">Who owns it</legend>
                      <FieldError id={f("ownerSide")} message={errors[f("ownerSide")]} />
                      <div className="govuk-radios govuk-radios--small govuk-radios--inline">
                        {(["buyer", "supplier"] as const).map((side) => (
                          <div className="govuk-radios__item" key={side}>
                            <input className="govuk-radios__input" id={`${f("ownerSide")}-${side}`} name={f("ownerSide")} type="radio" value={side} defaultChecked={row.ownerSide === side} />
                            <label className="govuk-label govuk-radios__label" htmlFor={`${f("ownerSide")}-${side}`}>
                              {side === "buyer" ? "Your organisation" : "The supplier"}
                            </label>
                          </div>
                        ))}
                      </div>
                    </fieldset>
                  </div>
                  <div className={`govuk-form-group${errors[f("ownerName")] ? " govuk-form-group--error" : ""}`}>
                    <label className="govuk-label" htmlFor={f("ownerName")}>
                      Owner's name
                    </label>
                    <FieldError id={f("ownerName")} message={errors[f("ownerName")]} />
                    <input className={`govuk-input govuk-!-width-two-thirds${errors[f("ownerName")] ? " govuk-input--error" : ""}`} id={f("ownerName")} name={f("ownerName")} type="text" defaultValue={row.ownerName} aria-describedby={describedBy(f("ownerName"), false, errors[f("ownerName")])} />
                  </div>
                  <DateInput id={f("dueOn")} legend="Due date" hint="On or after the date the conversation was held" value={row.dueOn} error={errors[f("dueOn")]} />
                  <div className={`govuk-form-group${errors[f("recommendationId")] ? " govuk-form-group--error" : ""}`}>
                    <label className="govuk-label" htmlFor={f("recommendationId")}>
                      Recommendation it answers (optional)
                    </label>
                    <FieldError id={f("recommendationId")} message={errors[f("recommendationId")]} />
                    <select className="govuk-select" id={f("recommendationId")} name={f("recommendationId")} defaultValue={row.recommendationId}>
                      <option value="">None</option>
                      {c.recommendations.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.title}
                        </option>
                      ))}
                    </select>
                  </div>
                </fieldset>
              );
            })}
            <button type="submit" name="intent" value="add-action" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy}>
              Add another action
            </button>

            <DateInput id="nextReviewOn" legend="Next review date" hint={reviewHint} value={nextReview} error={errors.nextReviewOn} />

            <div className="govuk-button-group">
              <button type="submit" name="intent" value="finish" className="govuk-button" data-module="govuk-button" disabled={busy}>
                Finish conversation
              </button>
              <button type="submit" name="intent" value="save" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy}>
                Save draft
              </button>
            </div>
          </Form>
        )}
        <History entries={c.history} questions={Object.fromEntries(c.questions.map((q) => [q.id, q.text]))} recommendations={Object.fromEntries(c.recommendations.map((r) => [r.id, r.title]))} />
      </div>
    </div>
  );
}
