import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { type GuideAnswer, type GuideResponse } from "../domain/conversation-guide";
import { requireRole } from "../services/auth.server";
import { sharedGuide } from "../services/conversation-guide.server";
import printCss from "../styles/print.css?url";
import { BackLink, Tag, formatDate } from "../ui/page";
import { PRIORITY, RESPONSE_TEXT } from "../ui/report";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Conversation guide – ${data?.supplierName ?? "Result"} – Results – Lantern` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const { report, supplier, guide } = await sharedGuide(user, params.assessmentId!);
  return {
    assessmentId: report.assessment.id,
    supplierName: supplier.name,
    submittedAt: report.submission.submittedAt,
    title: report.questionnaire.title,
    version: report.submission.version,
    guide,
  };
}

function Answers({ answers }: { answers: GuideAnswer[] }) {
  if (answers.length === 0) return null;
  return (
    <>
      <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Because the supplier answered</h4>
      <ul className="govuk-list govuk-list--bullet">
        {answers.map((t, i) => (
          <li key={i}>
            {t.question} <strong>{t.answer}</strong>
          </li>
        ))}
      </ul>
    </>
  );
}

function Probes({ probes }: { probes: string[] }) {
  if (probes.length === 0) return null;
  return (
    <>
      <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Questions to ask</h4>
      <ul className="govuk-list govuk-list--bullet lantern-guide__probes">
        {probes.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </>
  );
}

function Response({ response }: { response: GuideResponse | null }) {
  return (
    <>
      <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">The supplier's response</h4>
      {response ? (
        <p className="govuk-body">
          {RESPONSE_TEXT[response.response]}
          {response.targetDate ? `, by ${formatDate(response.targetDate)}` : ""}
          {response.reason ? `: ${response.reason}` : ""}
        </p>
      ) : (
        <p className="govuk-body">No response yet.</p>
      )}
    </>
  );
}

function Notes() {
  return (
    <div className="lantern-print-only">
      <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Notes from the conversation</h4>
      <div className="lantern-guide__notes" />
    </div>
  );
}

const percent = (value: number | null) => (value === null ? "not scored" : `${value}%`);

export default function ResultGuide() {
  const g = useLoaderData<typeof loader>();
  const [redFlags, caps, recommendations, themes] = g.guide.sections;
  const s = g.guide.summary;
  let step = 0;
  return (
    <div className="govuk-grid-row lantern-guide">
      <div className="govuk-grid-column-full">
        <div className="lantern-no-print">
          <BackLink href={`/results/${g.assessmentId}`}>Back to the result</BackLink>
        </div>
        <span className="govuk-caption-l">{g.supplierName}</span>
        <h1 className="govuk-heading-l">Conversation guide</h1>
        <p className="govuk-body">
          An agenda for your follow-up conversation with {g.supplierName} about its modern slavery assessment, submitted {formatDate(g.submittedAt)} ({g.title}, version{" "}
          {g.version}). Start with what must be cleared, then what the supplier has agreed to improve.
        </p>
        <div className="lantern-no-print">
          <p className="govuk-body">To print this guide, use your browser's print option (Ctrl and P, or Command and P on a Mac). It is laid out for A4 paper.</p>
          <p className="govuk-body">
            <a className="govuk-link" href={`/results/${g.assessmentId}/guide.pdf`} download>
              Download the conversation guide as a PDF
            </a>
          </p>
        </div>

        <h2 className="govuk-heading-m">Summary</h2>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Rating</dt>
            <dd className="govuk-summary-list__value">{s.rating.label}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{s.exposure ? "Management score" : "Overall score"}</dt>
            <dd className="govuk-summary-list__value">{percent(s.overall)}</dd>
          </div>
          {s.exposure ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Exposure</dt>
              <dd className="govuk-summary-list__value">{s.exposure[0]!.toUpperCase() + s.exposure.slice(1)}</dd>
            </div>
          ) : null}
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Red flags</dt>
            <dd className="govuk-summary-list__value">{s.redFlags}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Recommendations</dt>
            <dd className="govuk-summary-list__value">
              {s.recommendations}
              {s.awaitingResponse > 0 ? `, ${s.awaitingResponse} without a response from the supplier yet` : ""}
            </dd>
          </div>
        </dl>
        {s.explanation ? <p className="govuk-body">{s.explanation}</p> : null}

        <section aria-labelledby="guide-red-flags" className="lantern-guide__section">
          <h2 className="govuk-heading-m" id="guide-red-flags">
            {++step}. {redFlags.title}
          </h2>
          {redFlags.items.length === 0 ? (
            <p className="govuk-body">The assessment raised no red flags.</p>
          ) : (
            <p className="govuk-body">Each red flag puts the assessment in the highest-risk band. Agree with the supplier what it will do about each one.</p>
          )}
          {redFlags.items.map((f) => (
            <div key={f.id} className="lantern-flag lantern-guide__item">
              <h3 className="govuk-heading-s">
                {f.title} {f.followUp ? <Tag colour="red">Follow-up needed</Tag> : null}
              </h3>
              <p className="govuk-body">{f.description}</p>
              <Answers answers={f.triggeredBy} />
              <Probes probes={f.probes} />
              <Notes />
            </div>
          ))}
        </section>

        {caps.items.length > 0 ? (
          <section aria-labelledby="guide-caps" className="lantern-guide__section">
            <h2 className="govuk-heading-m" id="guide-caps">
              {++step}. {caps.title}
            </h2>
            <p className="govuk-body">These findings stop the rating from being better, whatever the score. Ask what the supplier is doing about each.</p>
            {caps.items.map((c) => (
              <div key={c.id} className="lantern-recommendation lantern-guide__item">
                <h3 className="govuk-heading-s">No better than {c.atBestLabel}</h3>
                <p className="govuk-body">{c.reason}</p>
                <Answers answers={c.triggeredBy} />
                <Notes />
              </div>
            ))}
          </section>
        ) : null}

        <section aria-labelledby="guide-recommendations" className="lantern-guide__section">
          <h2 className="govuk-heading-m" id="guide-recommendations">
            {++step}. {recommendations.title}
          </h2>
          {recommendations.items.length === 0 ? (
            <p className="govuk-body">The supplier's answers triggered no recommendations.</p>
          ) : (
            <p className="govuk-body">Highest priority first; within a priority, those in the supplier's weakest themes first.</p>
          )}
          {recommendations.items.map((r) => (
            <div key={r.id} className="lantern-recommendation lantern-guide__item">
              <h3 className="govuk-heading-s">
                {r.title} <Tag colour={PRIORITY[r.priority].colour}>{PRIORITY[r.priority].label}</Tag>
              </h3>
              <p className="govuk-body-s">
                {r.themeTitle}: {percent(r.themePercent)}
              </p>
              <Probes probes={r.probes} />
              <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">What good looks like</h4>
              <p className="govuk-body">{r.good}</p>
              <h4 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Why it matters</h4>
              <p className="govuk-body">{r.why}</p>
              <Response response={r.response} />
              <Answers answers={r.triggeredBy} />
              <Notes />
            </div>
          ))}
        </section>

        {themes.items.length > 0 ? (
          <section aria-labelledby="guide-themes" className="lantern-guide__section">
            <h2 className="govuk-heading-m" id="guide-themes">
              {++step}. {themes.title}
            </h2>
            {themes.items.map((t) => (
              <div key={t.id} className="lantern-recommendation lantern-guide__item">
                <h3 className="govuk-heading-s">
                  {t.title}: {t.percent}%
                </h3>
                {t.description ? <p className="govuk-body">{t.description}</p> : null}
                {t.recommendations.length > 0 ? (
                  <p className="govuk-body">Recommendations in this theme: {t.recommendations.map((r) => r.title).join("; ")}.</p>
                ) : null}
                <Probes probes={t.probes} />
                <Notes />
              </div>
            ))}
          </section>
        ) : null}
      </div>
    </div>
  );
}
