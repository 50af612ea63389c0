/**
 * Random and malformed input thrown at the answer-saving actions (the JSON autosave endpoint and
 * the theme page's form): never a 500, and never a partial write — a refused request changes
 * nothing, an accepted autosave changes exactly the one answer it names.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as saveAction } from "../../app/routes/assessment-answers";
import { action as themeAction } from "../../app/routes/assessment-theme";
import { startAssessment } from "../../app/services/assessments.server";
import { getUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { createTestDb, type TestDb } from "../setup/db";
import { signedInCookie } from "../setup/requests";

let t: TestDb;
let cookie: string;
let assessmentId: string;
const qn = currentQuestionnaire();
const questions = qn.themes.flatMap((theme) => theme.questions.map((q) => ({ theme: theme.id, q })));
const RUNS = Number(process.env.PROPERTY_RUNS ?? 120);

beforeAll(async () => {
  t = await createTestDb();
  cookie = await signedInCookie(t.db, "admin@acme.example");
  const user = (await getUser(new Request("http://localhost/", { headers: { Cookie: cookie } })))!;
  assessmentId = await startAssessment(user);
});
afterAll(async () => t?.close());

/** A thrown data()/Response from an action, as the status the client would see. */
async function statusOf(run: () => Promise<unknown>): Promise<{ status: number; body?: unknown }> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, body: await result.json().catch(() => undefined) };
    if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
      return { status: (result as unknown as { init: ResponseInit | null }).init?.status ?? 200 };
    }
    return { status: 200 };
  } catch (error) {
    if (error instanceof Response) return { status: error.status };
    if (error && typeof error === "object" && "type" in error && error.type === "DataWithResponseInit") {
      return { status: (error as unknown as { init: ResponseInit | null }).init?.status ?? 500 };
    }
    return { status: 500, body: String(error) };
  }
}

async function snapshot() {
  const answers = await t.db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", assessmentId).orderBy("question_id").execute();
  const audit = await t.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { answers, audit: Number(audit.n) };
}

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("\u0000", "a\u0000b", "\u001b[2J", "\uffff", "\ud800", "𝕏".repeat(300), "x".repeat(70_000), "", " ", "1e309", "-0", "NaN", "__proto__", "constructor"),
);
const anyValue = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 5 }),
  fc.array(fc.dictionary(nasty, nasty, { maxKeys: 4 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** Valid-looking values for a question, so the property also reaches the database often. */
const plausibleValue = (q: (typeof questions)[number]["q"]) => {
  if (q.type === "single") return fc.constantFrom(...q.options.map((o) => o.value));
  if (q.type === "multi") return fc.subarray(q.options.map((o) => o.value));
  if (q.type === "number" || q.type === "percent") return fc.integer({ min: -5, max: 150 });
  if (q.type === "country") return q.multiple ? fc.constantFrom(["GB"], ["CN", "MY"], ["ZZ"]) : fc.constantFrom("GB", "ZZ", "gb");
  return nasty;
};
const question = fc.constantFrom(...questions.filter((e) => !e.q.showIf), ...questions);
const CURRENT = "<current revision>";
/** Mostly well-formed saves (based on the stored revision) of plausible or random values, and plenty of junk. */
const body = fc.oneof(
  {
    weight: 5,
    arbitrary: question.chain((entry) =>
      fc.record({
        questionId: fc.constant(entry.q.id),
        value: fc.oneof({ weight: 3, arbitrary: plausibleValue(entry.q) }, { weight: 1, arbitrary: anyValue }),
        baseRevision: fc.oneof({ weight: 4, arbitrary: fc.constant(CURRENT) }, { weight: 1, arbitrary: fc.oneof(fc.nat({ max: 3 }), fc.integer(), fc.double(), nasty) }),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ questionId: nasty, value: anyValue, baseRevision: fc.nat() }) },
  { weight: 1, arbitrary: fc.dictionary(nasty, anyValue) },
  { weight: 1, arbitrary: anyValue },
);
const rawBody = fc.oneof({ weight: 6, arbitrary: body }, { weight: 1, arbitrary: nasty }, { weight: 1, arbitrary: fc.constantFrom("{", "{}", "[]", "null", '{"questionId":', "\u0000{}") });

/** The request text, with a CURRENT base revision replaced by the stored one. */
async function bodyText(value: unknown): Promise<string> {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && (value as { baseRevision?: unknown }).baseRevision === CURRENT) {
    const { questionId } = value as { questionId: string };
    const row = await t.db.selectFrom("answer").select("revision").where("assessment_id", "=", assessmentId).where("question_id", "=", questionId).executeTakeFirst();
    return JSON.stringify({ ...value, baseRevision: row?.revision ?? 0 });
  }
  return JSON.stringify(value);
}

describe("the autosave endpoint under random input", () => {
  it("never answers 500 and never writes part of a request", { timeout: 300_000 }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(rawBody, async (generated) => {
        const text = await bodyText(generated);
        const before = await snapshot();
        const request = new Request(`http://localhost/assessments/${assessmentId}/answers`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Cookie: cookie },
          body: text,
        });
        const { status, body: reply } = await statusOf(() => saveAction({ request, params: { assessmentId }, context: {} }));
        expect(status, `${text.slice(0, 200)} -> ${JSON.stringify(reply)}`).toBeLessThan(500);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const after = await snapshot();
        if (status !== 200) {
          expect(after).toEqual(before);
          return;
        }
        const { questionId } = JSON.parse(text) as { questionId: string };
        const changed = after.answers.filter((a) => JSON.stringify(a) !== JSON.stringify(before.answers.find((b) => b.question_id === a.question_id)));
        const removed = before.answers.filter((b) => !after.answers.some((a) => a.question_id === b.question_id));
        for (const row of [...changed, ...removed]) expect(row.question_id).toBe(questionId);
      }),
      { numRuns: RUNS },
    );
    // the property is only worth something if random input both reaches the database and is refused
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(RUNS / 20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 4);
  });
});

