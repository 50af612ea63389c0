/**
 * The shared defences, tried against the built app over HTTP: security headers on every kind of
 * response, forged cross-site and sibling-origin requests refused on every action, bodies an action
 * cannot read refused with 400/415, and malformed ids and control characters refused before the
 * database (the same on SQLite and PostgreSQL).
 */
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../db/index";
import { newId } from "../../db/ids";
import { FORM, type Session, get, post, signInOverHttp } from "./http";

const baseUrl = inject("baseUrl");
const database = inject("database");
const port = Number(new URL(baseUrl).port);
let db: Db;
let supplier: Session;
/** For the buyers' actions: their own administrator, so the body is read after the role check. */
let buyer: Session;
let draftId: string;
let submittedId: string;
let recommendationId: string;
/** Demo data the buyers' and sharing actions act on: a contract of the department, Brightwear's invitation from it. */
let contractId: string;
let brightwearInvitationId: string;
/** The department's draft conversation about Brightwear's assessment, and an action agreed in a finished one. */
let conversationId: string;
let actionId: string;

beforeAll(async () => {
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  supplier = await signInOverHttp(baseUrl, "admin@brightwear.example");
  buyer = await signInOverHttp(baseUrl, "admin@dpw.example");
  const submitted = await db
    .selectFrom("assessment")
    .innerJoin("organisation", "organisation.id", "assessment.organisation_id")
    .select("assessment.id")
    .where("organisation.name", "=", "Brightwear Textiles Ltd")
    .where("assessment.status", "!=", "draft")
    .executeTakeFirstOrThrow();
  submittedId = submitted.id;
  const submission = await db.selectFrom("submission").select("result").where("assessment_id", "=", submittedId).executeTakeFirstOrThrow();
  recommendationId = (JSON.parse(submission.result) as { recommendations: Array<{ id: string }> }).recommendations[0]!.id;
  contractId = (await db.selectFrom("contract").innerJoin("organisation", "organisation.id", "contract.organisation_id").select("contract.id").where("organisation.slug", "=", "department-for-public-works").executeTakeFirstOrThrow()).id;
  brightwearInvitationId = (await db.selectFrom("supplier_invitation").select("id").where("assessment_id", "=", submittedId).executeTakeFirstOrThrow()).id;
  const startConversation = async () => {
    const response = await post(baseUrl, `/results/${submittedId}/conversations/new`, { session: buyer, headers: { Origin: baseUrl, "Content-Type": FORM }, body: "intent=save" });
    expect(response.status).toBe(302);
    return response.headers.get("location")!.split("?")[0]!.split("/").pop()!;
  };
  const finished = await startConversation();
  const at = new Date().toISOString();
  await db.updateTable("conversation").set({ status: "finished", held_on: at.slice(0, 10), buyer_attendees: "Priya Shah", supplier_attendees: "Nadia Khan", finished_at: at }).where("id", "=", finished).execute();
  const department = await db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow();
  actionId = newId();
  await db
    .insertInto("conversation_action")
    .values({ id: actionId, conversation_id: finished, assessment_id: submittedId, organisation_id: department.id, description: "Send the labour provider audit plan", owner_side: "supplier", owner_name: "Nadia Khan", due_on: "2027-03-01", recommendation_id: null, status: "open", cancel_reason: null, created_at: at, updated_at: at })
    .execute();
  conversationId = await startConversation();
  const started = await post(baseUrl, "/supplier", { session: supplier, headers: { Origin: baseUrl, "Content-Type": FORM }, body: "" });
  expect(started.status).toBe(302);
  draftId = started.headers.get("location")!.split("/").pop()!;
});
afterAll(async () => db?.destroy());

