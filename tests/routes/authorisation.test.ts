/**
 * Authorisation, generated from the site map: every loader and action of every route in
 * app/routes.ts is called with ids of ORGANISATION A's data by someone who is not in organisation A:
 * nobody (anonymous), every demo buyer user, and a supplier admin and contributor of Brightwear.
 * Organisation A is a supplier (Acme Facilities Ltd: a draft, a submitted assessment, a theme, a
 * colleague's invitation token) and the department it works for (the Ministry of Fixtures: a
 * contract, an invitation to Acme for it, Acme's submitted assessment shared with it, a note).
 *
 * - anonymous must be sent to /sign-in; a signed-in outsider must get 403 or 404;
 * - a few routes are public by design (PUBLIC) and pages about the caller's own organisation
 *   (OWN_DATA) are open to their audience: those must show nothing of organisation A;
 * - nothing in the database may change.
 * A new route that is in neither list is expected to refuse every outsider, so a route added
 * without a check fails here; a route with a new `:param` fails until the fixtures give it a value.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { DEMO_ORGANISATIONS, DEMO_USERS, plausibleAnswers } from "../../db/seed";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { inviteColleague } from "../../app/services/invitations.server";
import { addNote } from "../../app/services/results.server";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { linkAssessment } from "../../app/services/supplier-invitation-answer.server";
import { invitationCode } from "../../app/services/supplier-invitation-codes.server";
import { acceptForOrganisation, invitationByCode } from "../../app/services/supplier-invitation-join.server";
import { inviteSupplier } from "../../app/services/supplier-invitation-send.server";
import { formatCode } from "../../app/domain/supplier-invitations";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { fieldKey } from "../../app/domain/page-visibility";
import { createTestDb, type TestDb } from "../setup/db";
import { signedInCookie, userFor } from "../setup/requests";
import { type Outcome, type RouteEntry, type RouteModule, fillPath, listRoutes, loadRouteModule, paramNames, probe } from "../setup/route-list";

type Method = "loader" | "action";
type Caller = { label: string; email?: string; kind?: "buyer" | "supplier"; role?: string };

const ORG_A = "acme";
const orgOf = (key: string) => DEMO_ORGANISATIONS.find((o) => o.key === key)!;

/** Everyone who is not in organisation A: nobody, every buyer user, and both roles of the other supplier. */
const EXTRA_CONTRIBUTOR = { org: "brightwear", email: "contributor@brightwear.example", name: "Ola Brightwear", role: "contributor" as const };
const OUTSIDER_USERS = [...DEMO_USERS.filter((u) => u.org !== ORG_A), ...(DEMO_USERS.some((u) => u.email === EXTRA_CONTRIBUTOR.email) ? [] : [EXTRA_CONTRIBUTOR])];
const CALLERS: Caller[] = [
  { label: "anonymous" },
  ...OUTSIDER_USERS.map((u) => ({ label: `${u.role} of ${orgOf(u.org).name} (${u.email})`, email: u.email, kind: orgOf(u.org).kind, role: u.role })),
];

/** Open to anyone by design, keyed `file#method`: checked only for leaking organisation A's data. */
export const PUBLIC: Record<string, string> = {
  "routes/home.tsx#loader": "the landing page: shows no data and sends a signed-in user to their own start page",
  "routes/sign-in.tsx#loader": "the sign-in form must be reachable before signing in",
  "routes/sign-in.tsx#action": "signing in is how a session starts; the password is the check",
  "routes/sign-out.tsx#loader": "only redirects to /",
  "routes/sign-out.tsx#action": "ends only the caller's own session(s) (organisation A's sessions are checked to survive)",
  "routes/healthz.ts#loader": "liveness check for load balancers: answers ok/unreachable, nothing else",
  "routes/not-found.tsx#loader": "the 404 page for unknown addresses",
  "routes/invitation.tsx#loader": "addressed by a secret one-time token: its holder may see whom it invites and to which organisation",
  "routes/invitation.tsx#action": "accepting is authorised by the secret token (tried here with a guessed token, which must reveal nothing)",
  "routes/assessment-answers.ts#loader": "answers 405 'Send answers with POST' to everyone; reads nothing",
  "routes/join.tsx#loader": "addressed by a secret invitation code: its holder may see which buyer invites them, for which contract",
  "routes/join.tsx#action": "joining is authorised by the secret code (tried here with a guessed code, which must reveal nothing)",
};

