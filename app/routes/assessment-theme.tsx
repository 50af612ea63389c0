import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import autocompleteCss from "accessible-autocomplete/dist/accessible-autocomplete.min.css?url";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { COUNTRIES } from "../services/countries.server";
import type { Question } from "../../questionnaires/format";
import { type AnswerValue, type Answers, validateAnswer } from "../domain/answers";
import { fieldKey, visibleOnPage } from "../domain/page-visibility";
import { questionIndex } from "../domain/questions";
import { applySkipLogic } from "../domain/visibility";
import { readPostedAnswer } from "../services/answer-form.server";
import { assessmentState, incompleteAnswers, saveAnswers } from "../services/assessments.server";
import { requireRole } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import { readForm } from "../services/forms.server";
import { useAutosave } from "../ui/autosave";
import { ErrorSummary } from "../ui/error-summary";
import { formatAnswer } from "../domain/format-answer";
import { BackLink, formatDateTime } from "../ui/page";
import { plural } from "../domain/text";
import { type FormValues, QuestionField } from "../ui/question-field";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: autocompleteCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.theme.title ?? "Section"} – Lantern` }];

const needsCountries = (q: Question) => q.type === "country" || (q.type === "group" && q.fields.some((f) => f.type === "country"));

async function pageState(request: Request, assessmentId: string, themeId: string) {
  const user = await requireRole(request, "supplier");
  const state = await assessmentState(user, assessmentId);
  if (state.assessment.status !== "draft") throw redirect(`/assessments/${assessmentId}/report`);
  const themeIndex = state.qn.themes.findIndex((t) => t.id === themeId);
  const theme = state.qn.themes[themeIndex];
  if (!theme) httpError(404, "There is no such section in this assessment.");
  return { user, ...state, theme, themeIndex };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { assessment, qn, stored, answers, theme, themeIndex, progress } = await pageState(request, params.assessmentId!, params.themeId!);
  // Visible answers to questions before this page: this page's skip logic can depend on them.
  const index = questionIndex(qn);
  const firstIndex = index.get(theme.questions[0]!.id)!.index;
  const { answers: visibleAnswers, visible } = applySkipLogic(qn, answers);
  const earlier: Answers = {};
  for (const [id, value] of Object.entries(visibleAnswers)) if (index.get(id)!.index < firstIndex) earlier[id] = value;

  const current: Record<string, { value: AnswerValue | null; revision: number; prefilled: boolean; updatedBy: string; updatedAt: string }> = {};
  for (const q of theme.questions) {
    const s = stored.get(q.id);
    // rows that miss a required field are shown as typed, with what is missing
    current[q.id] = s ? { value: s.draft ?? s.value, revision: s.revision, prefilled: s.prefilled, updatedBy: s.updatedBy, updatedAt: s.updatedAt } : { value: null, revision: 0, prefilled: false, updatedBy: "", updatedAt: "" };
  }
  const next = qn.themes[themeIndex + 1];
  return {
    assessmentId: assessment.id,
    theme: { id: theme.id, title: theme.title, description: theme.description, questions: theme.questions },
    position: { number: themeIndex + 1, of: qn.themes.length },
    earlier,
    current,
    incomplete: Object.fromEntries(incompleteAnswers(qn, stored, visible).map((i) => [i.questionId, i.error])) as Record<string, string>,
    countries: theme.questions.some(needsCountries) ? [...COUNTRIES] : [],
    nextHref: next ? `/assessments/${assessment.id}/themes/${next.id}` : `/assessments/${assessment.id}/check`,
    status: progress[themeIndex]!.status,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, theme, answers, qn, assessment } = await pageState(request, params.assessmentId!, params.themeId!);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "save");
  const [verb, targetKey, rowText] = intent.split(":");
  const removeRow = verb === "remove" ? Number(rowText) : undefined;

  const posted = theme.questions.map((q) => readPostedAnswer(form, q, fieldKey(q.id) === targetKey ? removeRow : undefined));
  const bad = posted.find((p) => p.baseRevision < 0);
  if (bad) httpError(400, `The form is missing the revision of '${bad.questionId}'. Reload the page and try again.`);
  const outcome = await saveAnswers(
    user,
    assessment.id,
    posted.map((p) => ({ questionId: p.questionId, value: p.raw, baseRevision: p.baseRevision })),
    new Date(),
    { ignoreHidden: true },
  );
  if (!outcome.ok) {
    const rawValues = Object.fromEntries(posted.map((p) => [p.questionId, p.raw]));
    return data({ errors: outcome.errors, conflicts: outcome.conflicts, posted: rawValues }, { status: outcome.conflicts.length > 0 ? 409 : 400 });
  }
  const self = `/assessments/${assessment.id}/themes/${theme.id}`;
  // Saved, but some rows miss a required field: stay, and the page shows them with their errors.
  const incompleteKey = Object.keys(outcome.incomplete).map(fieldKey)[0];
  if (incompleteKey && verb !== "add" && verb !== "remove") return redirect(`${self}#${incompleteKey}-group`);
  if (verb === "add" || verb === "remove") {
    return redirect(`${self}#${targetKey}-group`);
  }
  // Without JavaScript, follow-up questions appear only after a post: stay so they can be answered.
  const shownBefore = String(form.get("shown") ?? "").split(",").filter(Boolean);
  const merged = { ...answers };
  const index = questionIndex(qn);
  for (const p of posted) {
    // already checked by saveAnswers; this only turns the posted text into the stored shape
    const v = validateAnswer(index.get(p.questionId)!.question, p.raw, () => true);
    if (v.ok && v.value !== null) merged[p.questionId] = v.value;
    else delete merged[p.questionId];
  }
  const { visible } = applySkipLogic(qn, merged);
  const shownNow = theme.questions.filter((q) => visible.has(q.id)).map((q) => q.id);
  const appeared = shownNow.filter((id) => !shownBefore.includes(id));
  if (form.get("enhanced") !== "1" && appeared.length > 0) {
    return redirect(`${self}?more=${appeared.length}#${fieldKey(appeared[0]!)}-group`);
  }
  const next = qn.themes[qn.themes.findIndex((t) => t.id === theme.id) + 1];
  return redirect(next ? `/assessments/${assessment.id}/themes/${next.id}` : `/assessments/${assessment.id}/check`);
}