describe("the theme form under random input", () => {
  it("never answers 500, and a refused page saves none of its answers", { timeout: 300_000 }, async () => {
    const statuses = new Map<number, number>();
    const theme = fc.constantFrom(...qn.themes);
    const fields = theme.chain((th) =>
      fc.tuple(
        fc.constant(th),
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...th.questions.map((q) => q.id.replace(/\./g, "-"))), nasty, fc.constantFrom(...th.questions.map((q) => `rev:${q.id.replace(/\./g, "-")}`))),
            fc.oneof(nasty, fc.constantFrom("0", "1", "-1", "yes", "no", "GB", "25")),
          ),
          { maxLength: 12 },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fields, async ([th, pairs]) => {
        const before = await snapshot();
        const form = new URLSearchParams(pairs);
        const request = new Request(`http://localhost/assessments/${assessmentId}/themes/${th.id}`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
          body: form,
        });
        const { status, body: reply } = await statusOf(() => themeAction({ request, params: { assessmentId, themeId: th.id }, context: {} }));
        expect(status, `${form.toString().slice(0, 300)} -> ${JSON.stringify(reply)}`).toBeLessThan(500);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 400) expect(await snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    expect(statuses.size, JSON.stringify([...statuses])).toBeGreaterThan(1);
  });
});

describe("free text under random input", () => {
  it("any text, control characters included, is stored exactly or refused with a field error, never a 500", { timeout: 300_000 }, async () => {
    // A supplier of its own, so the random answers above cannot hide the follow-ups this needs.
    cookie = await signedInCookie(t.db, "admin@brightwear.example");
    const user = (await getUser(new Request("http://localhost/", { headers: { Cookie: cookie } })))!;
    assessmentId = await startAssessment(user);
    const save = async (questionId: string, value: unknown) => {
      const text = await bodyText({ questionId, value, baseRevision: CURRENT });
      const request = new Request(`http://localhost/assessments/${assessmentId}/answers`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: cookie }, body: text });
      return statusOf(() => saveAction({ request, params: { assessmentId }, context: {} }));
    };
    // open the follow-ups that take free text
    for (const [id, value] of [
      ["governance.statement", "voluntary_published"],
      ["risk.screened_entity_lists", "yes"],
      ["risk.screening_match", "yes"],
      ["mapping.has_mapped", "yes"],
      ["grievance.signs_found", "yes"],
      ["grievance.ilo_indicators_found", ["deception"]],
    ] as const) {
      const opened = await save(id, value);
      if (opened.status !== 200) throw new Error(`could not answer ${id}: ${JSON.stringify(opened)}`);
    }
    const control = fc.constantFrom("\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f");
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.tuple(fc.string({ maxLength: 20 }), control, fc.string({ maxLength: 20 })).map(([a, c, b]) => a + c + b),
    );
    const target = fc.oneof(
      fc.tuple(fc.constantFrom("governance.statement_url", "risk.screening_action", "grievance.details"), text),
      fc.tuple(fc.constant("mapping.entities"), fc.tuple(text, text).map(([name, products]) => [{ name, country: "GB", tier: "tier1", products }])),
    );
    let stored = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(target, async ([questionId, value]) => {
        const before = await snapshot();
        const { status, body: reply } = await save(questionId, value);
        expect(status, `${JSON.stringify(value)} -> ${JSON.stringify(reply)}`).toBeLessThan(500);
        const texts = typeof value === "string" ? [value] : value.flatMap((row) => [row.name, row.products]);
        const hasControl = texts.some((x) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(x.trim()));
        if (hasControl) {
          expect(status).toBe(400);
          expect(typeof (reply as { error?: unknown }).error).toBe("string"); // a field error: this one, or a missing field before it
        }
        if (status === 200) {
          stored++;
          const row = await t.db.selectFrom("answer").select("value").where("assessment_id", "=", assessmentId).where("question_id", "=", questionId).executeTakeFirst();
          if (row) expect(/[\u0000]/.test(row.value)).toBe(false);
        } else {
          refused++;
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect(stored).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