/**
 * Pages without ids, about the caller's own organisation: open to their audience (whose responses
 * must hold nothing of organisation A), refused to everyone else. Their actions act on the
 * caller's own organisation, so they are not run for the audience (they would change the database).
 */
export const OWN_DATA: Record<string, { reason: string; audience: (c: Caller) => boolean }> = {
  "routes/account.tsx": { reason: "shows the caller's own account; its action saves only the caller's own email choices", audience: (c) => c.email !== undefined },
  "routes/supplier.tsx": { reason: "lists the caller's own organisation's assessments", audience: (c) => c.kind === "supplier" },
  "routes/supplier-colleagues.tsx": { reason: "the caller's own colleagues and invitations", audience: (c) => c.kind === "supplier" && c.role === "admin" },
  "routes/buyer.tsx": { reason: "the buyer's own overview", audience: (c) => c.kind === "buyer" },
  "routes/contracts.tsx": { reason: "the buyer's own contract register", audience: (c) => c.kind === "buyer" },
  "routes/contracts-import.tsx": { reason: "imports into the buyer's own register (administrators)", audience: (c) => c.kind === "buyer" && c.role === "admin" },
  "routes/contracts-template.ts": { reason: "the register's column layout, no data", audience: (c) => c.kind === "buyer" },
  "routes/contracts-export.ts": { reason: "downloads the buyer's own register", audience: (c) => c.kind === "buyer" },
  "routes/contract-new.tsx": { reason: "adds to the buyer's own register (administrators)", audience: (c) => c.kind === "buyer" && c.role === "admin" },
  "routes/settings.tsx": { reason: "the department's own thresholds (administrators)", audience: (c) => c.kind === "buyer" && c.role === "admin" },
  "routes/supplier-invitations.tsx": { reason: "the buyer's own invitations to suppliers and their funnel", audience: (c) => c.kind === "buyer" },
  "routes/results.tsx": { reason: "assessments shared with the buyer's own organisation", audience: (c) => c.kind === "buyer" },
  "routes/outbox.tsx": { reason: "email sent for the caller's own organisation (administrators)", audience: (c) => c.role === "admin" },
  "routes/queue.tsx": { reason: "the buyer's own work queue", audience: (c) => c.kind === "buyer" },
  "routes/actions.tsx": { reason: "the buyer's own agreed actions (the tracker)", audience: (c) => c.kind === "buyer" },
  "routes/actions-export.ts": { reason: "downloads the buyer's own agreed actions", audience: (c) => c.kind === "buyer" },
  "routes/supplier-actions.tsx": { reason: "actions agreed with the caller's own organisation", audience: (c) => c.kind === "supplier" },
  "routes/statistics.tsx": { reason: "the department's own statement statistics (administrators and analysts)", audience: (c) => c.kind === "buyer" && (c.role === "admin" || c.role === "analyst") },
  "routes/statistics-export.ts": { reason: "downloads the department's own statement statistics (administrators and analysts)", audience: (c) => c.kind === "buyer" && (c.role === "admin" || c.role === "analyst") },
  "routes/statistics-goals.tsx": { reason: "the department's own programme goals (administrators change, analysts read)", audience: (c) => c.kind === "buyer" && (c.role === "admin" || c.role === "analyst") },
  "routes/supplier-join.tsx": { reason: "accepts an invitation code into the caller's own organisation (administrators)", audience: (c) => c.kind === "supplier" && c.role === "admin" },
};

export type Policy = "refuse" | "public" | "own";

export function policyFor(route: RouteEntry, method: Method, caller: Caller): Policy {
  if (PUBLIC[`${route.file}#${method}`]) return "public";
  const own = OWN_DATA[route.file];
  if (own && paramNames(route.path).length === 0 && own.audience(caller)) return "own";
  return "refuse";
}