/** The answer a question's form value stands for (null when empty or not yet valid). */
function answerOf(q: Question, raw: unknown, isCountry: (code: string) => boolean): AnswerValue | null {
  const check = validateAnswer(q, normalise(q, raw), isCountry);
  return check.ok ? check.value : null;
}

/** react-hook-form gives `false`/`null` for untouched checkboxes and radios. */
function normalise(q: Question, raw: unknown): unknown {
  if (raw === false || raw === null || raw === undefined) return q.type === "multi" ? [] : "";
  if (q.type === "multi" && typeof raw === "string") return [raw];
  if (q.type === "country" && q.multiple && Array.isArray(raw)) return raw.filter((v) => typeof v === "string" && v !== "");
  return raw;
}

function initialFormValue(q: Question, value: AnswerValue | null): unknown {
  if (value === null) return q.type === "multi" ? [] : q.type === "group" || (q.type === "country" && q.multiple) ? [] : "";
  if (q.type === "number" || q.type === "percent") return String(value);
  return value;
}

export default function ThemePage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { assessmentId, theme, position, earlier, current, incomplete, countries, nextHref } = loaderData;
  const questions = theme.questions as Question[];
  const submit = useSubmit();
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);

  const countryCodes = useMemo(() => new Set(countries.map((c) => c.code)), [countries]);
  const isCountry = (code: string) => countryCodes.has(code);

  const posted = actionData && "posted" in actionData ? (actionData.posted as Record<string, unknown>) : undefined;
  const startValues = (q: Question): AnswerValue | null => {
    if (posted && q.id in posted) {
      const raw = posted[q.id];
      return (Array.isArray(raw) || typeof raw === "string" ? raw : null) as AnswerValue | null;
    }
    return current[q.id]!.value as AnswerValue | null;
  };

  const defaultValues = useMemo(() => {
    const values: FormValues = {};
    for (const q of questions) {
      const start = startValues(q);
      const base = initialFormValue(q, start);
      // one blank row to type into
      values[fieldKey(q.id)] = q.type === "group" || (q.type === "country" && q.multiple) ? [...(Array.isArray(base) ? base : []), q.type === "group" ? {} : ""] : base;
    }
    return values;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaderData, actionData]);

  const { register, setValue, watch, getValues, reset } = useForm<FormValues>({ defaultValues });
  useEffect(() => reset(defaultValues), [defaultValues, reset]);
  const values = watch();

  const revisionsFromServer = useMemo(() => Object.fromEntries(questions.map((q) => [q.id, current[q.id]!.revision])), [questions, current]);
  const autosave = useAutosave(`/assessments/${assessmentId}/answers`, revisionsFromServer);
  // Rows saved without a required field come back from the server with what is missing.
  const [clientErrors, setClientErrors] = useState<Record<string, string>>(incomplete);
  useEffect(() => setClientErrors(incomplete), [incomplete]);
  const [rowCounts, setRowCounts] = useState<Record<string, number>>({});
  const [prefilled, setPrefilled] = useState(() => new Set(questions.filter((q) => current[q.id]!.prefilled).map((q) => q.id)));

  const answersNow: Record<string, AnswerValue | null> = {};
  for (const q of questions) answersNow[q.id] = answerOf(q, values[fieldKey(q.id)], isCountry);
  const visible = visibleOnPage(questions, earlier as Answers, answersNow);

  // Save each answer as it changes.
  useEffect(() => {
    if (!enhanced) return;
    const subscription = watch((all, { name }) => {
      if (!name) return;
      const key = name.split(".")[0]!;
      const q = questions.find((x) => fieldKey(x.id) === key);
      if (!q) return;
      const raw = normalise(q, all[key]);
      const check = validateAnswer(q, raw, isCountry);
      if (!check.ok) {
        setClientErrors((e) => ({ ...e, [q.id]: check.error }));
        // a row still missing a field is saved as it is, so nothing typed is lost
        if (check.incomplete) autosave.schedule(q.id, raw);
        else autosave.markInvalid(q.id, true);
        return;
      }
      setClientErrors(({ [q.id]: _, ...rest }) => rest);
      setPrefilled((p) => {
        const next = new Set(p);
        next.delete(q.id);
        return next;
      });
      autosave.schedule(q.id, check.value);
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enhanced, watch, autosave.schedule, autosave.markInvalid]);

  const serverErrors = (actionData && "errors" in actionData ? actionData.errors : {}) as Record<string, string>;
  const conflictsFromPost = (actionData && "conflicts" in actionData ? actionData.conflicts : []) as Array<{ questionId: string; question: string; yours: AnswerValue | null; theirs: AnswerValue | null; changedBy: string; changedAt: string }>;
  const errors: Record<string, string> = { ...serverErrors, ...autosave.errors, ...clientErrors };
  const conflicts = [...conflictsFromPost, ...Object.values(autosave.conflicts).map((c) => ({ ...c, question: questions.find((q) => q.id === c.questionId)?.text ?? c.questionId }))];
  const errorItems = [
    ...questions.filter((q) => errors[q.id] && visible.has(q.id)).map((q) => ({ href: `#${fieldKey(q.id)}`, text: errors[q.id]! })),
    ...conflicts.map((c) => ({ href: `#conflict-${fieldKey(c.questionId)}`, text: `A colleague changed “${c.question}” while you were editing it` })),
  ];
  const countryName = (code: string) => countries.find((c) => c.code === code)?.name ?? code;
  const prefilledHere = questions.filter((q) => prefilled.has(q.id) && visible.has(q.id)).length;

  const onSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    if (!enhanced) return;
    event.preventDefault();
    const formElement = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    await autosave.flush();
    const formData = new FormData(formElement, submitter);
    for (const q of questions) formData.set(`rev:${fieldKey(q.id)}`, String(autosave.revisions.current[q.id] ?? 0));
    submit(formData, { method: "post" });
  };

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/assessments/${assessmentId}`}>Back to your assessment</BackLink>
        <ErrorSummary errors={errorItems} />
        {conflicts.map((c) => {
          const q = questions.find((x) => x.id === c.questionId)!;
          return (
            <div key={c.questionId} id={`conflict-${fieldKey(c.questionId)}`} className="govuk-notification-banner" role="region" aria-labelledby={`conflict-${fieldKey(c.questionId)}-title`} tabIndex={-1}>
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id={`conflict-${fieldKey(c.questionId)}-title`}>
                  Answer changed by a colleague
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <p className="govuk-notification-banner__heading">{c.question}</p>
                <p className="govuk-body">
                  {c.changedBy || "A colleague"} changed this answer{c.changedAt ? ` on ${formatDateTime(c.changedAt)}` : ""}, so your change was not saved.
                </p>
                <dl className="govuk-summary-list">
                  <div className="govuk-summary-list__row">
                    <dt className="govuk-summary-list__key">Their answer (saved)</dt>
                    <dd className="govuk-summary-list__value">{formatAnswer(q, c.theirs, countryName)}</dd>
                  </div>
                  <div className="govuk-summary-list__row">
                    <dt className="govuk-summary-list__key">Your answer (not saved)</dt>
                    <dd className="govuk-summary-list__value">{formatAnswer(q, c.yours, countryName)}</dd>
                  </div>
                </dl>
                {enhanced && c.questionId in autosave.conflicts ? (
                  <div className="govuk-button-group">
                    <button
                      type="button"
                      className="govuk-button"
                      onClick={() => {
                        setValue(fieldKey(q.id), initialFormValue(q, c.theirs), { shouldDirty: false });
                        autosave.acceptTheirs(q.id);
                      }}
                    >
                      Use their answer
                    </button>
                    <button type="button" className="govuk-button govuk-button--secondary" onClick={() => autosave.keepMine(q.id)}>
                      Keep my answer
                    </button>
                  </div>
                ) : (
                  <p className="govuk-body">The page now shows their answer. Change it again if yours is right.</p>
                )}
              </div>
            </div>
          );
        })}
        <span className="govuk-caption-l">
          Section {position.number} of {position.of}
        </span>
        <h1 className="govuk-heading-l">{theme.title}</h1>
        {theme.description ? <p className="govuk-body">{theme.description}</p> : null}
        {search.get("more") ? (
          <div className="govuk-inset-text">Your answers mean more questions now apply. Answer them below, then select “Save and continue”.</div>
        ) : null}
        {prefilledHere > 0 ? (
          <div className="govuk-inset-text">
            {plural(prefilledHere, "answer")} on this page came from your last assessment. Check them and change
            any that are no longer right; selecting “Save and continue” confirms them.
          </div>
        ) : null}
        {/* Remix's Form (not a bare form) so its action and the next section are discovered before the click */}
        <Form method="post" action={`/assessments/${assessmentId}/themes/${theme.id}`} noValidate onSubmit={onSubmit}>
          {/* Enter in any field submits through the form's first submit button: make it the main
              action, so it never removes or adds a row (hidden from view and from assistive tech,
              which reach the visible "Save and continue" below). */}
          <button type="submit" name="intent" value="save" className="lantern-default-submit" tabIndex={-1} aria-hidden="true">
            Save and continue
          </button>
          <input type="hidden" name="shown" value={questions.filter((q) => visible.has(q.id)).map((q) => q.id).join(",")} />
          <input type="hidden" name="enhanced" value={enhanced ? "1" : "0"} />
          {questions.map((q) => (
            <input key={q.id} type="hidden" name={`rev:${fieldKey(q.id)}`} value={String(current[q.id]!.revision)} />
          ))}
          {questions.map((q) => {
            if (!visible.has(q.id)) return null;
            const key = fieldKey(q.id);
            const formValue = values[key];
            const rows = Array.isArray(formValue) ? formValue.length : 1;
            return (
              <QuestionField
                key={q.id}
                question={q}
                fieldKey={key}
                value={(posted && q.id in posted ? startValues(q) : (current[q.id]!.value as AnswerValue | null))}
                error={errors[q.id]}
                countries={countries}
                register={register}
                setValue={setValue}
                rowCount={rowCounts[key] ?? rows}
                enhanced={enhanced}
                prefilled={prefilled.has(q.id)}
                onAddRow={() => {
                  const list = (getValues(key) as unknown[]) ?? [];
                  setValue(key, [...list, q.type === "group" ? {} : ""]);
                  setRowCounts((r) => ({ ...r, [key]: list.length + 1 }));
                }}
                onRemoveRow={(i) => {
                  const list = [...((getValues(key) as unknown[]) ?? [])];
                  list.splice(i, 1);
                  setValue(key, list, { shouldDirty: true });
                  setRowCounts((r) => ({ ...r, [key]: list.length }));
                  const check = validateAnswer(q, normalise(q, list), isCountry);
                  if (check.ok) {
                    setClientErrors(({ [q.id]: _, ...rest }) => rest);
                    autosave.schedule(q.id, check.value);
                  } else if (check.incomplete) {
                    setClientErrors((e) => ({ ...e, [q.id]: check.error }));
                    autosave.schedule(q.id, normalise(q, list));
                  }
                }}
              />
            );
          })}
          <p className="govuk-body lantern-save-status" role="status" aria-live="polite">
            {enhanced ? <SaveStatusText status={autosave.status} /> : null}
          </p>
          <div className="govuk-button-group">
            <button type="submit" name="intent" value="save" className="govuk-button" data-module="govuk-button">
              Save and continue
            </button>
            <Link className="govuk-link" to={nextHref}>
              Skip this section for now
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

function SaveStatusText({ status }: { status: ReturnType<typeof useAutosave>["status"] }) {
  if (status === "saving") return <>Saving…</>;
  if (status === "saved") return <>Saved</>;
  if (status === "retrying") return <span className="lantern-save-status--error">Not saved – retrying</span>;
  if (status === "failed") return <span className="lantern-save-status--error">Not saved – see the messages on this page</span>;
  return <>Your answers are saved as you go.</>;
}
