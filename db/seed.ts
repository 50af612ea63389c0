/**
 * Demo data: two buyer departments, two supplier companies, a user for every role, and one past
 * submission for Brightwear so its next assessment starts pre-filled. Runs only on an empty database.
 */
import type { Questionnaire } from "../questionnaires/format";
import type { Answers, AnswerValue } from "../app/domain/answers";
import { scoreAnswers } from "../app/domain/scoring";
import { applySkipLogic } from "../app/domain/visibility";
import { slugify } from "../app/domain/organisations";
import { hashPassword } from "../app/domain/passwords";
import { newId } from "./ids";
import { insertSubmission } from "./submissions";
import type { Db } from "./index";
import type { OrganisationKind, Role } from "./schema";

export const DEMO_PASSWORD = "lantern-demo-2026";

export const DEMO_ORGANISATIONS: Array<{ key: string; name: string; kind: OrganisationKind }> = [
  { key: "dpw", name: "Department for Public Works", kind: "buyer" },
  { key: "nhs", name: "Northshire Health Services", kind: "buyer" },
  { key: "acme", name: "Acme Facilities Ltd", kind: "supplier" },
  { key: "brightwear", name: "Brightwear Textiles Ltd", kind: "supplier" },
];

export const DEMO_USERS: Array<{ org: string; email: string; name: string; role: Role }> = [
  { org: "dpw", email: "admin@dpw.example", name: "Priya Shah", role: "admin" },
  { org: "dpw", email: "manager@dpw.example", name: "Tom Rivers", role: "contract_manager" },
  { org: "dpw", email: "analyst@dpw.example", name: "Aisha Bello", role: "analyst" },
  { org: "nhs", email: "manager@nhs.example", name: "Gareth Evans", role: "contract_manager" },
  { org: "acme", email: "admin@acme.example", name: "Sam Carter", role: "admin" },
  { org: "acme", email: "contributor@acme.example", name: "Lee Morgan", role: "contributor" },
  { org: "brightwear", email: "admin@brightwear.example", name: "Nadia Khan", role: "admin" },
];

/**
 * A plausible, complete set of answers: the questionnaire walked in order with skip logic applied.
 * `strength` 0..1 picks how good the answers are (1 = best option everywhere); `chance` (numbers in
 * 0..1) varies which questions get the good answer, for many suppliers that differ.
 */
export function plausibleAnswers(qn: Questionnaire, strength = 0.6, chance?: () => number): Answers {
  const answers: Answers = {};
  let n = 0;
  for (const theme of qn.themes) {
    for (const q of theme.questions) {
      n += 1;
      if (!applySkipLogic(qn, answers).visible.has(q.id)) continue;
      // Which questions get the good answer: a fixed spread, or the caller's random numbers.
      const good = chance ? chance() < strength : (n * 37) % 100 < strength * 100;
      let value: AnswerValue | undefined;
      switch (q.type) {
        case "yesno":
          value = (q.points.yes >= q.points.no) === good ? "yes" : "no";
          break;
        case "single": {
          const options = q.options.filter((o) => !o.notApplicable);
          const sorted = [...options].sort((a, b) => b.points - a.points);
          value = (good ? sorted[0] : sorted[Math.min(1, sorted.length - 1)])!.value;
          if (q.id === "org.size") value = "large";
          break;
        }
        case "multi": {
          const options = q.options.filter((o) => !o.exclusive && !o.notApplicable);
          value = options.slice(0, good ? options.length : Math.max(1, Math.ceil(options.length / 2))).map((o) => o.value);
          break;
        }
        case "number":
          value = Math.max(q.min, good ? 12 : 45);
          break;
        case "percent":
          value = good ? 85 : 40;
          break;
        case "text":
          if (q.required) value = "We review this every year with our board.";
          break;
        case "country":
          value = q.multiple ? ["GB", "IN"] : "GB";
          break;
        case "group":
          value = [
            { name: "Northern Mills Ltd", country: "IN", tier: "tier1", products: "Cotton fabric" },
            { name: "Coimbatore Spinners", country: "IN", tier: "tier2", products: "Cotton yarn" },
          ].map((row) => Object.fromEntries(q.fields.filter((f) => f.id in row).map((f) => [f.id, row[f.id as keyof typeof row]])));
          break;
      }
      if (value !== undefined) answers[q.id] = value;
    }
  }
  return applySkipLogic(qn, answers).answers;
}

export async function seed(db: Db, qn: Questionnaire, now = new Date()): Promise<boolean> {
  const existing = await db.selectFrom("organisation").select("id").limit(1).executeTakeFirst();
  if (existing) return false;
  const at = now.toISOString();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const orgIds = new Map(DEMO_ORGANISATIONS.map((o) => [o.key, newId()]));
  const userIds = new Map(DEMO_USERS.map((u) => [u.email, newId()]));

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("organisation")
      .values(
        DEMO_ORGANISATIONS.map((o) => ({
          id: orgIds.get(o.key)!,
          name: o.name,
          kind: o.kind,
          slug: slugify(o.name),
          // Demo suppliers are fictional: no Companies House number that could be a real company's.
          company_number: null,
          country: o.kind === "supplier" ? "GB" : null,
          created_at: at,
        })),
      )
      .execute();
    await trx
      .insertInto("user")
      .values(
        DEMO_USERS.map((u) => ({
          id: userIds.get(u.email)!,
          organisation_id: orgIds.get(u.org)!,
          email: u.email,
          name: u.name,
          role: u.role,
          password_hash: passwordHash,
          created_at: at,
        })),
      )
      .execute();

    // Brightwear answered last year, and responded to every recommendation.
    const lastYear = new Date(now.getTime() - 330 * 24 * 60 * 60 * 1000).toISOString();
    const assessmentId = newId();
    const submissionId = newId();
    const author = userIds.get("admin@brightwear.example")!;
    const answers = plausibleAnswers(qn, 0.5);
    const result = scoreAnswers(qn, answers);
    await trx
      .insertInto("assessment")
      .values({
        id: assessmentId,
        organisation_id: orgIds.get("brightwear")!,
        questionnaire_id: qn.id,
        questionnaire_version: qn.version,
        status: "completed",
        previous_submission_id: null,
        created_by: author,
        created_at: lastYear,
        updated_at: lastYear,
      })
      .execute();
    await trx
      .insertInto("answer")
      .values(
        Object.entries(answers).map(([questionId, value]) => ({
          assessment_id: assessmentId,
          question_id: questionId,
          value: JSON.stringify(value),
          revision: 1,
          prefilled: 0,
          updated_by: author,
          updated_at: lastYear,
          created_at: lastYear,
        })),
      )
      .execute();
    await insertSubmission(trx, {
      id: submissionId,
      assessmentId,
      organisationId: orgIds.get("brightwear")!,
      qn,
      answers,
      result,
      context: {},
      submittedBy: author,
      createdAt: lastYear,
      source: "app",
    });
    if (result.recommendations.length > 0) {
      await trx
        .insertInto("recommendation_response")
        .values(
          result.recommendations.map((r, i) => ({
            submission_id: submissionId,
            recommendation_id: r.id,
            response: i % 3 === 2 ? ("in_progress" as const) : ("accepted" as const),
            target_date: i % 3 === 2 ? null : new Date(now.getTime() + 90 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10),
            reason: null,
            responded_by: author,
            created_at: lastYear,
            updated_at: lastYear,
          })),
        )
        .execute();
    }
  });
  return true;
}
