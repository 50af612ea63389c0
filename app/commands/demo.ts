/**
 * The buyer side of the demo, played through the same services the pages use, so every row is one
 * the app itself could have written: the Department for Public Works risk-assesses part of its
 * register, invites the suppliers of its priority contracts (one invitation in each state), the
 * suppliers join, answer and submit, and results are shared with it and with Northshire Health
 * Services, with notes from both. Runs once, after the demo organisations and register are seeded.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "../../db/index";
import { DEMO_PASSWORD, plausibleAnswers } from "../../db/seed";
import { RISK_CHARACTERISTICS } from "../domain/prioritisation";
import { saveAnswers, startAssessment, submitAssessment } from "../services/assessments.server";
import type { CurrentUser } from "../services/auth.server";
import { setDb } from "../services/db.server";
import { saveRiskAssessment } from "../services/prioritisation.server";
import { currentQuestionnaire, questionnaireVersion } from "../services/questionnaires.server";
import { importSubmissions } from "../services/exchange.server";
import { applySkipLogic } from "../domain/visibility";
import { periodOf, previousPeriod } from "../domain/periods";
import { getReport, respondToRecommendation } from "../services/reports.server";
import { addNote } from "../services/results.server";
import { saveConversation, startConversation } from "../services/conversations.server";
import { shareAssessment } from "../services/shares.server";
import { linkAssessment } from "../services/supplier-invitation-answer.server";
import { invitationCode } from "../services/supplier-invitation-codes.server";
import { acceptForOrganisation, invitationByCode, joinAsNewSupplier } from "../services/supplier-invitation-join.server";
import { cancelInvitation, inviteSupplier } from "../services/supplier-invitation-send.server";

const DAY = 86_400_000;

/** The demo's supplier organisations that join through an invitation, and how far each gets. */
export const DEMO_INVITED_SUPPLIERS = [
  { name: "Northgate Cleaning Services Ltd", admin: "Ruth Okafor", email: "admin@northgate-cleaning.example", stage: "registered" },
  { name: "Oakfield Catering Ltd", admin: "Dev Patel", email: "admin@oakfield-catering.example", stage: "in_progress" },
  { name: "Kestrel Security Ltd", admin: "Hannah Lewis", email: "admin@kestrel-security.example", stage: "submitted" },
  { name: "Meridian Construction Ltd", admin: "Owen Hughes", email: "admin@meridian-construction.example", stage: "completed" },
] as const;

export async function actingAs(db: Db, email: string): Promise<CurrentUser> {
  const row = await db
    .selectFrom("user")
    .innerJoin("organisation", "organisation.id", "user.organisation_id")
    .select(["user.id", "user.name", "user.email", "user.role", "organisation.id as organisationId", "organisation.name as organisationName", "organisation.kind as organisationKind"])
    .where("user.email", "=", email)
    .executeTakeFirstOrThrow();
  return { ...row, sessionId: "" };
}

const codeOf = (invitationId: string) => invitationCode(invitationId);