/** Every route with an action, as a path to post to. New actions must be added here (checked below). */
function actions(): Array<{ file: string; path: string; buyer?: true }> {
  return [
    { file: "sign-in.tsx", path: "/sign-in" },
    { file: "sign-out.tsx", path: "/sign-out" },
    { file: "account.tsx", path: "/account" },
    { file: "invitation.tsx", path: "/invitations/not-a-real-token" },
    { file: "supplier.tsx", path: "/supplier" },
    { file: "supplier-colleagues.tsx", path: "/supplier/colleagues" },
    { file: "assessment-theme.tsx", path: `/assessments/${draftId}/themes/governance` },
    { file: "assessment-answers.ts", path: `/assessments/${draftId}/answers` },
    { file: "assessment-check.tsx", path: `/assessments/${draftId}/check` },
    { file: "assessment-screening.tsx", path: `/assessments/${draftId}/screening` },
    { file: "contracts-import.tsx", path: "/contracts/import", buyer: true },
    { file: "assessment-responses.tsx", path: `/assessments/${submittedId}/responses` },
    { file: "assessment-sharing.tsx", path: `/assessments/${submittedId}/sharing` },
    { file: "contract-new.tsx", path: "/contracts/new", buyer: true },
    { file: "contract-edit.tsx", path: `/contracts/${contractId}/edit`, buyer: true },
    { file: "contract-status.tsx", path: `/contracts/${contractId}/status`, buyer: true },
    { file: "contract-risk.tsx", path: `/contracts/${contractId}/risk`, buyer: true },
    { file: "contract-invite.tsx", path: `/contracts/${contractId}/invite`, buyer: true },
    { file: "contract-supplier.tsx", path: `/contracts/${contractId}/supplier`, buyer: true },
    { file: "settings.tsx", path: "/settings", buyer: true },
    { file: "statistics-goals.tsx", path: "/statistics/goals", buyer: true },
    { file: "supplier-invitations.tsx", path: "/invitations", buyer: true },
    { file: "result.tsx", path: `/results/${submittedId}`, buyer: true },
    { file: "join.tsx", path: "/join/K7QM-2XPD-9WTR" },
    { file: "supplier-join.tsx", path: "/supplier/join" },
    { file: "supplier-invitation.tsx", path: `/supplier/invitations/${brightwearInvitationId}` },
    { file: "conversation-new.tsx", path: `/results/${submittedId}/conversations/new`, buyer: true },
    { file: "conversation.tsx", path: `/conversations/${conversationId}`, buyer: true },
    { file: "action.tsx", path: `/actions/${actionId}` },
  ];
}

/** A document post and its single-fetch twin both reach the action. */
const bothForms = (path: string) => [path, `${path}.data`];

async function stateOf() {
  const [answers, sessions, assessments, invitations, responses, audit, contracts, supplierInvitations, shares, notes] = await Promise.all(
    (["answer", "session", "assessment", "invitation", "recommendation_response", "audit_log", "contract", "supplier_invitation", "assessment_share", "assessment_note"] as const).map((table) =>
      db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n)),
    ),
  );
  return { answers, sessions, assessments, invitations, responses, audit, contracts, supplierInvitations, shares, notes };
}

describe("every action is in the list these tests try", () => {
  it("lists each route module that exports an action", () => {
    const routes = readFileSync("app/routes.ts", "utf8");
    const files = [...routes.matchAll(/"routes\/([^"]+)"/g)].map((m) => m[1]!);
    const withAction = files.filter((f) => /export (async function|const) action\b/.test(readFileSync(`app/routes/${f}`, "utf8")));
    expect(withAction.sort()).toEqual(actions().map((a) => a.file).sort());
    expect(readdirSync("app/routes").filter((f) => !files.includes(f))).toEqual([]);
  });
});

describe("security headers", () => {
  function expectCommonHeaders(response: Response) {
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("default-src 'self'");
  }

  it("a page: a fresh nonce on every response, on every inline script", async () => {
    const first = await get(baseUrl, "/supplier", supplier);
    const second = await get(baseUrl, "/supplier", supplier);
    expect(first.status).toBe(200);
    expectCommonHeaders(first);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const nonce = /'nonce-([^']+)'/.exec(first.headers.get("content-security-policy")!)![1]!;
    expect(/'nonce-([^']+)'/.exec(second.headers.get("content-security-policy")!)![1]).not.toBe(nonce);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it("a .data response and the JSON endpoint are never cached", async () => {
    const data = await get(baseUrl, "/supplier.data", supplier);
    expect(data.status).toBe(200);
    expectCommonHeaders(data);
    expect(data.headers.get("cache-control")).toBe("no-store");
    const json = await post(baseUrl, `/assessments/${draftId}/answers`, {
      session: supplier,
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ questionId: "governance.no_such_question", value: "x", baseRevision: 0 }),
    });
    expect(json.status).toBe(400);
    expectCommonHeaders(json);
    expect(json.headers.get("cache-control")).toBe("no-store");
  });

  it("a static file and a built asset are cacheable but still carry the headers; a 404 page too", async () => {
    const favicon = await get(baseUrl, "/favicon.svg");
    expect(favicon.status).toBe(200);
    expectCommonHeaders(favicon);
    expect(favicon.headers.get("cache-control")).toMatch(/max-age=3600/);
    const page = await (await get(baseUrl, "/sign-in")).text();
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(page)![1]!;
    const built = await get(baseUrl, asset);
    expect(built.status).toBe(200);
    expectCommonHeaders(built);
    expect(built.headers.get("cache-control")).toMatch(/immutable/);
    const missing = await get(baseUrl, "/no/such/page");
    expect(missing.status).toBe(404);
    expectCommonHeaders(missing);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });
});

