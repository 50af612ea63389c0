/**
 * Who supplies a contract, in Lantern: the supplier organisation the contract is linked to (company
 * number, an answered invitation, or a name match a contract manager accepted once), and that
 * supplier's current result shared with the department. A contract not linked yet may have
 * name matches among the suppliers that shared a result with the department: a contract manager
 * accepts one (the contract links to it) or dismisses them, once; the decision is kept and audited.
 */
import type { BanEntry } from "../domain/name-matching";
import { screenEntity } from "../domain/name-matching";
import { isId } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { ownContract, requireBuyer } from "./contract-rows.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { type SharedResult, sharedResults } from "./follow-up.server";

/** Buyer roles that may link a contract to a supplier organisation. */
export const LINK_ROLES = ["admin", "contract_manager"] as const;
export const canLinkSuppliers = (user: Pick<CurrentUser, "organisationKind" | "role">) => user.organisationKind === "buyer" && (LINK_ROLES as readonly string[]).includes(user.role);

export type MatchCandidate = { organisationId: string; name: string; companyNumber: string | null; country: string | null; strength: "strong" | "possible"; score: number };

/**
 * Suppliers that have shared a result with the department and whose name matches the contract's
 * supplier name, best first, leaving out those a contract manager dismissed for this contract.
 * Only suppliers that shared with the department are offered: the register never learns of others.
 */
async function nameMatches(buyerOrganisationId: string, contract: { id: string; supplier_name: string; supplier_country: string }): Promise<MatchCandidate[]> {
  const db = await getDb();
  const suppliers = await db
    .selectFrom("organisation")
    .select(["organisation.id", "organisation.name", "organisation.company_number", "organisation.country"])
    .where("organisation.kind", "=", "supplier")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("assessment_share")
          .select("assessment_share.id")
          .whereRef("assessment_share.supplier_organisation_id", "=", "organisation.id")
          .where("assessment_share.buyer_organisation_id", "=", buyerOrganisationId)
          .where("assessment_share.revoked_at", "is", null),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("supplier_match_decision")
            .select("supplier_match_decision.contract_id")
            .where("supplier_match_decision.contract_id", "=", contract.id)
            .whereRef("supplier_match_decision.supplier_organisation_id", "=", "organisation.id"),
        ),
      ),
    )
    .execute();
  const entries: BanEntry[] = suppliers.map((s) => ({ id: s.id, entity: s.name, aliases: [], country: s.country, region: null, status: "active" }));
  const byId = new Map(suppliers.map((s) => [s.id, s]));
  return screenEntity({ name: contract.supplier_name, country: contract.supplier_country }, entries).map((m) => {
    const s = byId.get(m.banId)!;
    return { organisationId: s.id, name: s.name, companyNumber: s.company_number, country: s.country, strength: m.strength, score: m.score };
  });
}

/** The contract's supplier in Lantern, its current result shared with the department, and name matches to decide on. */
export async function contractSupplier(user: CurrentUser, contractId: string, now = new Date()) {
  requireBuyer(user);
  const contract = await ownContract(user, contractId);
  const db = await getDb();
  const linked = contract.supplier_organisation_id
    ? await db.selectFrom("organisation").select(["id", "name", "company_number"]).where("id", "=", contract.supplier_organisation_id).executeTakeFirst()
    : undefined;
  let current: SharedResult | null = null;
  if (linked) current = (await sharedResults(user.organisationId, now, { supplierOrganisationIds: [linked.id] })).find((r) => r.current) ?? null;
  const accepted = linked
    ? await db
        .selectFrom("supplier_match_decision")
        .innerJoin("user", "user.id", "supplier_match_decision.decided_by")
        .select(["user.name", "supplier_match_decision.decided_at"])
        .where("contract_id", "=", contract.id)
        .where("supplier_organisation_id", "=", linked.id)
        .where("decision", "=", "accepted")
        .executeTakeFirst()
    : undefined;
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, supplierName: contract.supplier_name, supplierCompanyNumber: contract.supplier_company_number },
    linked: linked ? { id: linked.id, name: linked.name, companyNumber: linked.company_number, acceptedBy: accepted?.name ?? null, acceptedAt: accepted?.decided_at ?? null } : null,
    current: current
      ? {
          assessmentId: current.assessmentId,
          submittedAt: current.submittedAt,
          band: current.band,
          overall: current.overall,
          ratingNote: current.ratingNote,
          status: current.status,
          followUp: current.followUp,
        }
      : null,
    candidates: linked ? [] : await nameMatches(user.organisationId, contract),
    canLink: canLinkSuppliers(user),
  };
}

export type MatchDecisionOutcome = { ok: true; decision: "accepted" | "dismissed"; supplierName: string | null } | { ok: false; errors: Record<string, string> };

/**
 * A contract manager's decision on the name matches of a contract not yet linked: accept one
 * (`choice` is its organisation id: the contract links to it), or "none" (every match offered is
 * dismissed for this contract). Only a match currently offered can be accepted.
 */
export async function decideSupplierMatch(user: CurrentUser, contractId: string, choice: string, now = new Date()): Promise<MatchDecisionOutcome> {
  requireBuyer(user);
  if (!canLinkSuppliers(user)) httpError(403, "Only administrators and contract managers can link a contract to a supplier.");
  const contract = await ownContract(user, contractId);
  if (contract.supplier_organisation_id) return { ok: false, errors: { choice: "This contract is already linked to a supplier in Lantern" } };
  const candidates = await nameMatches(user.organisationId, contract);
  if (choice !== "none" && (!isId(choice) || !candidates.some((c) => c.organisationId === choice))) {
    return { ok: false, errors: { choice: candidates.length === 0 ? "There is no name match to decide on any more: reload the page" : "Select the supplier that holds this contract, or none of them" } };
  }
  const at = now.toISOString();
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const decisions = choice === "none" ? candidates.map((c) => ({ id: c.organisationId, decision: "dismissed" as const })) : [{ id: choice, decision: "accepted" as const }];
    for (const d of decisions) {
      await trx
        .insertInto("supplier_match_decision")
        .values({ contract_id: contract.id, supplier_organisation_id: d.id, decision: d.decision, decided_by: user.id, decided_at: at })
        .onConflict((oc) => oc.columns(["contract_id", "supplier_organisation_id"]).doUpdateSet({ decision: d.decision, decided_by: user.id, decided_at: at }))
        .execute();
    }
    if (choice !== "none") {
      const linked = await trx.updateTable("contract").set({ supplier_organisation_id: choice, updated_at: at }).where("id", "=", contract.id).where("supplier_organisation_id", "is", null).executeTakeFirst();
      if (linked.numUpdatedRows === 0n) throw httpError(409, "Someone linked this contract to a supplier a moment ago. Reload the page to see it.");
    }
    await audit(
      trx,
      decisions.map((d) => ({
        organisationId: user.organisationId,
        userId: user.id,
        entity: "contract",
        entityId: contract.id,
        action: d.decision === "accepted" ? "supplier_linked" : "supplier_match_dismissed",
        field: "supplier_organisation_id",
        oldValue: null,
        newValue: d.id,
        at: now,
      })),
    );
  });
  return { ok: true, decision: choice === "none" ? "dismissed" : "accepted", supplierName: choice === "none" ? null : candidates.find((c) => c.organisationId === choice)!.name };
}
