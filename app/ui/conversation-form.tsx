/**
 * The conversation form, the same for a new conversation and a draft: date, attendees, notes,
 * recommendations discussed, how far each answer was checked (in folding sections: the answers
 * behind red flags and discussed recommendations first, then by theme), actions agreed and the
 * next review. Works without JavaScript; every field keeps what was posted when there are errors.
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { flaggedBecause, sectionSummary, verificationSections } from "../domain/conversation-layout";
import { type ActionInput, type ConversationInput, VERIFICATION_LABELS, VERIFICATION_LEVELS, actionField } from "../domain/conversations";
import { dateErrorTarget } from "../domain/dates";
import { Accordion } from "./accordion";
import type { ErrorItem } from "./error-summary";
import { DateInput, FieldError, Hint, describedBy } from "./fields";

export type ConversationFormData = {
  questions: Array<{ id: string; text: string; themeId: string; theme: string; answer: string }>;
  recommendations: Array<{ id: string; title: string; questionIds: string[] }>;
  redFlags: Array<{ title: string; questionIds: string[] }>;
  highestRisk: boolean;
};

/** An empty action row, for the form's "Add an action". */
export const BLANK_ACTION: ActionInput = { description: "", ownerSide: "", ownerName: "", dueOn: { day: "", month: "", year: "" }, recommendationId: "" };

/** The empty form of a new conversation. */
export const EMPTY_CONVERSATION: ConversationInput = {
  heldOn: { day: "", month: "", year: "" },
  buyerAttendees: "",
  supplierAttendees: "",
  notes: "",
  recommendationsDiscussed: [],
  verifications: {},
  actions: [BLANK_ACTION],
  nextReviewOn: { day: "", month: "", year: "" },
};

/** Where the error summary sends the reader for each field. */
function errorHref(key: string, posted?: ConversationInput): string {
  if (key === "heldOn" || key === "nextReviewOn") return dateErrorTarget(key, posted?.[key]);
  if (key.endsWith("-dueOn")) return dateErrorTarget(key, posted?.actions[Number(key.split("-")[1])]?.dueOn);
  if (key === "recommendationsDiscussed") return "#recommendationsDiscussed-0";
  if (key.endsWith("-ownerSide")) return `#${key}-buyer`;
  return `#${key}`;
}

/** The error summary's items for the form's errors. */
export const conversationErrorItems = (errors: Record<string, string>, posted?: ConversationInput): ErrorItem[] =>
  Object.entries(errors).map(([key, text]) => ({ href: errorHref(key, posted), text }));

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

