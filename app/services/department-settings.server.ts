/**
 * The department's settings: the tier thresholds (Gold above, Bronze below an annual value) and how
 * many risk indicators make a contract a priority; read by every use case that tiers or prioritises.
 */
import { DEFAULT_TIER_THRESHOLDS, type TierThresholds, formatMoney, parseMoney } from "../domain/contracts";
import { DEFAULT_PRIORITY_THRESHOLD, MAX_PRIORITY_THRESHOLD, MIN_PRIORITY_THRESHOLD } from "../domain/prioritisation";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { requireBuyer } from "./contract-rows.server";
import { getDb } from "./db.server";

export type DepartmentSettings = TierThresholds & { priorityThreshold: number };

export async function tierThresholds(organisationId: string): Promise<DepartmentSettings> {
  const db = await getDb();
  const row = await db.selectFrom("department_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();
  if (!row) return { ...DEFAULT_TIER_THRESHOLDS, priorityThreshold: DEFAULT_PRIORITY_THRESHOLD };
  return { goldAbovePence: Number(row.gold_above_pence), bronzeBelowPence: Number(row.bronze_below_pence), priorityThreshold: row.priority_threshold };
}

export type SettingsInput = { gold: string; bronze: string; priority: string };
export type SettingsErrors = Partial<Record<keyof SettingsInput, string>>;

/** The department's thresholds as the settings page shows them (administrators only). */
export async function readSettings(user: CurrentUser): Promise<DepartmentSettings & { saved: boolean }> {
  requireBuyer(user, ["admin"], "Only an administrator can change the department's settings.");
  const db = await getDb();
  const row = await db.selectFrom("department_settings").select("organisation_id").where("organisation_id", "=", user.organisationId).executeTakeFirst();
  return { ...(await tierThresholds(user.organisationId)), saved: row !== undefined };
}

/**
 * Save the department's tier thresholds and priority threshold. Money is read strictly; Bronze
 * must be below Gold; the priority threshold is a whole number of indicators from 1 to 7.
 */
export async function saveSettings(user: CurrentUser, input: SettingsInput, now = new Date()): Promise<{ ok: true; settings: DepartmentSettings } | { ok: false; errors: SettingsErrors }> {
  requireBuyer(user, ["admin"], "Only an administrator can change the department's settings.");
  const errors: SettingsErrors = {};
  const money = (key: "gold" | "bronze", label: string, example: string) => {
    if (input[key].trim() === "") {
      errors[key] = `Enter the ${label} threshold in pounds, like ${example}`;
      return null;
    }
    const parsed = parseMoney(input[key]);
    if (!parsed.ok) {
      errors[key] = `${label} threshold: ${parsed.error}`;
      return null;
    }
    return parsed.value;
  };
  const gold = money("gold", "Gold", "40,000,000");
  const bronze = money("bronze", "Bronze", "5,000,000");
  if (gold !== null && bronze !== null && bronze >= gold) {
    errors.bronze = `The Bronze threshold must be lower than the Gold threshold (${formatMoney(gold)}): lower it, or raise the Gold threshold`;
  }
  const priorityText = input.priority.trim();
  const priority = /^\d{1,2}$/.test(priorityText) ? Number(priorityText) : Number.NaN;
  if (priorityText === "") errors.priority = `Enter how many indicators make a contract a priority, from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}`;
  else if (!(priority >= MIN_PRIORITY_THRESHOLD && priority <= MAX_PRIORITY_THRESHOLD)) {
    errors.priority = `The priority threshold must be a whole number of indicators from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const settings: DepartmentSettings = { goldAbovePence: gold!, bronzeBelowPence: bronze!, priorityThreshold: priority };
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("department_settings").selectAll().where("organisation_id", "=", user.organisationId).executeTakeFirst();
    const old = row
      ? { gold_above_pence: Number(row.gold_above_pence), bronze_below_pence: Number(row.bronze_below_pence), priority_threshold: row.priority_threshold }
      : { gold_above_pence: DEFAULT_TIER_THRESHOLDS.goldAbovePence, bronze_below_pence: DEFAULT_TIER_THRESHOLDS.bronzeBelowPence, priority_threshold: DEFAULT_PRIORITY_THRESHOLD };
    const values = { gold_above_pence: settings.goldAbovePence, bronze_below_pence: settings.bronzeBelowPence, priority_threshold: settings.priorityThreshold };
    await trx
      .insertInto("department_settings")
      .values({ organisation_id: user.organisationId, ...values, updated_at: now.toISOString() })
      .onConflict((oc) => oc.column("organisation_id").doUpdateSet({ ...values, updated_at: now.toISOString() }))
      .execute();
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => !row || old[k] !== values[k]);
    await audit(
      trx,
      changed.map((k) => ({ organisationId: user.organisationId, userId: user.id, entity: "department_settings", entityId: user.organisationId, action: row ? "updated" : "created", field: k, oldValue: row ? String(old[k]) : null, newValue: String(values[k]), at: now })),
    );
  });
  return { ok: true, settings };
}