export async function seedDemoBuyerSide(db: Db, origin: string, now = new Date()): Promise<void> {
  setDb(db);
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const department = await db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow();
  const manager = await actingAs(db, "manager@dpw.example");
  const nhsManager = await actingAs(db, "manager@nhs.example");

  // Risk-assess the 80 most valuable live contracts: the indicators Lantern suggests, confirmed, and
  // for some a workforce or supply-chain indicator the contract manager knows of.
  const contracts = await db
    .selectFrom("contract")
    .select(["id", "reference", "category"])
    .where("organisation_id", "=", department.id)
    .where("end_date", ">=", now.toISOString().slice(0, 10))
    .orderBy("annual_value_pence", "desc")
    .orderBy("reference")
    .limit(80)
    .execute();
  const priority: string[] = [];
  for (const [i, contract] of contracts.entries()) {
    const higherRisk = /cleaning|catering|security|construction|textiles|protective|logistics|facilities/i.test(contract.category);
    const present = new Set<string>();
    if (higherRisk) present.add("industry").add("workforce");
    if (higherRisk && i % 2 === 0) present.add("business_model");
    if (i % 3 === 0) present.add("strategic");
    if (/textiles|protective/i.test(contract.category)) present.add("commodity").add("location");
    const answers = Object.fromEntries(
      RISK_CHARACTERISTICS.map((c) => [c.id, { present: present.has(c.id) ? "yes" : "no", note: present.has(c.id) ? NOTES[c.id] ?? "" : "" }]),
    );
    const saved = await saveRiskAssessment(manager, contract.id, answers, ago(60 - (i % 50)));
    if (!saved.ok) throw new Error(`demo risk assessment of ${contract.reference}: ${JSON.stringify(saved.errors)}`);
    if (saved.priority) priority.push(contract.id);
  }
  if (priority.length < 9) throw new Error(`the demo needs 9 priority contracts, found ${priority.length}`);

  const invite = async (contractId: string, email: string, daysAgo: number) => {
    const outcome = await inviteSupplier(manager, contractId, { email, contactName: null }, origin, ago(daysAgo));
    if (!outcome.ok) throw new Error(`demo invitation to ${email}: ${JSON.stringify(outcome.errors)}`);
    return outcome.invitationId;
  };
  const nameContract = (contractId: string, supplierName: string) => db.updateTable("contract").set({ supplier_name: supplierName }).where("id", "=", contractId).execute();

  // Waiting for an answer: one recent, one idle long enough for a reminder; one expired, one cancelled.
  await nameContract(priority[0]!, "Summit Uniforms Ltd");
  await invite(priority[0]!, "contracts@summit-uniforms.example", 3);
  await nameContract(priority[1]!, "Granite Logistics Ltd");
  await invite(priority[1]!, "compliance@granite-logistics.example", 20);
  await nameContract(priority[2]!, "Willow Facilities Ltd");
  await invite(priority[2]!, "office@willow-facilities.example", 45);
  await nameContract(priority[3]!, "Crescent Supplies Ltd");
  const cancelled = await invite(priority[3]!, "sales@crescent-supplies.example", 25);
  const cancelledOutcome = await cancelInvitation(manager, cancelled, "The contract is being re-tendered; we will invite the new supplier.", ago(24));
  if (!cancelledOutcome.ok) throw new Error(`demo cancellation: ${cancelledOutcome.error}`);

  // Suppliers who joined, each a little further along.
  const qn = currentQuestionnaire();
  for (const [i, supplier] of DEMO_INVITED_SUPPLIERS.entries()) {
    const contractId = priority[4 + i]!;
    await nameContract(contractId, supplier.name);
    const invitedDaysAgo = 90 - i * 10;
    const invitationId = await invite(contractId, supplier.email, invitedDaysAgo);
    const joined = await joinAsNewSupplier(
      codeOf(invitationId),
      { organisationName: supplier.name, companyNumber: null, country: "GB", name: supplier.admin, email: supplier.email, password: DEMO_PASSWORD },
      ago(invitedDaysAgo - 2),
    );
    if (!joined.ok) throw new Error(`demo join of ${supplier.name}: ${JSON.stringify(joined.errors)}`);
    if (supplier.stage === "registered") continue;
    const admin = await actingAs(db, supplier.email);
    const linked = await linkAssessment(admin, invitationId, "new", ago(invitedDaysAgo - 3));
    if (!linked.ok) throw new Error(`demo link for ${supplier.name}: ${linked.error}`);
    const answers = plausibleAnswers(qn, 0.35 + i * 0.15);
    const chosen = supplier.stage === "in_progress" ? Object.entries(answers).slice(0, 12) : Object.entries(answers);
    const saved = await saveAnswers(admin, linked.assessmentId, chosen.map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), ago(invitedDaysAgo - 5));
    if (!saved.ok) throw new Error(`demo answers for ${supplier.name}: ${JSON.stringify(saved)}`);
    if (supplier.stage === "in_progress") continue;
    const submitted = await submitAssessment(admin, linked.assessmentId, ago(invitedDaysAgo - 20));
    if (!submitted.ok) throw new Error(`demo submission for ${supplier.name}: ${JSON.stringify(submitted)}`);
    if (supplier.stage === "completed") await respondToAll(admin, linked.assessmentId, ago(invitedDaysAgo - 25));
  }

  // Brightwear answered last year: it answers this department's invitation with that assessment,
  // shares it with Northshire Health Services too, and both buyers leave notes.
  const brightwear = await actingAs(db, "admin@brightwear.example");
  const brightwearAssessment = await db.selectFrom("assessment").select("id").where("organisation_id", "=", brightwear.organisationId).where("status", "!=", "draft").executeTakeFirstOrThrow();
  const brightwearContract = await db
    .selectFrom("contract")
    .select("id")
    .where("organisation_id", "=", department.id)
    .where("supplier_name", "=", brightwear.organisationName)
    .orderBy("annual_value_pence", "desc")
    .executeTakeFirstOrThrow();
  const brightwearInvitation = await invite(brightwearContract.id, brightwear.email, 40);
  const found = await invitationByCode(codeOf(brightwearInvitation));
  const accepted = await acceptForOrganisation(brightwear, found!, ago(38));
  if (!accepted.ok) throw new Error(`demo acceptance by Brightwear: ${accepted.message}`);
  const linked = await linkAssessment(brightwear, brightwearInvitation, brightwearAssessment.id, ago(38));
  if (!linked.ok) throw new Error(`demo link for Brightwear: ${linked.error}`);
  const nhs = await db.selectFrom("organisation").select("id").where("slug", "=", "northshire-health-services").executeTakeFirstOrThrow();
  const shared = await shareAssessment(brightwear, brightwearAssessment.id, nhs.id, ago(30));
  if (!shared.ok) throw new Error(`demo share with Northshire: ${JSON.stringify(shared.errors)}`);
  await note(manager, brightwearAssessment.id, "Follow-up call booked for next month: we will ask how the cotton spinners in Coimbatore are audited and whether workers there paid recruitment fees.", ago(28));
  await note(nhsManager, brightwearAssessment.id, "We buy scrubs from Brightwear too. Happy to join the follow-up call so the supplier hears one set of questions; we are most interested in the purchasing-practices review.", ago(26));

  // The call was held: the red flag discussed, two actions agreed, a review in three months (High risk).
  const heldOn = ago(5).toISOString().slice(0, 10);
  const parts = (iso: string) => ({ day: iso.slice(8, 10), month: iso.slice(5, 7), year: iso.slice(0, 4) });
  const dueIn = (days: number) => new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);
  const conversationId = await startConversation(manager, brightwearAssessment.id, ago(5));
  const held = await saveConversation(
    manager,
    conversationId,
    {
      heldOn: parts(heldOn),
      buyerAttendees: "Tom Rivers (contract manager)",
      supplierAttendees: "Priya Shah (sourcing director), Brightwear Textiles",
      notes: "Walked through the red flag on recruitment fees at the Coimbatore spinning mills. Brightwear will commission an independent audit with worker interviews; we will share our supplier code of conduct.",
      recommendationsDiscussed: [],
      verifications: {},
      actions: [
        { description: "Commission an independent audit, with worker interviews, of the two Coimbatore spinning mills", ownerSide: "supplier", ownerName: "Priya Shah", dueOn: parts(dueIn(10)), recommendationId: "" },
        { description: "Send Brightwear the department's supplier code of conduct", ownerSide: "buyer", ownerName: "Tom Rivers", dueOn: parts(dueIn(30)), recommendationId: "" },
      ],
      nextReviewOn: { day: "", month: "", year: "" },
    },
    true,
    ago(5),
  );
  if (!held.ok) throw new Error(`demo conversation with Brightwear: ${JSON.stringify(held)}`);

  // A priority contract whose supplier was never invited: Willow Group Ltd shares its results with
  // the department on its own (through the statistics history below), and the register links the
  // contract to it by company number.
  await nameContract(priority[8]!, DEMO_UNINVITED_SUPPLIER);

  await seedDemoStatistics(db, now);
}