/** Organisation A's buyer side: a department made for this test, unknown to the demo data. */
const MINISTRY = {
  name: "Ministry of Fixtures",
  users: [
    { email: "admin@fixtures.example", name: "Ada Fixture", role: "admin" as const },
    { email: "manager@fixtures.example", name: "Max Fixture", role: "contract_manager" as const },
    { email: "analyst@fixtures.example", name: "Ana Fixture", role: "analyst" as const },
  ],
  note: "Fixture note: the Ministry's follow-up call is booked.",
};

// ---- fixtures: organisation A's data, filled in beforeAll -------------------------------------

const fx = {
  draftId: "",
  submittedId: "",
  themeId: "",
  token: "",
  recommendationId: "",
  invitedEmail: "new.colleague@acme-facilities.example",
  /** The Ministry of Fixtures' contract whose invitation Acme answered with its submitted assessment. */
  contractId: "",
  supplierInvitationId: "",
  /** A code of an invitation not yet accepted: its holder may see the Ministry's name and the contract's title. */
  code: "",
  codeMarkers: [] as string[],
  /** The Ministry's finished follow-up conversation with Acme, and the action agreed in it. */
  conversationId: "",
  actionId: "",
  /** Strings that belong to organisation A and must not reach an outsider. */
  markers: [] as string[],
};

/**
 * Each assessment page is tried on both of organisation A's assessments, the draft and the
 * submitted one: a status check that ran before the ownership check would show up as a redirect.
 */
type Variant = "draft" | "submitted" | undefined;
const variantsOf = (route: RouteEntry): Variant[] => (paramNames(route.path).includes("assessmentId") ? ["draft", "submitted"] : [undefined]);

/** Values for route params, per route and method: ids that belong to organisation A. */
function paramValues(route: RouteEntry, method: Method, variant: Variant = "draft"): Record<string, string> {
  return {
    assessmentId: variant === "submitted" ? fx.submittedId : fx.draftId,
    themeId: fx.themeId,
    // The loader is shown the real link (public by design); accepting is tried with a guessed token.
    token: method === "loader" ? fx.token : "guessed-Token-0123456789abcdefghij",
    contractId: fx.contractId,
    invitationId: fx.supplierInvitationId,
    code: method === "loader" ? fx.code : "K7QM-2XPD-9WTR",
    conversationId: fx.conversationId,
    actionId: fx.actionId,
  };
}

/** The move an outsider tries on an agreed action's page (each is tried in turn below). */
let actionMove = "awaiting_confirmation";

/** A valid-looking body for each action; anything not listed gets a small form. */
function actionBody(route: RouteEntry): { json: unknown } | { form: Array<[string, string]> } {
  const qn = currentQuestionnaire();
  switch (route.file) {
    case "routes/action.tsx":
      return { form: [["intent", "update"], ["status", actionMove], [`note-${actionMove}`, "An outsider's note on the action."]] };
    case "routes/assessment-answers.ts":
      return { json: { questionId: qn.themes[0]!.questions[0]!.id, value: "yes", baseRevision: 0 } };
    case "routes/assessment-theme.tsx": {
      const theme = qn.themes.find((t) => t.id === fx.themeId)!;
      return { form: [["intent", "save"], ...theme.questions.flatMap((q): Array<[string, string]> => [[fieldKey(q.id), "yes"], [`rev:${fieldKey(q.id)}`, "0"]])] };
    }
    case "routes/assessment-screening.tsx":
      return { form: [["entityKey", "0"], ["banId", "1"], ["decision", "dismissed"], ["reason", "A different company in another town."]] };
    case "routes/assessment-responses.tsx":
      return { form: [[`${fx.recommendationId}-response`, "accepted"], [`${fx.recommendationId}-targetDate-day`, "1"], [`${fx.recommendationId}-targetDate-month`, "3"], [`${fx.recommendationId}-targetDate-year`, "2027"]] };
    case "routes/supplier-colleagues.tsx":
      return { form: [["email", "someone.else@acme-facilities.example"]] };
    case "routes/sign-in.tsx":
      return { form: [["email", "nobody@elsewhere.example"], ["password", "not-the-password-1"], ["redirectTo", `/assessments/${fx.submittedId}/report`]] };
    case "routes/sign-out.tsx":
      return { form: [["scope", "everywhere"]] };
    case "routes/invitation.tsx":
      return { form: [["name", "Mallory Outsider"], ["password", "a-long-enough-password"]] };
    default:
      return { form: [["intent", "save"]] };
  }
}

