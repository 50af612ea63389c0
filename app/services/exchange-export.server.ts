/**
 * Exporting submitted assessments in the exchange format (docs/exchange-format.md): every
 * submission, a supplier's, or those shared with a department now, in a fixed order, so that an
 * export imported into an empty database exports again byte for byte.
 */
import type { Db } from "../../db/index";
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "../domain/answers";
import { compareExported, exchangeLine, type ExportedSubmission } from "../domain/exchange";

/** Whose submissions an export holds. */
export type ExportScope = { kind: "all" } | { kind: "supplier"; organisationId: string } | { kind: "buyer"; organisationId: string; slug: string };

/** The scope for `--org SLUG`, or why there is none. */
export async function exportScope(db: Db, slug: string | undefined): Promise<{ ok: true; scope: ExportScope } | { ok: false; error: string }> {
  if (slug === undefined) return { ok: true, scope: { kind: "all" } };
  const org = await db.selectFrom("organisation").select(["id", "kind"]).where("slug", "=", slug).executeTakeFirst();
  if (!org) return { ok: false, error: `There is no organisation with the slug '${slug}'. Run \`npm run cli -- org list\` to see them.` };
  return { ok: true, scope: org.kind === "buyer" ? { kind: "buyer", organisationId: org.id, slug } : { kind: "supplier", organisationId: org.id } };
}

const PAGE = 500;

type Row = ExportedSubmission & { id: string; qn: Questionnaire };

/**
 * The lines of an export, in order, a page of submissions at a time. Submissions are read in
 * (created_at, id) order; those with the same submission time are held back until the next time
 * is seen, then put in the format's order, so the output does not depend on either database's
 * collation. A buyer's export names only that buyer in sharedWith: another department's access
 * is not the buyer's to see, and the file then imports where only that department exists.
 */
export async function* exportLines(db: Db, scope: ExportScope): AsyncGenerator<string> {
  let pending: Row[] = [];
  let after: { at: string; id: string } | undefined;
  const lines = (rows: Row[]) => rows.sort(compareExported).map((r) => exchangeLine(r, r.qn));
  for (;;) {
    let q = db
      .selectFrom("submission as s")
      .innerJoin("organisation as o", "o.id", "s.organisation_id")
      .select(["s.id", "s.assessment_id", "s.questionnaire", "s.questionnaire_id", "s.questionnaire_version", "s.answers", "s.created_at", "o.name", "o.company_number", "o.country"])
      .orderBy("s.created_at")
      .orderBy("s.id")
      .limit(PAGE);
    if (after) {
      const { at, id } = after;
      q = q.where((eb) => eb.or([eb("s.created_at", ">", at), eb.and([eb("s.created_at", "=", at), eb("s.id", ">", id)])]));
    }
    if (scope.kind === "supplier") q = q.where("s.organisation_id", "=", scope.organisationId);
    if (scope.kind === "buyer") {
      const buyer = scope.organisationId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("assessment_share as sh")
            .select("sh.id")
            .whereRef("sh.assessment_id", "=", "s.assessment_id")
            .where("sh.buyer_organisation_id", "=", buyer)
            .where("sh.revoked_at", "is", null),
        ),
      );
    }
    const rows = await q.execute();
    if (rows.length === 0) break;

    const shared = new Map<string, string[]>();
    let sq = db
      .selectFrom("assessment_share as sh")
      .innerJoin("organisation as b", "b.id", "sh.buyer_organisation_id")
      .select(["sh.assessment_id", "b.slug"])
      .where("sh.assessment_id", "in", rows.map((r) => r.assessment_id))
      .where("sh.revoked_at", "is", null);
    if (scope.kind === "buyer") sq = sq.where("sh.buyer_organisation_id", "=", scope.organisationId);
    for (const r of await sq.execute()) shared.set(r.assessment_id, [...(shared.get(r.assessment_id) ?? []), r.slug]);

    for (const r of rows) {
      pending.push({
        id: r.id,
        qn: await snapshotQuestionnaire(db, r.questionnaire),
        supplier: { name: r.name, companyNumber: r.company_number, country: r.country },
        sharedWith: shared.get(r.assessment_id) ?? [],
        questionnaire: r.questionnaire_id,
        version: r.questionnaire_version,
        submittedAt: r.created_at,
        answers: JSON.parse(r.answers) as Answers,
      });
    }
    const last = rows[rows.length - 1]!;
    after = { at: last.created_at, id: last.id };
    const ready = pending.filter((p) => p.submittedAt !== last.created_at);
    pending = pending.filter((p) => p.submittedAt === last.created_at);
    yield* lines(ready);
    if (rows.length < PAGE) break;
  }
  yield* lines(pending);
}
