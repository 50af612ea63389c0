import type { LoaderFunctionArgs } from "@remix-run/node";
import { questionIndex } from "../domain/questions";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";
import { textErrors } from "../services/errors.server";
import { countryName } from "../services/countries.server";
import { RESPONSE_TEXT } from "../ui/report";
import { getReport } from "../services/reports.server";
import { formatAnswer } from "../domain/format-answer";
import { capitalise, plural } from "../domain/text";
import { formatDate as writtenDate } from "../domain/dates";
import { DECISION_TEXT } from "../ui/screening-match";
import { createPdf } from "../services/pdf.server";

/** The report as a PDF, for filing and for sharing outside the service. */
// A refusal (403, 404) is a short plain-text answer, not the generic error page of a document request.
export const loader = (args: LoaderFunctionArgs) => textErrors(() => reportPdf(args));

async function reportPdf({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const index = questionIndex(report.questionnaire);
  const { doc, finish } = createPdf({ Title: `Modern slavery assessment report – ${user.organisationName}` });

  const r = report.result;
  doc.font("Helvetica-Bold").fontSize(20).text("Modern slavery assessment report");
  doc.font("Helvetica").fontSize(11).text(`${user.organisationName} · submitted ${writtenDate(report.submission.submittedAt)} · ${report.questionnaire.title} v${report.submission.version}`);
  doc.moveDown();
  if (r.exposure && r.rating) {
    // Questionnaires with a risk model: both dimensions, the matrix cell and why.
    doc.font("Helvetica-Bold").fontSize(16).text(`${r.band.label} · Exposure: ${capitalise(r.exposure.level)} · Management score: ${r.overall ?? "–"}%`);
    doc.font("Helvetica").fontSize(11).text(r.rating.explanation);
    doc.text(`Matrix cell: ${r.exposure.level} exposure and a management score of ${r.overall ?? "–"}% give ${r.rating.matrixBand.label}.`);
    doc.moveDown(0.5).font("Helvetica-Bold").text("Exposure");
    doc.font("Helvetica");
    if (r.exposure.factors.length === 0) doc.text("None of the exposure factors applies.");
    for (const f of r.exposure.factors) doc.text(`${capitalise(f.level)}: ${f.reason}`);
    if (r.rating.caps.length > 0) {
      doc.moveDown(0.5).font("Helvetica-Bold").text("Limits on the rating");
      doc.font("Helvetica");
      for (const c of r.rating.caps) doc.text(`No better than ${c.atBestLabel}: ${c.reason}`);
    }
    if (r.screening) {
      doc.moveDown(0.5).font("Helvetica-Bold").text("Named suppliers checked against import bans");
      doc.font("Helvetica").text(`${plural(r.screening.screened, "name")} checked, ${plural(r.screening.matches.length, "possible match", "possible matches")}.`);
      for (const m of r.screening.matches) {
        const decision = m.decision ? `${DECISION_TEXT[m.decision.decision]}. ${m.decision.reason}` : "not decided";
        doc.text(`${m.entity.name} may be ${m.ban.entity ?? m.matchedName} (${m.ban.source} ${writtenDate(m.ban.effectiveDate)}, order ${m.ban.status}); ${decision}`);
      }
    }
  } else {
    doc.font("Helvetica-Bold").fontSize(16).text(`${r.band.label} · Overall score: ${r.overall ?? "–"}%`);
  }
  doc.moveDown();
  doc.fontSize(13).text("Scores by theme");
  doc.font("Helvetica").fontSize(11);
  for (const t of r.themes) {
    const change = report.changes?.find((c) => c.themeId === t.themeId)?.change;
    doc.text(`${t.title}: ${t.percent === null ? "not scored" : `${t.percent}%`}${change === undefined || change === null ? "" : ` (change since last assessment: ${change > 0 ? "+" : ""}${change})`}`);
  }
  if (r.redFlags.length > 0) {
    doc.moveDown().font("Helvetica-Bold").fontSize(13).text("Red flags");
    for (const f of r.redFlags) {
      // MSAT 1.2 on: a flag that asks for a follow-up without setting the rating says so
      doc.font("Helvetica-Bold").fontSize(11).text(f.forcesBand === false ? `${f.title} (a follow-up, not by itself the rating)` : f.title);
      doc.font("Helvetica").text(f.description);
    }
  }
  doc.moveDown().font("Helvetica-Bold").fontSize(13).text("Recommendations");
  for (const rec of r.recommendations) {
    const response = report.responses[rec.id];
    doc.moveDown(0.5).font("Helvetica-Bold").fontSize(11).text(`${rec.title} (${capitalise(rec.priority)} priority)`);
    doc.font("Helvetica").text(`Why it matters: ${rec.why}`);
    doc.text(`What good looks like: ${rec.good}`);
    doc.text(`Because you answered: ${rec.triggeredBy.map((t) => `${t.question} ${formatAnswer(index.get(t.questionId)!.question, t.answer, countryName)}`).join("; ")}`);
    doc.text(
      response
        ? `Your response: ${RESPONSE_TEXT[response.response]}${response.targetDate ? `, by ${writtenDate(response.targetDate)}` : ""}${response.reason ? `: ${response.reason}` : ""}`
        : "Your response: not given yet",
    );
  }
  const pdf = await finish();
  return download({ filename: `lantern-report-${report.submission.submittedAt.slice(0, 10)}.pdf`, contentType: "application/pdf", body: pdf });
}
