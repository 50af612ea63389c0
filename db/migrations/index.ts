import type { Migration, MigrationProvider } from "kysely";
import * as foundation from "./2026-11-23-01-foundation";
import * as throttle from "./2026-11-25-01-throttle";
import * as importBans from "./2026-11-25-02-import-bans";
import * as organisationIdentity from "./2026-11-25-03-organisation-identity";
import * as outboxDelivery from "./2026-11-25-04-outbox-delivery";
import * as contracts from "./2026-11-25-05-contracts";
import * as buyers from "./2026-11-25-06-buyers";
import * as registerOverviewIndex from "./2026-11-25-07-register-overview-index";
import * as conversations from "./2026-11-25-08-conversations";
import * as statistics from "./2026-11-26-01-statistics";
import * as answerDrafts from "./2026-12-07-01-answer-drafts";
import * as importBanNames from "./2026-12-07-02-import-ban-names";
import * as followUp from "./2026-12-08-01-follow-up";
import * as registerStatusIndex from "./2026-12-08-02-register-status-index";

/** Every migration, in order. A static list so the bundled server needs no file-system scan. */
const migrations: Record<string, Migration> = {
  "2026-11-23-01-foundation": foundation,
  "2026-11-25-01-throttle": throttle,
  "2026-11-25-02-import-bans": importBans,
  "2026-11-25-03-organisation-identity": organisationIdentity,
  "2026-11-25-04-outbox-delivery": outboxDelivery,
  "2026-11-25-05-contracts": contracts,
  "2026-11-25-06-buyers": buyers,
  "2026-11-25-07-register-overview-index": registerOverviewIndex,
  "2026-11-25-08-conversations": conversations,
  "2026-11-26-01-statistics": statistics,
  "2026-12-07-01-answer-drafts": answerDrafts,
  "2026-12-07-02-import-ban-names": importBanNames,
  "2026-12-08-01-follow-up": followUp,
  "2026-12-08-02-register-status-index": registerStatusIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
