/**
 * `remind [--dry-run] [--origin URL]`: write every due reminder to the email outbox (invitations
 * waiting to be accepted, suppliers gone quiet, shared assessments about to stop being current)
 * and say how many of each. Meant for a daily cron job; safe from several machines at once.
 */
import type { Db } from "../../db/index";
import { type ReminderSummary, runReminders } from "../services/reminders.server";
import { plural } from "../domain/text";

/** The origin links in reminders point at: an http(s) URL without a path, e.g. https://lantern.example.gov.uk */
export function parseOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function describeSummary(summary: ReminderSummary, dryRun: boolean): string {
  const verb = dryRun ? "Would send" : "Sent";
  const total = summary.join + summary.finish + summary.expiry + summary.actions + summary.reviews;
  return [
    `${verb} ${plural(total, "reminder")}${dryRun ? " (dry run: nothing was sent or recorded)" : " to the email outbox"}:`,
    `  ${summary.join} to invited suppliers who have not joined`,
    `  ${summary.finish} to suppliers with an unfinished assessment`,
    `  ${summary.expiry} to suppliers whose shared assessment stops being current within 30 days`,
    `  ${summary.actions} about agreed actions overdue or due within 14 days`,
    `  ${summary.reviews} about reviews due within 30 days`,
  ].join("\n");
}

export async function remind(db: Db, options: { origin: string; dryRun: boolean; now?: Date }): Promise<string> {
  const summary = await runReminders(db, { origin: options.origin, dryRun: options.dryRun, now: options.now });
  return describeSummary(summary, options.dryRun);
}
