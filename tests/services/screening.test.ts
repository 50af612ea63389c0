/**
 * Import-ban screening of named sub-suppliers through the services: matches found whatever the
 * spelling, the supplier's decision on each kept with a reason, bad decisions refused with nothing
 * changed, and the summary the risk model reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAnswers, startAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { assessmentScreening, decideMatch } from "../../app/services/screening.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let other: CurrentUser;
let assessmentId: string;

beforeAll(async () => {
  t = await createTestDb(NOW);
  admin = await userFor(t.db, "admin@acme.example");
  other = await userFor(t.db, "admin@brightwear.example");
  assessmentId = await startAssessment(admin, NOW);
  const saved = await saveAnswers(
    admin,
    assessmentId,
    [
      { questionId: "mapping.has_mapped", value: "yes", baseRevision: 0 },
      {
        questionId: "mapping.entities",
        value: [
          { name: "HOSHINE SILICON INDUSTRY CO., LIMITED", country: "CN", tier: "tier2", products: "silicon metal" },
          { name: "Top-Glove Corp. Bhd.", country: "MY", tier: "tier1", products: "nitrile gloves" },
          { name: "Northern Linen Services Ltd", country: "GB", tier: "tier1", products: "laundry" },
        ],
        baseRevision: 0,
      },
    ],
    NOW,
  );
  expect(saved).toMatchObject({ ok: true });
});
afterAll(async () => t?.close());

describe("screening named sub-suppliers", () => {
  it("finds the listed companies however they were spelled, and only those", async () => {
    const { screening } = await assessmentScreening(admin, assessmentId);
    expect(screening.screened).toBe(3);
    expect(screening.matches.map((m) => [m.entity.name, m.ban.entity, m.ban.status, m.decision])).toEqual([
      ["HOSHINE SILICON INDUSTRY CO., LIMITED", "Hoshine Silicon Industry Co. Ltd and subsidiaries", "active", null],
      ["Top-Glove Corp. Bhd.", "Top Glove Corporation Bhd", "inactive", null],
    ]);
    expect(screening.summary).toEqual({ unresolved_active: true, confirmed_active: false, resolved_inactive: false, any_match: true });
  });

  it("refuses a decision without a choice or a reason, or with control characters, and changes nothing", async () => {
    const { screening } = await assessmentScreening(admin, assessmentId);
    const hoshine = screening.matches[0]!;
    const base = { entityKey: hoshine.entity.key, banId: hoshine.ban.id };
    expect(await decideMatch(admin, assessmentId, { ...base, decision: "maybe", reason: "x" }, NOW)).toMatchObject({ ok: false, errors: { decision: "Select whether this is the listed company" } });
    expect(await decideMatch(admin, assessmentId, { ...base, decision: "dismissed", reason: "  " }, NOW)).toMatchObject({ ok: false, errors: { reason: "Enter how you know it is a different company" } });
    expect(await decideMatch(admin, assessmentId, { ...base, decision: "confirmed", reason: "a\u0000b" }, NOW)).toMatchObject({ ok: false, errors: { reason: expect.stringMatching(/control characters/) } });
    await expect(decideMatch(admin, assessmentId, { entityKey: "made up|CN", banId: hoshine.ban.id, decision: "dismissed", reason: "x" }, NOW)).rejects.toMatchObject({ init: { status: 400 } });
    await expect(decideMatch(other, assessmentId, { ...base, decision: "dismissed", reason: "x" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    expect(await t.db.selectFrom("screening_decision").selectAll().execute()).toEqual([]);
  });

  it("keeps each decision with its reason, in the audit log too; the summary follows", async () => {
    let { screening } = await assessmentScreening(admin, assessmentId);
    const [hoshine, topGlove] = screening.matches;
    expect(await decideMatch(admin, assessmentId, { entityKey: hoshine!.entity.key, banId: hoshine!.ban.id, decision: "confirmed", reason: "Our tier-2 silicon smelter; we are engaging with it on remediation" }, NOW)).toEqual({ ok: true });
    expect(await decideMatch(admin, assessmentId, { entityKey: topGlove!.entity.key, banId: topGlove!.ban.id, decision: "dismissed", reason: "Different company: our supplier is registered under another number" }, NOW)).toEqual({ ok: true });
    ({ screening } = await assessmentScreening(admin, assessmentId));
    expect(screening.matches.map((m) => m.decision?.decision)).toEqual(["confirmed", "dismissed"]);
    expect(screening.matches[0]!.decision).toMatchObject({ reason: "Our tier-2 silicon smelter; we are engaging with it on remediation", decidedBy: admin.name });
    expect(screening.summary).toEqual({ unresolved_active: false, confirmed_active: true, resolved_inactive: false, any_match: true });
    // changing one's mind replaces the decision
    expect(await decideMatch(admin, assessmentId, { entityKey: hoshine!.entity.key, banId: hoshine!.ban.id, decision: "dismissed", reason: "Checked the registration: a different Hoshine" }, NOW)).toEqual({ ok: true });
    expect(await t.db.selectFrom("screening_decision").select("decision").execute()).toHaveLength(2);
    const log = await t.db.selectFrom("audit_log").select(["action", "old_value", "new_value"]).where("entity", "=", "screening").orderBy("id").execute();
    expect(log.map((l) => l.action)).toEqual(["match_decided", "match_decided", "match_decided"]);
    expect(JSON.parse(log[2]!.old_value!)).toEqual({ decision: "confirmed", reason: "Our tier-2 silicon smelter; we are engaging with it on remediation" });
  });

  it("a name removed from the answers takes its matches with it", async () => {
    await saveAnswers(admin, assessmentId, [{ questionId: "mapping.entities", value: [{ name: "Northern Linen Services Ltd", country: "GB", tier: "tier1", products: "laundry" }], baseRevision: 1 }], NOW);
    const { screening } = await assessmentScreening(admin, assessmentId);
    expect(screening.matches).toEqual([]);
    expect(screening.summary.any_match).toBe(false);
  });

  it("finds other names, Chinese script, divisions of a listed body and a Hong Kong address, each with its reasons", async () => {
    const saved = await saveAnswers(
      admin,
      assessmentId,
      [
        {
          questionId: "mapping.entities",
          value: [
            { name: "Bingtuan (XPCC) 1st Division", country: "CN", tier: "tier3_plus", products: "cotton" },
            { name: "新疆生产建设兵团第一师", country: "CN", tier: "tier3_plus", products: "cotton" },
            { name: "Hoshine Silicon Industry Co., Ltd.", country: "HK", tier: "tier2", products: "silicon metal" },
            { name: "Hoshine Logistics UK", country: "GB", tier: "tier1", products: "freight" },
            { name: "Xinjiang Tourism Board", country: "CN", tier: "tier1", products: "travel" },
          ],
          baseRevision: 2,
        },
      ],
      NOW,
    );
    expect(saved).toMatchObject({ ok: true });
    const { screening } = await assessmentScreening(admin, assessmentId);
    const found = (name: string) => screening.matches.filter((m) => m.entity.name === name).map((m) => [m.ban.source, m.strength, m.reasons?.map((r) => r.code)]);
    expect(found("Bingtuan (XPCC) 1st Division")).toEqual([["US CBP WRO", "possible", ["alias", "subordinate"]]]);
    expect(found("新疆生产建设兵团第一师")).toEqual([["US CBP WRO", "possible", ["chinese_script", "subordinate"]]]);
    expect(found("Hoshine Silicon Industry Co., Ltd.")).toEqual([["US CBP WRO", "possible", ["related_jurisdiction"]]]);
    expect(found("Hoshine Logistics UK")).toEqual([]);
    expect(found("Xinjiang Tourism Board")).toEqual([]);
    expect(screening.summary.unresolved_active).toBe(true);
  });
});
