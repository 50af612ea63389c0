/**
 * The supplier's responses to its recommendations, on one form grouped by priority: each one
 * accepted with a target date, already in progress, or not applicable with a reason. Saved all
 * together; the assessment is completed once every recommendation has a response.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { type DateParts, datePartsOf } from "../domain/dates";
import { requireRole } from "../services/auth.server";
import { dateField, field, readForm } from "../services/forms.server";
import { type ResponseInput, getReport, respondToRecommendations } from "../services/reports.server";
import { ErrorSummary } from "../ui/error-summary";
import { DateInput, FieldError, describedBy } from "../ui/fields";
import { BackLink, Tag } from "../ui/page";
import { PRIORITY } from "../ui/report";
import { plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Respond to your recommendations – Lantern" }];

type Posted = { response: string; targetDate: DateParts; reason: string };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const themeTitle = (id: string) => report.questionnaire.themes.find((t) => t.id === id)?.title ?? id;
  return {
    id: report.assessment.id,
    unanswered: report.unanswered,
    recommendations: report.result.recommendations.map((r) => {
      const saved = report.responses[r.id];
      return {
        id: r.id,
        title: r.title,
        priority: r.priority,
        themeTitle: themeTitle(r.themeId),
        good: r.good,
        responded: Boolean(saved),
        value: { response: saved?.response ?? "", targetDate: datePartsOf(saved?.targetDate), reason: saved?.reason ?? "" } satisfies Posted,
      };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const form = await readForm(request);
  const posted: Record<string, Posted> = {};
  const inputs: Record<string, ResponseInput> = {};
  for (const rec of report.result.recommendations) {
    const value = { response: field(form, `${rec.id}-response`), targetDate: dateField(form, `${rec.id}-targetDate`), reason: field(form, `${rec.id}-reason`) };
    posted[rec.id] = value;
    // a recommendation left without a choice, or with the response it had, is left as it was (an
    // accepted one whose target date has passed since stays valid until it is changed)
    if (value.response !== "" && !sameResponse(value, report.responses[rec.id])) inputs[rec.id] = value;
  }
  if (Object.values(posted).every((p) => p.response === "")) {
    const first = report.result.recommendations[0];
    return data({ errors: first ? { [first.id]: { response: "Select how you will respond to at least one recommendation" } } : {}, posted }, { status: 400 });
  }
  const outcome = await respondToRecommendations(user, params.assessmentId!, inputs);
  if (!outcome.ok) return data({ errors: outcome.errors, posted }, { status: 400 });
  return redirect(`/assessments/${params.assessmentId}/report?responded=${outcome.saved}`);
}

function sameResponse(posted: Posted, saved: { response: string; targetDate: string | null; reason: string | null } | undefined): boolean {
  if (!saved || saved.response !== posted.response) return false;
  if (posted.response === "accepted") {
    const was = datePartsOf(saved.targetDate);
    return (["day", "month", "year"] as const).every((k) => posted.targetDate[k].trim().replace(/^0+(?=\d)/, "") === was[k]);
  }
  if (posted.response === "not_applicable") return posted.reason.trim() === (saved.reason ?? "");
  return true;
}

export default function Responses() {
  const { id, unanswered, recommendations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result?.errors ?? {}) as Record<string, Record<string, string>>;
  const posted = result?.posted as Record<string, Posted> | undefined;
  const titles = Object.fromEntries(recommendations.map((r) => [r.id, r.title]));
  const errorItems = Object.entries(errors).flatMap(([recId, fields]) =>
    Object.entries(fields).map(([name, text]) => ({
      href: `#${recId}-${name === "targetDate" ? "targetDate-day" : name}`,
      text: `${titles[recId] ?? recId}: ${text}`,
    })),
  );
  const groups = (["high", "medium", "low"] as const).map((p) => ({ priority: p, items: recommendations.filter((r) => r.priority === p) })).filter((g) => g.items.length > 0);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/assessments/${id}/report`}>Back to your report</BackLink>
        <ErrorSummary errors={errorItems} />
        <h1 className="govuk-heading-l">Respond to your recommendations</h1>
        <p className="govuk-body">
          Say how you will respond to each recommendation. Your assessment is complete once every recommendation has a
          response: {unanswered === 0 ? "all of them have one." : `${unanswered} of ${plural(recommendations.length, "recommendation")} still ${unanswered === 1 ? "needs" : "need"} one.`}{" "}
          You can save some now and come back for the rest; you can also change a response later.
        </p>
        <Form method="post" noValidate>
          {groups.map((g) => (
            <section key={g.priority} aria-labelledby={`priority-${g.priority}`}>
              <h2 className="govuk-heading-m" id={`priority-${g.priority}`}>
                {PRIORITY[g.priority].label} ({g.items.length})
              </h2>
              {g.items.map((rec) => (
                <ResponseFields key={rec.id} rec={rec} value={posted?.[rec.id] ?? rec.value} errors={errors[rec.id] ?? {}} />
              ))}
            </section>
          ))}
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save all responses
          </button>
        </Form>
      </div>
    </div>
  );
}

type Rec = ReturnType<typeof useLoaderData<typeof loader>>["recommendations"][number];

/** One recommendation's response: GOV.UK radios whose follow-up fields show for the choice made (all of them without JavaScript). */
function ResponseFields({ rec, value, errors }: { rec: Rec; value: Posted; errors: Record<string, string> }) {
  const id = (name: string) => `${rec.id}-${name}`;
  const [choice, setChoice] = useState(value.response);
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  useEffect(() => setChoice(value.response), [value.response]);
  const hidden = (kind: string) => (enhanced && choice !== kind ? " govuk-radios__conditional--hidden" : "");
  const radio = (kind: string, label: string, suffix: string) => (
    <div className="govuk-radios__item">
      <input
        className="govuk-radios__input"
        id={suffix ? id(`response-${suffix}`) : id("response")}
        name={id("response")}
        type="radio"
        value={kind}
        defaultChecked={value.response === kind}
        onChange={() => setChoice(kind)}
        aria-controls={kind === "accepted" ? id("accepted-detail") : kind === "not_applicable" ? id("not-applicable-detail") : undefined}
      />
      <label className="govuk-label govuk-radios__label" htmlFor={suffix ? id(`response-${suffix}`) : id("response")}>
        {label}
      </label>
    </div>
  );
  return (
    <div id={`rec-${rec.id}`} className={`govuk-form-group lantern-recommendation${Object.keys(errors).length > 0 ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id("response"), true, errors.response)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
          {rec.title} {rec.responded ? null : <Tag colour="grey">No response yet</Tag>}
        </legend>
        <div className="govuk-hint" id={`${id("response")}-hint`}>
          {rec.themeTitle}. What good looks like: {rec.good}
        </div>
        <FieldError id={id("response")} message={errors.response} />
        <div className="govuk-radios govuk-radios--small govuk-radios--conditional">
          {radio("accepted", "We accept it and will do it by a target date", "")}
          <div className={`govuk-radios__conditional${hidden("accepted")}`} id={id("accepted-detail")}>
            <DateInput id={id("targetDate")} legend="Target date" hint="For example, 31 3 2027" value={value.targetDate} error={errors.targetDate} />
          </div>
          {radio("in_progress", "This is already in progress", "in_progress")}
          {radio("not_applicable", "It does not apply to us", "not_applicable")}
          <div className={`govuk-radios__conditional${hidden("not_applicable")}`} id={id("not-applicable-detail")}>
            <div className={`govuk-form-group${errors.reason ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label" htmlFor={id("reason")}>
                Why it does not apply to you
              </label>
              <FieldError id={id("reason")} message={errors.reason} />
              <textarea
                className={`govuk-textarea${errors.reason ? " govuk-textarea--error" : ""}`}
                id={id("reason")}
                name={id("reason")}
                rows={2}
                maxLength={1000}
                defaultValue={value.reason}
                aria-describedby={errors.reason ? `${id("reason")}-error` : undefined}
              />
            </div>
          </div>
        </div>
      </fieldset>
    </div>
  );
}
