import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as saveAction } from "../../app/routes/assessment-answers";
import { action as checkAction } from "../../app/routes/assessment-check";
import { startAssessment } from "../../app/services/assessments.server";
import { getUser } from "../../app/services/auth.server";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, jsonRequest, signedInCookie } from "../setup/requests";

let t: TestDb;
let admin: string;
let contributor: string;
let otherSupplier: string;
let buyer: string;
let assessmentId: string;

beforeAll(async () => {
  t = await createTestDb();
  admin = await signedInCookie(t.db, "admin@acme.example");
  contributor = await signedInCookie(t.db, "contributor@acme.example");
  otherSupplier = await signedInCookie(t.db, "admin@brightwear.example");
  buyer = await signedInCookie(t.db, "manager@dpw.example");
});
afterAll(async () => t.close());

beforeEach(async () => {
  await t.db.deleteFrom("answer").execute();
  await t.db.deleteFrom("audit_log").execute();
  const user = (await getUser(new Request("http://localhost/", { headers: { Cookie: admin } })))!;
  assessmentId = await startAssessment(user);
});

async function save(cookie: string, body: unknown, id = assessmentId) {
  const response = (await saveAction({ request: jsonRequest(`/assessments/${id}/answers`, cookie, body), params: { assessmentId: id }, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const stored = () => t.db.selectFrom("answer").selectAll().where("assessment_id", "=", assessmentId).execute();

describe("saving an answer", () => {
  it("saves, returns the new revision and records it in the audit log", async () => {
    const first = await save(admin, { questionId: "mapping.has_mapped", value: "yes", baseRevision: 0 });
    expect(first).toEqual({ status: 200, body: { revision: 1 } });
    const second = await save(admin, { questionId: "mapping.has_mapped", value: "no", baseRevision: 1 });
    expect(second).toEqual({ status: 200, body: { revision: 2 } });
    const rows = await stored();
    expect(rows.map((r) => [r.question_id, JSON.parse(r.value), r.revision])).toEqual([["mapping.has_mapped", "no", 2]]);
    const log = await t.db.selectFrom("audit_log").selectAll().where("field", "=", "mapping.has_mapped").orderBy("id").execute();
    expect(log.map((l) => [l.action, l.old_value, l.new_value])).toEqual([
      ["answer_changed", null, '"yes"'],
      ["answer_changed", '"yes"', '"no"'],
    ]);
  });

  it("two colleagues saving the same question from the same revision: one wins, the other gets the conflict", async () => {
    await save(admin, { questionId: "recruitment.prohibits_worker_fees", value: "no", baseRevision: 0 });
    const [a, b] = await Promise.all([
      save(admin, { questionId: "recruitment.prohibits_worker_fees", value: "yes", baseRevision: 1 }),
      save(contributor, { questionId: "recruitment.prohibits_worker_fees", value: "dont_know", baseRevision: 1 }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.status === 200 ? { value: "yes", name: "Sam Carter" } : { value: "dont_know", name: "Lee Morgan" };
    const loser = a.status === 200 ? b : a;
    const conflict = loser.body.conflict as Record<string, unknown>;
    expect(conflict.theirs).toBe(winner.value);
    expect(conflict.yours).toBe(winner.value === "yes" ? "dont_know" : "yes");
    expect(conflict.changedBy).toBe(winner.name);
    expect(conflict.revision).toBe(2);
    const rows = await stored();
    expect(JSON.parse(rows[0]!.value)).toBe(winner.value);
    expect(rows[0]!.revision).toBe(2);
    const log = await t.db.selectFrom("audit_log").select(["new_value"]).where("field", "=", "recruitment.prohibits_worker_fees").orderBy("id").execute();
    expect(log.map((l) => l.new_value)).toEqual(['"no"', JSON.stringify(winner.value)]);
  });

  it("a later save based on the colleague's revision goes through", async () => {
    await save(contributor, { questionId: "org.size", value: "small", baseRevision: 0 });
    const stale = await save(admin, { questionId: "org.size", value: "large", baseRevision: 0 });
    expect(stale.status).toBe(409);
    const retry = await save(admin, { questionId: "org.size", value: "large", baseRevision: 1 });
    expect(retry).toEqual({ status: 200, body: { revision: 2 } });
  });

  it("an answer that hides a follow-up keeps the follow-up's stored answer, which comes back when shown again", async () => {
    await save(admin, { questionId: "mapping.has_mapped", value: "yes", baseRevision: 0 });
    await save(admin, { questionId: "mapping.deepest_tier", value: "tier2", baseRevision: 0 });
    await save(admin, { questionId: "mapping.has_mapped", value: "no", baseRevision: 1 });
    const hidden = await save(admin, { questionId: "mapping.deepest_tier", value: "tier1", baseRevision: 1 });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error).toBe("This question does not apply given your other answers, so it cannot be answered");
    expect((await stored()).find((r) => r.question_id === "mapping.deepest_tier")!.value).toBe('"tier2"');
  });

  describe("bad input gets a specific error and changes nothing", () => {
    const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      ["unknown question", () => save(admin, { questionId: "no.such_question", value: "yes", baseRevision: 0 }), 400, "Unknown question 'no.such_question'."],
      ["wrong type", () => save(admin, { questionId: "org.size", value: 12, baseRevision: 0 }), 400, "Select one of the options"],
      ["value not among the options", () => save(admin, { questionId: "org.size", value: "huge", baseRevision: 0 }), 400, "Select one of the options"],
      ["yes/no given something else", () => save(admin, { questionId: "mapping.has_mapped", value: "maybe", baseRevision: 0 }), 400, "Select yes or no"],
      ["answer to a hidden question", () => save(admin, { questionId: "mapping.deepest_tier", value: "tier1", baseRevision: 0 }), 400, "This question does not apply given your other answers, so it cannot be answered"],
      ["missing revision", () => save(admin, { questionId: "org.size", value: "small" }), 400, "baseRevision: Invalid input: expected number, received undefined"],
      ["not JSON", () => save(admin, "{not json"), 400, "The request body must be JSON."],
      ["country code that does not exist", () => save(admin, { questionId: "org.hq_country", value: "QQ", baseRevision: 0 }), 400, "'QQ' is not a country in the list; select a country from the list"],
    ];
    for (const [name, run, status, message] of cases) {
      it(name, async () => {
        const result = await run();
        expect(result.status).toBe(status);
        expect(result.body.error).toBe(message);
        expect(await stored()).toEqual([]);
      });
    }

    it("too-long text", async () => {
      await save(admin, { questionId: "governance.statement", value: "voluntary_published", baseRevision: 0 });
      await t.db.deleteFrom("audit_log").execute();
      const before = await stored();
      const r = await save(admin, { questionId: "governance.statement_url", value: "x".repeat(2001), baseRevision: 0 });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/^Answer must be \d+ characters or fewer \(you entered 2001\)$/);
      expect(await stored()).toEqual(before);
      expect(await t.db.selectFrom("audit_log").select("id").execute()).toEqual([]);
    });

    it("another organisation's assessment is refused with 403", async () => {
      const result = await save(otherSupplier, { questionId: "org.size", value: "small", baseRevision: 0 });
      expect(result.status).toBe(403);
      expect(result.body.error).toBe("This assessment belongs to another organisation.");
      expect(await stored()).toEqual([]);
    });

    it("a buyer cannot save a supplier's answers", async () => {
      const result = await save(buyer, { questionId: "org.size", value: "small", baseRevision: 0 });
      expect(result.status).toBe(403);
      expect(await stored()).toEqual([]);
    });
  });
});

describe("a list row missing a required field", () => {
  const complete = { name: "Acme Mills", country: "IN", tier: "tier1", products: "Yarn" };
  const named = { name: "Beta Dyeing" }; // no country, no tier yet

  it("is kept as a draft beside the complete rows, never dropped, and shown again with what is missing", async () => {
    await save(admin, { questionId: "mapping.has_mapped", value: "yes", baseRevision: 0 });
    const saved = await save(admin, { questionId: "mapping.entities", value: [complete, named, {}], baseRevision: 0 });
    expect(saved).toEqual({ status: 200, body: { revision: 1, incomplete: "Supplier 2: country is missing" } });
    const row = (await stored()).find((r) => r.question_id === "mapping.entities")!;
    expect(JSON.parse(row.value)).toEqual([complete]);
    expect(JSON.parse(row.draft!)).toEqual([complete, named]);

    // typing into the draft row keeps it a draft; completing it makes it an answer and ends the draft
    const more = await save(admin, { questionId: "mapping.entities", value: [complete, { ...named, country: "BD" }], baseRevision: 1 });
    expect(more.body).toEqual({ revision: 2, incomplete: "Supplier 2: tier is missing" });
    const done = await save(admin, { questionId: "mapping.entities", value: [complete, { ...named, country: "BD", tier: "tier2", products: "Dyeing" }], baseRevision: 2 });
    expect(done).toEqual({ status: 200, body: { revision: 3 } });
    const after = (await stored()).find((r) => r.question_id === "mapping.entities")!;
    expect(JSON.parse(after.value)).toEqual([complete, { ...named, country: "BD", tier: "tier2", products: "Dyeing" }]);
    expect(after.draft).toBeNull();
  });

  it("holds up submission with what to complete", async () => {
    await save(admin, { questionId: "mapping.has_mapped", value: "yes", baseRevision: 0 });
    await save(admin, { questionId: "mapping.entities", value: [named], baseRevision: 0 });
    const result = (await checkAction({ request: formRequest(`/assessments/${assessmentId}/check`, admin, []), params: { assessmentId }, context: {} })) as unknown as {
      data: { incomplete: Array<{ questionId: string; error: string }> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.incomplete).toEqual([expect.objectContaining({ questionId: "mapping.entities", error: "Supplier 1: country is missing" })]);
  });

  it("a draft on a question the other answers hide does not hold up anything, and cannot be saved", async () => {
    const hidden = await save(admin, { questionId: "mapping.entities", value: [named], baseRevision: 0 });
    expect(hidden.status).toBe(400);
    expect(await stored()).toEqual([]);
  });
});

describe("submitting", () => {
  it("is refused with the list of what is missing while required questions are unanswered", async () => {
    await save(admin, { questionId: "org.size", value: "small", baseRevision: 0 });
    const result = (await checkAction({ request: formRequest(`/assessments/${assessmentId}/check`, admin, []), params: { assessmentId }, context: {} })) as unknown as { data: { missing: Array<{ questionId: string }> }; init: { status: number } };
    expect(result.init.status).toBe(400);
    expect(result.data.missing.length).toBeGreaterThan(30);
    expect(result.data.missing.map((m) => m.questionId)).not.toContain("org.size");
    expect(result.data.missing.map((m) => m.questionId)).toContain("mapping.has_mapped");
    const row = await t.db.selectFrom("assessment").select("status").where("id", "=", assessmentId).executeTakeFirstOrThrow();
    expect(row.status).toBe("draft");
    expect(await t.db.selectFrom("submission").select("id").where("assessment_id", "=", assessmentId).execute()).toEqual([]);
  });

  it("another organisation cannot submit the assessment", async () => {
    await expect(checkAction({ request: formRequest(`/assessments/${assessmentId}/check`, otherSupplier, []), params: { assessmentId }, context: {} })).rejects.toMatchObject({ init: { status: 403 } });
  });
});