/** The demo supplier that shares a High-risk result unprompted, holding a priority contract. */
export const DEMO_UNINVITED_SUPPLIER = "Willow Group Ltd";

const NOTES: Partial<Record<string, string>> = {
  industry: "A sector the guidance names as higher risk.",
  workforce: "Relies on agency and shift workers.",
  business_model: "Work is subcontracted at several sites.",
  strategic: "Hard to replace at short notice.",
  commodity: "Cotton and nitrile from high-risk regions.",
  location: "Manufacturing in countries with a high prevalence estimate.",
};

async function respondToAll(user: CurrentUser, assessmentId: string, at: Date) {
  const report = await getReport(user, assessmentId);
  const target = new Date(at.getTime() + 120 * DAY).toISOString().slice(0, 10);
  for (const [i, r] of report.result.recommendations.entries()) {
    const input = i % 4 === 3 ? { response: "in_progress", targetDate: "", reason: "" } : { response: "accepted", targetDate: target, reason: "" };
    const outcome = await respondToRecommendation(user, assessmentId, r.id, input, at);
    if (!outcome.ok) throw new Error(`demo response to ${r.id}: ${JSON.stringify(outcome.errors)}`);
  }
}

async function note(user: CurrentUser, assessmentId: string, body: string, at: Date) {
  const outcome = await addNote(user, assessmentId, body, at);
  if (!outcome.ok) throw new Error(`demo note: ${outcome.errors.body}`);
}