describe("forged requests are refused on every action and change nothing", () => {
  const forgeries: Array<[string, Record<string, string>]> = [
    ["another site", { Origin: "http://evil.example" }],
    ["a sibling origin on another port", { Origin: `http://127.0.0.1:${port + 1}` }],
    ["a sibling origin on another scheme", { Origin: `https://127.0.0.1:${port}` }],
    ["an opaque origin", { Origin: "null" }],
    ["no Origin, cross-site fetch metadata", { "Sec-Fetch-Site": "cross-site" }],
    ["no Origin, same-site (sibling) fetch metadata", { "Sec-Fetch-Site": "same-site" }],
  ];

  it.each(forgeries)("from %s", async (_name, headers) => {
    const before = await stateOf();
    for (const { path } of actions()) {
      for (const target of bothForms(path)) {
        const json = target.includes("/answers");
        const response = await post(baseUrl, target, {
          session: supplier,
          headers: { ...headers, "Content-Type": json ? "application/json" : FORM },
          body: json ? JSON.stringify({ questionId: "org.size", value: "micro", baseRevision: 0 }) : "email=admin%40brightwear.example&password=x&scope=everywhere",
        });
        expect(response.status, `${target} from ${_name}`).toBe(403);
        const text = await response.text();
        expect(text).toContain("only accepts changes sent from its own pages");
      }
    }
    expect(await stateOf()).toEqual(before);
    // still signed in: the forged sign-out did nothing
    expect((await get(baseUrl, "/supplier", supplier)).status).toBe(200);
  });

  it("the same requests from the app's own origin get through", async () => {
    const response = await post(baseUrl, `/assessments/${draftId}/answers`, {
      session: supplier,
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ questionId: "governance.no_such_question", value: "x", baseRevision: 0 }),
    });
    expect(response.status).toBe(400); // reached the action, which named the problem
  });
});

describe("bodies an action cannot read get 400 or 415, never a 500, and change nothing", () => {
  const bodies: Array<[string, string | undefined, string, number]> = [
    ["JSON", "application/json", '{"email":"a@b.example"}', 415],
    ["text/plain", "text/plain", "email=a@b.example", 415],
    ["no content type", undefined, "email=a@b.example", 415],
    ["XML", "application/xml", "<a/>", 415],
    ["broken multipart", "multipart/form-data; boundary=lantern", "--lantern\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nunterminated", 400],
    ["multipart without a boundary", "multipart/form-data", "garbage", 400],
  ];

  it.each(bodies)("%s to every form action", async (_name, type, body, status) => {
    const before = await stateOf();
    for (const action of actions().filter((a) => !a.path.endsWith("/answers"))) {
      for (const target of bothForms(action.path)) {
        const response = await post(baseUrl, target, { session: action.buyer ? buyer : supplier, headers: { Origin: baseUrl, ...(type ? { "Content-Type": type } : {}) }, body });
        expect(response.status, `${_name} to ${target}`).toBe(status);
      }
    }
    expect(await stateOf()).toEqual(before);
  });

  it("the autosave endpoint takes application/json only (415), and unreadable JSON is a 400", async () => {
    const path = `/assessments/${draftId}/answers`;
    const json = JSON.stringify({ questionId: "org.size", value: "micro", baseRevision: 0 });
    const before = await stateOf();
    for (const type of ["text/plain", FORM, "multipart/form-data; boundary=x", undefined]) {
      const response = await post(baseUrl, path, { session: supplier, headers: { Origin: baseUrl, ...(type ? { "Content-Type": type } : {}) }, body: json });
      expect(response.status, String(type)).toBe(415);
      expect(((await response.json()) as { message: string }).message).toMatch(/application\/json/);
    }
    for (const body of ["{", "", "null", "[]", '"text"', '{"questionId":1}']) {
      const response = await post(baseUrl, path, { session: supplier, headers: { Origin: baseUrl, "Content-Type": "application/json" }, body });
      expect(response.status, body).toBe(400);
    }
    expect(await stateOf()).toEqual(before);
  });
});