function VerificationSelect({ q, hint, level, error }: { q: ConversationFormData["questions"][number]; hint: ReactNode; level: string; error?: string }) {
  const key = `verification-${q.id}`;
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={key}>
        {q.text}
      </label>
      <Hint id={key} text={hint} />
      <FieldError id={key} message={error} />
      <select className={`govuk-select${error ? " govuk-select--error" : ""}`} id={key} name={key} defaultValue={level} aria-describedby={describedBy(key, true, error)}>
        {VERIFICATION_LEVELS.map((l) => (
          <option key={l} value={l}>
            {VERIFICATION_LABELS[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

function AnswersChecked({ data, values, errors }: { data: ConversationFormData; values: ConversationInput; errors: Record<string, string> }) {
  const discussed = new Set(values.recommendationsDiscussed);
  const layout = {
    redFlags: data.redFlags,
    discussed: data.recommendations.filter((r) => discussed.has(r.id)),
  };
  const levelOf = (id: string) => values.verifications[id] ?? "self_declared";
  const errorIds = new Set(Object.keys(errors).flatMap((k) => (k.startsWith("verification-") ? [k.slice("verification-".length)] : [])));
  const sections = verificationSections({ questions: data.questions.map((q) => ({ id: q.id, themeId: q.themeId, themeTitle: q.theme })), ...layout, levelOf, errorIds });
  const because = flaggedBecause(layout);
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  return (
    <>
      <h2 className="govuk-heading-m">Answers checked</h2>
      <p className="govuk-body">For each answer, say how far you checked it. Answers stay self-declared unless you saw evidence or verified them.</p>
      {sections.length === 0 ? (
        <p className="govuk-body">The assessment has no answers to check.</p>
      ) : (
        <Accordion
          id="answers-checked"
          sections={sections.map((s) => ({
            key: s.id,
            heading: s.title,
            summary: sectionSummary(s),
            expanded: s.hasError,
            content: s.questionIds.map((id) => {
              const q = byId.get(id)!;
              const reasons = because.get(id);
              const hint = reasons ? (
                <>
                  {q.theme}. Answer: {q.answer}
                  <br />
                  {reasons.join(". ")}.
                </>
              ) : (
                `Answer: ${q.answer}`
              );
              return <VerificationSelect key={id} q={q} hint={hint} level={levelOf(id)} error={errors[`verification-${id}`]} />;
            }),
          }))}
        />
      )}
    </>
  );
}

function ActionRow({ row, i, data, errors }: { row: ActionInput; i: number; data: ConversationFormData; errors: Record<string, string> }) {
  const f = (name: string) => actionField(i, name);
  return (
    <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
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
        <select className={`govuk-select${errors[f("recommendationId")] ? " govuk-select--error" : ""}`} id={f("recommendationId")} name={f("recommendationId")} defaultValue={row.recommendationId} aria-describedby={describedBy(f("recommendationId"), false, errors[f("recommendationId")])}>
          <option value="">None</option>
          {data.recommendations.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

/**
 * The form. `values` are what to show (the saved draft, the empty form, or what was posted), and
 * `formKey` changes when the saved draft changes so the fields start again from it.
 */
export function ConversationForm({ data, values, errors, busy, formKey }: { data: ConversationFormData; values: ConversationInput; errors: Record<string, string>; busy: boolean; formKey?: string }) {
  const discussed = new Set(values.recommendationsDiscussed);
  const reviewHint = `Leave empty for ${data.highestRisk ? "3 months (the supplier is in the highest-risk band)" : "12 months"} after the conversation.`;
  return (
    <Form method="post" noValidate key={formKey}>
      <DateInput id="heldOn" legend="Date the conversation was held" hint="For example, 27 3 2026" value={values.heldOn} error={errors.heldOn} />
      <Textarea id="buyerAttendees" label="Who attended from your organisation" hint="Names and roles, one a line" value={values.buyerAttendees} error={errors.buyerAttendees} />
      <Textarea id="supplierAttendees" label="Who attended from the supplier" hint="Names and roles, one a line" value={values.supplierAttendees} error={errors.supplierAttendees} />
      <Textarea id="notes" label="Notes" hint="What was discussed and what the supplier told you" value={values.notes} error={errors.notes} />

      {data.recommendations.length > 0 ? (
        <div className={`govuk-form-group${errors.recommendationsDiscussed ? " govuk-form-group--error" : ""}`}>
          <fieldset className="govuk-fieldset" aria-describedby={errors.recommendationsDiscussed ? "recommendationsDiscussed-error" : undefined}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 className="govuk-fieldset__heading">Recommendations discussed</h2>
            </legend>
            <FieldError id="recommendationsDiscussed" message={errors.recommendationsDiscussed} />
            <div className="govuk-checkboxes govuk-checkboxes--small">
              {data.recommendations.map((r, i) => (
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

      <AnswersChecked data={data} values={values} errors={errors} />

      <h2 className="govuk-heading-m" id="actions">
        Actions agreed
      </h2>
      <p className="govuk-body">Fill in a row for each action. To remove an action, clear its description, owner's name and due date.</p>
      {values.actions.map((row, i) => (
        <ActionRow key={row.id ?? `new-${i}`} row={row} i={i} data={data} errors={errors} />
      ))}
      <button type="submit" name="intent" value="add-action" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy}>
        Add another action
      </button>

      <DateInput id="nextReviewOn" legend="Next review date" hint={reviewHint} value={values.nextReviewOn} error={errors.nextReviewOn} />

      <div className="govuk-button-group">
        <button type="submit" name="intent" value="finish" className="govuk-button" data-module="govuk-button" disabled={busy}>
          Finish conversation
        </button>
        <button type="submit" name="intent" value="save" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy}>
          Save as draft
        </button>
      </div>
    </Form>
  );
}