/** How many of the register's suppliers the demo gives a statistics history. */
export const DEMO_STATISTICS_SUPPLIERS = 36;

/**
 * A statistics history for the Department for Public Works: suppliers of its risk-assessed contracts
 * submitted assessments last financial year (some on MSAT 1.0) and most again this year, shared with
 * the department, read in through the exchange import like any other file. Their contracts gain the
 * suppliers' company numbers, so the dashboard's tier, category and priority filters have something
 * to filter.
 */
export async function seedDemoStatistics(db: Db, now = new Date()): Promise<number> {
  const department = await db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow();
  const taken = new Set(["Acme Facilities Ltd", "Brightwear Textiles Ltd", ...DEMO_INVITED_SUPPLIERS.map((s) => s.name)]);
  const contracts = await db
    .selectFrom("contract")
    .select(["id", "supplier_name"])
    .where("organisation_id", "=", department.id)
    .where("risk_assessed_at", "is not", null)
    .orderBy("annual_value_pence", "desc")
    .orderBy("reference")
    .execute();
  const named = [...new Set(contracts.map((c) => c.supplier_name))].filter((name) => !taken.has(name) && name !== DEMO_UNINVITED_SUPPLIER);
  const suppliers = [DEMO_UNINVITED_SUPPLIER, ...named].slice(0, DEMO_STATISTICS_SUPPLIERS);
  const numberOf = new Map(suppliers.map((name, i) => [name, String(61_000_000 + i * 7919)]));
  // The same supplier holds every contract of the register under its name: each gains its number.
  for (const [name, number] of numberOf) {
    await db.updateTable("contract").set({ supplier_company_number: number }).where("organisation_id", "=", department.id).where("supplier_name", "=", name).execute();
  }

  const thisYear = periodOf(now);
  const lastYear = previousPeriod(thisYear);
  const yearStart = (p: typeof thisYear) => new Date(p.start).getTime();
  const older = questionnaireVersion("msat", "1.0.0") ?? currentQuestionnaire();
  const newer = currentQuestionnaire();
  const lines: string[] = [];
  // A seeded generator (mulberry32), so every demo holds the same varied answers.
  let state = 20_262_027;
  const chance = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  suppliers.forEach((name, i) => {
    const supplier = { name, companyNumber: numberOf.get(name), country: "GB" };
    const line = (qn: typeof newer, at: number, strength: number) =>
      JSON.stringify({
        supplier,
        sharedWith: ["department-for-public-works"],
        questionnaire: qn.id,
        version: qn.version,
        submittedAt: new Date(at).toISOString(),
        answers: applySkipLogic(qn, plausibleAnswers(qn, strength, chance)).answers,
      });
    // Last year: spread over the year, a third on the earlier questionnaire version.
    const last = yearStart(lastYear) + ((i * 9 + 20) % 340) * DAY + 10 * 3_600_000;
    lines.push(line(i % 3 === 0 ? older : newer, last, 0.25 + (i % 9) * 0.07));
    // This year: most again, a little better, somewhere between the year's start and now.
    const sinceStart = now.getTime() - yearStart(thisYear);
    // Willow Group Ltd (the first) answers weakly: a High-risk result with a red flag.
    const strength = name === DEMO_UNINVITED_SUPPLIER ? 0.1 : 0.35 + (i % 9) * 0.07;
    if (i % 6 !== 5 && sinceStart > DAY) lines.push(line(newer, yearStart(thisYear) + Math.floor((sinceStart - DAY) * ((i * 37) % 100) / 100) + 9 * 3_600_000, strength));
  });
  const dir = mkdtempSync(join(tmpdir(), "lantern-demo-"));
  try {
    const file = join(dir, "demo-submissions.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const outcome = await importSubmissions(db, file, now);
    if (!outcome.ok) throw new Error(`demo statistics import: ${outcome.problems.slice(0, 5).map((p) => p.message).join("; ")}`);
    return outcome.imported;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