describe("malformed ids and control characters are refused before the database", () => {
  it("an id that is not well formed is a 404 on every page and action that takes one", async () => {
    for (const bad of ["%00", "not-an-id", "1%27%20or%201%3D1", "%E2%80%8B", "x".repeat(300)]) {
      for (const path of [`/assessments/${bad}`, `/assessments/${bad}.data`, `/assessments/${bad}/report`, `/assessments/${bad}/check`, `/assessments/${bad}/themes/governance`, `/assessments/${bad}/report.pdf`, `/assessments/${bad}/screening`]) {
        expect((await get(baseUrl, path, supplier)).status, path).toBe(404);
      }
      // a file download says why in plain text, not "Unexpected Server Error"
      const pdf = await get(baseUrl, `/assessments/${bad}/report.pdf`, supplier);
      expect(pdf.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await pdf.text()).toMatch(/no assessment at this address/i);
      const save = await post(baseUrl, `/assessments/${bad}/answers`, {
        session: supplier,
        headers: { Origin: baseUrl, "Content-Type": "application/json" },
        body: JSON.stringify({ questionId: "org.size", value: "micro", baseRevision: 0 }),
      });
      expect(save.status).toBe(404);
      for (const path of [`/assessments/${bad}/responses`, `/assessments/${bad}/check`, `/assessments/${bad}/themes/governance`, `/assessments/${bad}/screening`]) {
        const response = await post(baseUrl, path, { session: supplier, headers: { Origin: baseUrl, "Content-Type": FORM }, body: `x-response=accepted` });
        expect(response.status, `POST ${path}`).toBe(404);
      }
    }
  });

  it("NUL and other control characters in text are a field error; tab and newline are fine", async () => {
    const theme = await db.selectFrom("assessment").select("questionnaire_version").where("id", "=", draftId).executeTakeFirstOrThrow();
    expect(theme.questionnaire_version).toBeTruthy();
    const before = await stateOf();
    const textQuestion = "governance.statement_url";
    for (const bad of ["a\u0000b", "bell\u0007", "esc\u001b[31m", "del\u007f"]) {
      const save = await post(baseUrl, `/assessments/${draftId}/answers`, {
        session: supplier,
        headers: { Origin: baseUrl, "Content-Type": "application/json" },
        body: JSON.stringify({ questionId: textQuestion, value: bad, baseRevision: 0 }),
      });
      expect(save.status).toBe(400);
      expect(((await save.json()) as { error: string }).error).toMatch(/control characters/);
      const reason = await post(baseUrl, `/assessments/${submittedId}/responses`, {
        session: supplier,
        headers: { Origin: baseUrl, "Content-Type": FORM },
        body: new URLSearchParams({ [`${recommendationId}-response`]: "not_applicable", [`${recommendationId}-reason`]: bad }).toString(),
      });
      expect(reason.status).toBe(400);
      expect(await reason.text()).toMatch(/Reason must not contain control characters/);
      const accept = await post(baseUrl, "/invitations/not-a-real-token", { headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ name: bad, password: "long enough password" }).toString() });
      expect(accept.status).toBe(400);
      expect(await accept.text()).toMatch(/Name must not contain control characters/);
      const invite = await post(baseUrl, "/supplier/colleagues", { session: supplier, headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ email: `x${bad}@example.org` }).toString() });
      expect(invite.status).toBe(400);
      const signIn = await post(baseUrl, "/sign-in", { headers: { Origin: baseUrl, "Content-Type": FORM }, body: new URLSearchParams({ email: `admin${bad}@acme.example`, password: "x" }).toString() });
      expect(signIn.status).toBe(400);
    }
    expect(await stateOf()).toEqual(before);
    const ok = await post(baseUrl, `/assessments/${draftId}/answers`, {
      session: supplier,
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ questionId: textQuestion, value: "line one\n\tline two", baseRevision: 0 }),
    });
    expect([200, 400]).toContain(ok.status);
    if (ok.status === 400) expect(((await ok.json()) as { error: string }).error).not.toMatch(/control characters/);
  });
});