function buildRequest(url: string, method: Method, route: RouteEntry, cookie: string | undefined): Request {
  const headers = new Headers();
  if (cookie) headers.set("Cookie", cookie);
  if (method === "loader") return new Request(`http://localhost${url}`, { headers });
  const body = actionBody(route);
  if ("json" in body) {
    headers.set("Content-Type", "application/json");
    return new Request(`http://localhost${url}`, { method: "POST", headers, body: JSON.stringify(body.json) });
  }
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`http://localhost${url}`, { method: "POST", headers, body: new URLSearchParams(body.form) });
}

// ---- the checker -----------------------------------------------------------------------------

function leaks(outcome: Outcome, allowed: string[] = []): string[] {
  return fx.markers.filter((m) => !allowed.includes(m) && outcome.body.includes(m)).map((m) => `response holds organisation A's "${m}"`);
}

/** What is wrong with this outcome for this caller under this policy ([] = fine). */
export function problemsWith(outcome: Outcome, caller: Caller, policy: Policy, allowed: string[] = []): string[] {
  const problems = leaks(outcome, allowed);
  if (outcome.status >= 500) problems.push(`server error ${outcome.status}: ${outcome.body.slice(0, 200)}`);
  if (policy !== "refuse") return problems;
  if (!caller.email) {
    if (!(outcome.status === 302 && outcome.location?.startsWith("/sign-in"))) {
      problems.push(`anonymous was not sent to /sign-in: ${outcome.how} ${outcome.status}${outcome.location ? ` -> ${outcome.location}` : ""} ${outcome.body.slice(0, 120)}`);
    }
  } else if (outcome.status !== 403 && outcome.status !== 404) {
    problems.push(`outsider was not refused with 403/404: ${outcome.how} ${outcome.status}${outcome.location ? ` -> ${outcome.location}` : ""} ${outcome.body.slice(0, 120)}`);
  }
  return problems;
}

let t: TestDb;

/** Call one route module's loader/action as the caller and report what is wrong. */
export async function checkRoute(module: RouteModule, method: Method, route: RouteEntry, caller: Caller, variant?: Variant): Promise<string[]> {
  const { url, params } = fillPath(route.path, paramValues(route, method, variant));
  // A fresh session per call: signing out (or out everywhere) must not disturb the next case.
  const cookie = caller.email ? await signedInCookie(t.db, caller.email) : undefined;
  const outcome = await probe(module, method, buildRequest(url, method, route, cookie), params);
  // Whoever holds an invitation link may see the invited address and the organisation's name.
  const allowed =
    route.file === "routes/invitation.tsx" && method === "loader" ? [fx.invitedEmail, orgOf(ORG_A).name] : route.file === "routes/join.tsx" && method === "loader" ? fx.codeMarkers : [];
  return problemsWith(outcome, caller, policyFor(route, method, caller), allowed);
}

// ---- the database must not change ------------------------------------------------------------

/** Tables every call may change: sessions (each case signs in) and failed sign-in counters. */
const VOLATILE = new Set(["session", "throttle", "kysely_migration", "kysely_migration_lock"]);

