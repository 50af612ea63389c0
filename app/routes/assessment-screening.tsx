import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { countryName } from "../services/countries.server";
import { field, readForm } from "../services/forms.server";
import { assessmentScreening, decideMatch } from "../services/screening.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink } from "../ui/page";
import { MatchSummary, matchTitle } from "../ui/screening-match";
import { plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Check named suppliers against import bans – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const { assessment, qn, screening } = await assessmentScreening(user, params.assessmentId!);
  if (assessment.status !== "draft") throw redirect(`/assessments/${assessment.id}/report#screening`);
  const mapping = qn.themes.find((t) => t.questions.some((q) => q.type === "group" && q.fields.some((f) => f.id === "name")));
  const countries = new Set(screening.matches.flatMap((m) => [m.entity.country, m.ban.country]).filter((c): c is string => Boolean(c)));
  return {
    id: assessment.id,
    screened: screening.screened,
    matches: screening.matches,
    countryNames: Object.fromEntries([...countries].map((c) => [c, countryName(c)])),
    mappingHref: mapping ? `/assessments/${assessment.id}/themes/${mapping.id}` : `/assessments/${assessment.id}`,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const form = await readForm(request);
  const input = { entityKey: field(form, "entityKey"), banId: field(form, "banId"), decision: form.get("decision"), reason: field(form, "reason") };
  const outcome = await decideMatch(user, params.assessmentId!, input);
  if (!outcome.ok) return data({ key: `${input.entityKey}#${input.banId}`, errors: outcome.errors, reason: input.reason }, { status: 400 });
  return redirect(`/assessments/${params.assessmentId}/screening#${anchor(`${input.entityKey}#${input.banId}`)}`);
}

/** A stable, HTML-safe id for a match's form fields. */
const anchor = (key: string) => `match-${Array.from(key).reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(36)}`;

export default function Screening() {
  const { id, screened, matches, countryNames, mappingHref } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const name = (code: string) => countryNames[code] ?? code;
  const undecided = matches.filter((m) => !m.decision).length;
  const errorFor = (key: string) => (result && result.key === key ? (result.errors as Record<string, string>) : {});
  const errorItems = result ? Object.entries(result.errors as Record<string, string>).map(([f, text]) => ({ href: `#${anchor(result.key)}-${f}`, text })) : [];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/assessments/${id}`}>Back to your assessment</BackLink>
        <ErrorSummary errors={errorItems} />
        <h1 className="govuk-heading-l">Check named suppliers against import bans</h1>
        <p className="govuk-body">
          We compare the suppliers and sites you named with published import bans, such as US Withhold Release Orders, which
          name companies whose goods are presumed to be made with forced labour. Names are compared whatever their spelling,
          legal form (Ltd, Sdn Bhd, Co.) or word order, so some matches will be other companies with similar names.
        </p>
        <p className="govuk-body">
          A possible match is not a finding. Tell us whether each one is the listed company. An undecided match against an
          active order is treated as a serious risk until you decide.
        </p>
        {screened === 0 ? (
          <p className="govuk-body">
            You have not named any suppliers or sites yet. <Link className="govuk-link" to={mappingHref}>Name them in supply-chain mapping</Link>.
          </p>
        ) : matches.length === 0 ? (
          <div className="govuk-inset-text">{screened === 1 ? "The name you gave does not match" : `None of the ${plural(screened, "name")} you gave matches`} the import-ban list.</div>
        ) : (
          <p className="govuk-body">
            {plural(screened, "name")} checked: {plural(matches.length, "possible match", "possible matches")},{" "}
            {undecided === 0 ? "all decided" : `${undecided} still to decide`}.
          </p>
        )}
        {matches.map((m) => {
          const key = `${m.entity.key}#${m.ban.id}`;
          const fid = anchor(key);
          const errors = errorFor(key);
          return (
            <section key={key} className="govuk-summary-card" id={fid} aria-labelledby={`${fid}-title`}>
              <div className="govuk-summary-card__title-wrapper">
                <h2 className="govuk-summary-card__title" id={`${fid}-title`}>
                  {matchTitle(m, name)}
                </h2>
              </div>
              <div className="govuk-summary-card__content">
                <MatchSummary match={m} countryName={name} />
                <Form method="post" noValidate>
                  <input type="hidden" name="entityKey" value={m.entity.key} />
                  <input type="hidden" name="banId" value={m.ban.id} />
                  <div className={`govuk-form-group${errors.decision ? " govuk-form-group--error" : ""}`}>
                    <fieldset className="govuk-fieldset" aria-describedby={errors.decision ? `${fid}-decision-error` : undefined}>
                      <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                        Is {m.entity.name} the listed company?
                      </legend>
                      <FieldError id={`${fid}-decision`} message={errors.decision} />
                      <div className="govuk-radios govuk-radios--small">
                        {(["confirmed", "dismissed"] as const).map((value, i) => (
                          <div className="govuk-radios__item" key={value}>
                            <input
                              className="govuk-radios__input"
                              id={i === 0 ? `${fid}-decision` : `${fid}-decision-${value}`}
                              name="decision"
                              type="radio"
                              value={value}
                              defaultChecked={m.decision?.decision === value}
                            />
                            <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? `${fid}-decision` : `${fid}-decision-${value}`}>
                              {value === "confirmed" ? "Yes, it is the listed company (or part of its group)" : "No, it is a different company"}
                            </label>
                          </div>
                        ))}
                      </div>
                    </fieldset>
                  </div>
                  <div className={`govuk-form-group${errors.reason ? " govuk-form-group--error" : ""}`}>
                    <label className="govuk-label" htmlFor={`${fid}-reason`}>
                      How do you know, and what are you doing about it?
                    </label>
                    <div className="govuk-hint" id={`${fid}-reason-hint`}>
                      For example its registration number and address, or the steps you have agreed with it.
                    </div>
                    <FieldError id={`${fid}-reason`} message={errors.reason} />
                    <textarea
                      className={`govuk-textarea${errors.reason ? " govuk-textarea--error" : ""}`}
                      id={`${fid}-reason`}
                      name="reason"
                      rows={3}
                      maxLength={1000}
                      defaultValue={result?.key === key ? result.reason : (m.decision?.reason ?? "")}
                      aria-describedby={`${fid}-reason-hint${errors.reason ? ` ${fid}-reason-error` : ""}`}
                    />
                  </div>
                  <button type="submit" className="govuk-button govuk-button--secondary">
                    Save decision<span className="govuk-visually-hidden"> on {m.entity.name}</span>
                  </button>
                </Form>
              </div>
            </section>
          );
        })}
        <p className="govuk-body">
          <Link className="govuk-link" to={`/assessments/${id}`}>
            Return to your assessment
          </Link>
        </p>
      </div>
    </div>
  );
}
