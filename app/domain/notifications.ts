/**
 * Email notifications: the kinds of event a person can be told about, who each kind is for, and
 * how a person's pending notifications become one email. A person's notifications wait until
 * DIGEST_WAIT_MS after the first of them; then whatever is pending goes as one email: the event's
 * own subject and body when there is one, a digest listing each when there are several.
 */
import { formatDateTime } from "./dates";
import { plural } from "./text";

export const NOTIFICATION_KINDS = [
  "supplier_submitted",
  "supplier_shared",
  "actions_agreed",
  "action_updated",
  "action_awaiting_confirmation",
  "action_confirmed",
  "action_reopened",
  "review_due",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: unknown): value is NotificationKind => typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);

type Side = "buyer" | "supplier";

/** Who each kind is for (the account page offers a person the kinds of its organisation's side), its label and hint. */
export const NOTIFICATION_KIND_INFO: Record<NotificationKind, { sides: readonly Side[]; label: string; description: string }> = {
  supplier_submitted: {
    sides: ["buyer"],
    label: "A supplier submits an assessment",
    description: "When a supplier of your contracts submits an assessment it shares with your organisation.",
  },
  supplier_shared: {
    sides: ["buyer"],
    label: "A supplier shares an assessment",
    description: "When a supplier of your contracts shares an assessment with your organisation.",
  },
  actions_agreed: {
    sides: ["supplier"],
    label: "Actions are agreed",
    description: "When a buying organisation records a conversation with your organisation that agrees actions.",
  },
  action_updated: {
    sides: ["buyer", "supplier"],
    label: "An action is updated",
    description: "When the other organisation posts progress or a note on an agreed action.",
  },
  action_awaiting_confirmation: {
    sides: ["buyer"],
    label: "An action is waiting for your confirmation",
    description: "When a supplier says an agreed action is done and asks you to confirm it.",
  },
  action_confirmed: {
    sides: ["supplier"],
    label: "An action is confirmed as done",
    description: "When a buying organisation confirms that an action you finished is done.",
  },
  action_reopened: {
    sides: ["supplier"],
    label: "An action is reopened",
    description: "When a buying organisation reopens an action, with its reason.",
  },
  review_due: {
    sides: ["buyer"],
    label: "A review is due",
    description: "When the review agreed in a conversation with a supplier falls due.",
  },
};

/** The kinds a person of this side of the service can be told about, in the order the account page lists them. */
export const kindsFor = (side: Side): NotificationKind[] => NOTIFICATION_KINDS.filter((k) => NOTIFICATION_KIND_INFO[k].sides.includes(side));

/** How long a person's first pending notification waits for others to join it in one email. */
export const DIGEST_WAIT_MS = 10 * 60_000;

/**
 * Links in a stored notification are written with this in place of the origin: the email is
 * written later, outside any request, at the address people open Lantern at (PUBLIC_ORIGIN).
 */
export const ORIGIN_PLACEHOLDER = "{origin}";
export const linkTo = (path: string) => `${ORIGIN_PLACEHOLDER}${path}`;
const withOrigin = (text: string, origin: string) => text.split(ORIGIN_PLACEHOLDER).join(origin);

export type PendingNotification = { subject: string; body: string; createdAt: string };

/** Whether a person's pending notifications are ready to go: the oldest has waited DIGEST_WAIT_MS. */
export function readyToSend(oldestCreatedAt: string, now: Date): boolean {
  return new Date(oldestCreatedAt).getTime() + DIGEST_WAIT_MS <= now.getTime();
}

/** The latest creation time a person's oldest pending notification may have for them to be sent now. */
export const readyBefore = (now: Date) => new Date(now.getTime() - DIGEST_WAIT_MS).toISOString();

/**
 * One email from a person's pending notifications (oldest first): the single event's own subject
 * and body, or "N updates from Lantern" listing each with its time. Always ends by saying where to
 * choose which emails to get.
 */
export function composeEmail(recipientName: string, notes: readonly PendingNotification[], origin: string): { subject: string; body: string } {
  if (notes.length === 0) throw new Error("composeEmail needs at least one notification");
  const ordered = [...notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const footer = ["", "---", `You get these emails because of your notification settings. Choose which you get under "Your account": ${origin}/account`];
  if (ordered.length === 1) {
    const [only] = ordered as [PendingNotification];
    return { subject: withOrigin(only.subject, origin), body: [`Dear ${recipientName},`, "", withOrigin(only.body, origin), ...footer].join("\n") };
  }
  const items = ordered.flatMap((n, i) => [`${i + 1}. ${withOrigin(n.subject, origin)} (${formatDateTime(n.createdAt)})`, "", withOrigin(n.body, origin), ""]);
  return {
    subject: `${plural(ordered.length, "update")} from Lantern`,
    body: [`Dear ${recipientName},`, "", `${plural(ordered.length, "thing has", "things have")} happened on Lantern that you asked to hear about:`, "", ...items].join("\n").trimEnd() + "\n" + footer.join("\n"),
  };
}