async function snapshot(): Promise<Record<string, string>> {
  // PostgreSQL lists every test schema's tables: the names are what matter (queries use our schema).
  const tables = [...new Set((await t.db.introspection.getTables()).map((x) => x.name))].filter((n) => !VOLATILE.has(n)).sort();
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await t.db.selectFrom(table as "answer").selectAll().execute()) as Array<Record<string, unknown>>;
    const lines = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k] instanceof Date ? (r[k] as Date).toISOString() : r[k]]), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).sort();
    out[table] = `${rows.length} rows ${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
  }
  // Organisation A's own sessions must survive everything an outsider does (sign-out included).
  const acmeSessions = await t.db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .innerJoin("organisation", "organisation.id", "user.organisation_id")
    .select("session.id")
    .where("organisation.name", "=", orgOf(ORG_A).name)
    .execute();
  out["session (organisation A's)"] = acmeSessions.map((s) => s.id).sort().join(",");
  return out;
}

let before: Record<string, string>;

beforeAll(async () => {
  t = await createTestDb();
  const brightwear = await t.db.selectFrom("organisation").select("id").where("name", "=", orgOf("brightwear").name).executeTakeFirstOrThrow();
  const hash = await t.db.selectFrom("user").select("password_hash").where("email", "=", "admin@brightwear.example").executeTakeFirstOrThrow();
  if (!DEMO_USERS.some((u) => u.email === EXTRA_CONTRIBUTOR.email)) {
    await t.db
      .insertInto("user")
      .values({ id: newId(), organisation_id: brightwear.id, email: EXTRA_CONTRIBUTOR.email, name: EXTRA_CONTRIBUTOR.name, role: "contributor", password_hash: hash.password_hash, created_at: new Date().toISOString() })
      .execute();
  }

  const admin: CurrentUser = await userFor(t.db, "admin@acme.example");
  const qn = currentQuestionnaire();
  fx.themeId = qn.themes[0]!.id;
  fx.submittedId = await startAssessment(admin);
  const answers = plausibleAnswers(qn, 0.4);
  const saved = await saveAnswers(admin, fx.submittedId, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })));
  expect(saved).toMatchObject({ ok: true });
  const submitted = await submitAssessment(admin, fx.submittedId);
  expect(submitted).toMatchObject({ ok: true });
  const submission = await t.db.selectFrom("submission").select(["id", "result"]).where("assessment_id", "=", fx.submittedId).executeTakeFirstOrThrow();
  fx.recommendationId = (JSON.parse(submission.result) as { recommendations: Array<{ id: string }> }).recommendations[0]?.id ?? "none";
  fx.draftId = await startAssessment(admin);
  expect(fx.draftId).not.toBe(fx.submittedId);

  const invited = await inviteColleague(admin, fx.invitedEmail, "http://localhost");
  expect(invited).toMatchObject({ ok: true });
  const mail = await t.db.selectFrom("email_outbox").select("body").where("recipient", "=", fx.invitedEmail).executeTakeFirstOrThrow();
  fx.token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;

  // The department Acme works for: its contracts, an invitation answered with Acme's submitted
  // assessment (so shared with it), another still open, and a note on the shared assessment.
  const ministryId = newId();
  const at = new Date().toISOString();
  await t.db.insertInto("organisation").values({ id: ministryId, name: MINISTRY.name, kind: "buyer", slug: "ministry-of-fixtures", company_number: null, country: null, created_at: at }).execute();
  for (const u of MINISTRY.users) {
    await t.db.insertInto("user").values({ id: newId(), organisation_id: ministryId, email: u.email, name: u.name, role: u.role, password_hash: hash.password_hash, created_at: at }).execute();
  }
  const contract = (reference: string, title: string) => ({
    id: newId(), organisation_id: ministryId, reference, title, supplier_name: "Acme Facilities Ltd", supplier_company_number: null, supplier_country: "GB", supplier_organisation_id: null,
    category: "Cleaning", annual_value_pence: 250_000_000, total_value_pence: 750_000_000, start_date: "2026-04-01", end_date: "2029-03-31", contract_manager_email: "manager@fixtures.example",
    tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: at, updated_at: at,
  });
  const answered = contract("MOF-SECRET-0001", "Cleaning of the Ministry's fixture warehouses");
  const open = contract("MOF-SECRET-0002", "Window cleaning at the Ministry's fixture depot");
  await t.db.insertInto("contract").values([answered, open]).execute();
  fx.contractId = answered.id;
  const ministryManager = await userFor(t.db, "manager@fixtures.example");
  const first = await inviteSupplier(ministryManager, answered.id, { email: "admin@acme.example", contactName: null }, "http://localhost");
  if (!first.ok) throw new Error(JSON.stringify(first.errors));
  fx.supplierInvitationId = first.invitationId;
  const accepted = await acceptForOrganisation(admin, (await invitationByCode(invitationCode(first.invitationId)))!);
  expect(accepted).toMatchObject({ ok: true });
  expect(await linkAssessment(admin, first.invitationId, fx.submittedId)).toMatchObject({ ok: true });
  const note = await addNote(ministryManager, fx.submittedId, MINISTRY.note);
  expect(note).toMatchObject({ ok: true });
  fx.conversationId = await startConversation(ministryManager, fx.submittedId);
  const conversation = await saveConversation(
    ministryManager,
    fx.conversationId,
    {
      heldOn: { day: "1", month: "6", year: "2026" },
      buyerAttendees: "Max Fixture",
      supplierAttendees: "Fixture supplier attendee",
      notes: "Fixture conversation notes",
      recommendationsDiscussed: [],
      verifications: {},
      actions: [{ description: "Fixture action: send the audit plan", ownerSide: "supplier", ownerName: "Fixture Owner Name", dueOn: { day: "1", month: "7", year: "2026" }, recommendationId: "" }],
      nextReviewOn: { day: "", month: "", year: "" },
    },
    true,
  );
  expect(conversation).toMatchObject({ ok: true });
  fx.actionId = (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", fx.conversationId).executeTakeFirstOrThrow()).id;
  const second = await inviteSupplier(ministryManager, open.id, { email: "owner@fixture-cleaners.example", contactName: "Fixture Owner" }, "http://localhost");
  if (!second.ok) throw new Error(JSON.stringify(second.errors));
  fx.code = formatCode(invitationCode(second.invitationId));
  fx.codeMarkers = [MINISTRY.name, open.reference, open.title, "owner@fixture-cleaners.example", "Fixture Owner"];

  const acme = await t.db.selectFrom("organisation").select("id").where("name", "=", orgOf(ORG_A).name).executeTakeFirstOrThrow();
  const insiders = await t.db.selectFrom("user").select(["id", "email", "name"]).where("organisation_id", "in", [acme.id, ministryId]).execute();
  fx.markers = [
    orgOf(ORG_A).name, acme.id, ...insiders.flatMap((u) => [u.id, u.email, u.name]), fx.draftId, fx.submittedId, submission.id, fx.invitedEmail, fx.token,
    MINISTRY.name, ministryId, answered.id, answered.reference, answered.title, open.id, open.reference, open.title, first.invitationId, second.invitationId, fx.code, MINISTRY.note,
    fx.conversationId, fx.actionId, "Fixture action: send the audit plan", "Fixture conversation notes", "Fixture Owner Name",
  ];
  before = await snapshot();
});
afterAll(async () => t?.close());

// ---- the generated cases ---------------------------------------------------------------------

const ROUTES = listRoutes();
const MODULES = new Map(await Promise.all(ROUTES.map(async (r) => [r.file, await loadRouteModule(r.file)] as const)));

type Case = { name: string; route: RouteEntry; method: Method; caller: Caller; variant: Variant };

function casesFor(route: RouteEntry): Case[] {
  const module = MODULES.get(route.file)!;
  const cases: Case[] = [];
  for (const method of ["loader", "action"] as const) {
    if (typeof module[method] !== "function") continue;
    for (const variant of variantsOf(route)) for (const caller of CALLERS) {
      const policy = policyFor(route, method, caller);
      // An own-organisation action by its audience acts on the caller's own data: not an outsider's call.
      if (policy === "own" && method === "action") continue;
      const expect = policy === "public" ? "public: no data of organisation A" : policy === "own" ? "own page: no data of organisation A" : caller.email ? "403/404" : "redirect to /sign-in";
      const on = variant ? ` on the ${variant} assessment` : "";
      cases.push({ name: `${method === "loader" ? "GET" : "POST"} ${route.path}${on} as ${caller.label}: ${expect}`, route, method, caller, variant });
    }
  }
  return cases;
}

for (const route of ROUTES) {
  describe(`${route.path} (${route.file})`, () => {
    const cases = casesFor(route);
    it.each(cases)("$name", async ({ route, method, caller, variant }) => {
      const problems = await checkRoute(MODULES.get(route.file)!, method, route, caller, variant);
      expect(problems).toEqual([]);
      if (method === "action") expect(await snapshot()).toEqual(before);
    });
  });
}

describe("every move on an agreed action's page, as every outsider", () => {
  const route = ROUTES.find((r) => r.file === "routes/action.tsx")!;
  const cases = ["open", "in_progress", "awaiting_confirmation", "done", "cancelled"].flatMap((move) => CALLERS.map((caller) => ({ move, caller, name: `POST ${route.path} moving it to ${move} as ${caller.label}` })));
  it.each(cases)("$name: refused, nothing changed", async ({ move, caller }) => {
    actionMove = move;
    try {
      expect(await checkRoute(MODULES.get(route.file)!, "action", route, caller)).toEqual([]);
    } finally {
      actionMove = "awaiting_confirmation";
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("the checks themselves", () => {
  const fakeRoute: RouteEntry = { path: "/assessments/:assessmentId/leaky", file: "routes/leaky.tsx" };
  const leaky: RouteModule = {
    loader: async () => ({ organisationName: orgOf(ORG_A).name, assessment: fx.draftId }),
    action: async () => ({ ok: true }),
  };

  it.each(CALLERS)("report a loader that returns data without checking, as $label", async (caller) => {
    expect(policyFor(fakeRoute, "loader", caller)).toBe("refuse");
    const problems = await checkRoute(leaky, "loader", fakeRoute, caller);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toContain(orgOf(ORG_A).name);
  });

  it("report an action that answers outsiders without leaking anything, because it did not refuse", async () => {
    const anonymous = await checkRoute(leaky, "action", fakeRoute, CALLERS[0]!);
    expect(anonymous).toEqual([expect.stringContaining("anonymous was not sent to /sign-in")]);
    const buyer = await checkRoute(leaky, "action", fakeRoute, CALLERS.find((c) => c.kind === "buyer")!);
    expect(buyer).toEqual([expect.stringContaining("outsider was not refused")]);
  });

  it("a new page without ids is expected to refuse outsiders unless it is listed", () => {
    for (const caller of CALLERS) expect(policyFor({ path: "/reports", file: "routes/reports.tsx" }, "loader", caller)).toBe("refuse");
  });

  it("a route with a param the fixtures do not know fails", () => {
    expect(() => fillPath("/contracts/:contractId/parts/:partId", paramValues({ path: "/contracts/:contractId/parts/:partId", file: "routes/contract-part.tsx" }, "loader"))).toThrow(/:partId/);
  });

  it("every public or own-organisation entry names a route and export that exists", () => {
    for (const key of Object.keys(PUBLIC)) {
      const [file, method] = key.split("#") as [string, Method];
      expect(ROUTES.some((r) => r.file === file), key).toBe(true);
      expect(typeof MODULES.get(file)?.[method], key).toBe("function");
    }
    for (const file of Object.keys(OWN_DATA)) {
      const route = ROUTES.find((r) => r.file === file);
      expect(route, file).toBeDefined();
      expect(paramNames(route!.path), `${file} has ids in its path, so it cannot be an own-organisation page`).toEqual([]);
    }
  });

  it("the database snapshot covers the tables that hold organisation A's data", () => {
    for (const table of ["organisation", "user", "assessment", "answer", "submission", "invitation", "recommendation_response", "screening_decision", "audit_log", "email_outbox", "contract", "supplier_invitation", "assessment_share", "assessment_note", "conversation", "conversation_action"]) {
      expect(before[table], table).toMatch(/^\d+ rows [0-9a-f]{16}$/);
    }
    expect(before["answer"]).not.toMatch(/^0 rows/);
    for (const table of ["contract", "supplier_invitation", "assessment_share", "assessment_note"]) expect(before[table], table).not.toMatch(/^0 rows/);
    expect(before["session (organisation A's)"]).not.toBe("");
  });

  it("the site map was read: every route module is probed", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(17);
    expect(ROUTES.map((r) => r.path)).toContain("/assessments/:assessmentId/report.pdf");
  });
});

describe("after every call", () => {
  it("nothing changed in the database", async () => {
    expect(await snapshot()).toEqual(before);
  });
});
