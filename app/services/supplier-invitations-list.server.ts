/**
 * The buyer's view of its supplier invitations: every one with its status and the funnel for the
 * department and per contract manager, one contract's, and one invitation for an action on it.
 */
import { sql } from "kysely";
import type { Db } from "../../db/index";
import { type Funnel, INVITATION_STATUSES, type InvitationStatus, REMINDER_SUBJECT_PREFIX, funnelOf, funnelsBy, invitationStatus } from "../domain/supplier-invitations";
import { isId } from "../domain/text";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { MISSING_INVITATION, liveInvitation, ownContractToInvite, requireInvitingBuyer } from "./supplier-invitation-access.server";

export type BuyerInvitationRow = {
  id: string;
  contractId: string;
  contractReference: string;
  contractTitle: string;
  email: string;
  contactName: string | null;
  supplierName: string | null;
  /** The contract's manager, else whoever sent the invitation. */
  manager: string;
  status: InvitationStatus;
  createdAt: string;
  lastRemindedAt: string | null;
  assessmentId: string | null;
  cancelReason: string | null;
};

/** Every invitation of a buying organisation (optionally one contract's) with its status, in one query. */
export async function buyerInvitationRows(db: Db, organisationId: string, now: Date, contractId?: string): Promise<BuyerInvitationRow[]> {
  const rows = await db
    .selectFrom("supplier_invitation as i")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .innerJoin("user as inviter", "inviter.id", "i.invited_by")
    .leftJoin("assessment as a", "a.id", "i.assessment_id")
    .leftJoin("organisation as s", "s.id", "i.supplier_organisation_id")
    .leftJoin("reminder as r", (join) => join.on("r.subject", "=", sql<string>`${sql.lit(REMINDER_SUBJECT_PREFIX)} || ${sql.ref("i.id")}`))
    .select([
      "i.id",
      "i.contract_id as contractId",
      "c.reference as contractReference",
      "c.title as contractTitle",
      "i.email",
      "i.contact_name as contactName",
      "s.name as supplierName",
      "c.contract_manager_email as contractManager",
      "inviter.email as inviterEmail",
      "i.created_at as createdAt",
      "i.expires_at",
      "i.accepted_at",
      "i.cancelled_at",
      "i.cancel_reason as cancelReason",
      "i.assessment_id as assessmentId",
      "a.status as assessmentStatus",
      "r.last_sent_at as lastRemindedAt",
    ])
    .where("i.organisation_id", "=", organisationId)
    .$if(contractId !== undefined, (q) => q.where("i.contract_id", "=", contractId!))
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    contractId: r.contractId,
    contractReference: r.contractReference,
    contractTitle: r.contractTitle,
    email: r.email,
    contactName: r.contactName,
    supplierName: r.supplierName,
    manager: r.contractManager ?? r.inviterEmail,
    status: invitationStatus({ expires_at: r.expires_at, accepted_at: r.accepted_at, cancelled_at: r.cancelled_at, assessmentStatus: r.assessmentStatus }, now),
    createdAt: r.createdAt,
    lastRemindedAt: r.lastRemindedAt,
    assessmentId: r.assessmentId,
    cancelReason: r.cancelReason,
  }));
}

export const INVITATIONS_PAGE_SIZE = 50;

export type InvitationQuery = { status?: InvitationStatus; manager?: string; page: number };

export async function listSupplierInvitations(user: CurrentUser, query: InvitationQuery, now = new Date()) {
  requireInvitingBuyer(user, false);
  const db = await getDb();
  const rows = await buyerInvitationRows(db, user.organisationId, now);
  const department: Funnel = funnelOf(rows.map((r) => r.status));
  const byManager = funnelsBy(rows, (r) => r.manager, (r) => r.status);
  const matching = rows.filter((r) => (!query.status || r.status === query.status) && (!query.manager || r.manager === query.manager));
  const pages = Math.max(1, Math.ceil(matching.length / INVITATIONS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return {
    department,
    byManager,
    managers: byManager.map((m) => m.key),
    total: matching.length,
    page,
    pages,
    invitations: matching.slice((page - 1) * INVITATIONS_PAGE_SIZE, page * INVITATIONS_PAGE_SIZE),
    canManage: user.role === "admin" || user.role === "contract_manager",
  };
}

/** A contract's invitations, newest first, for the contract page; `canInvite` when none is live and the user may send one. */
export async function invitationsForContract(user: CurrentUser, contractId: string, now = new Date()) {
  requireInvitingBuyer(user, false);
  const db = await getDb();
  const contract = await ownContractToInvite(db, user, contractId);
  const invitations = await buyerInvitationRows(db, user.organisationId, now, contract.id);
  const live = await liveInvitation(db, contract.id, now);
  const canManage = user.role === "admin" || user.role === "contract_manager";
  return { contractId: contract.id, invitations, canInvite: canManage && !live, canManage };
}

/** The buyer's own invitation, for an action on it; another organisation's is a 404. */
export async function ownInvitation(db: Db, user: CurrentUser, invitationId: string, now: Date): Promise<BuyerInvitationRow> {
  requireInvitingBuyer(user, true);
  if (!isId(invitationId)) httpError(404, MISSING_INVITATION);
  const rows = await db.selectFrom("supplier_invitation").select("contract_id").where("id", "=", invitationId).where("organisation_id", "=", user.organisationId).executeTakeFirst();
  if (!rows) httpError(404, MISSING_INVITATION);
  const row = (await buyerInvitationRows(db, user.organisationId, now, rows.contract_id)).find((r) => r.id === invitationId);
  if (!row) httpError(404, MISSING_INVITATION);
  return row;
}

export const STATUS_FILTERS: ReadonlyArray<InvitationStatus> = INVITATION_STATUSES;
