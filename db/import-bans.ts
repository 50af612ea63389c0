/** The import-ban list in the database: replaced whole by an operator, or the shipped list on first use. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ImportBan, parseImportBans } from "../questionnaires/reference";
import type { Db } from "./index";

export const SHIPPED_IMPORT_BANS = "questionnaires/data/import-bans.csv";

/** Replace the whole list in one transaction: screening never sees half a list. */
export async function replaceImportBans(db: Db, bans: ImportBan[], now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("import_ban").execute();
    for (let i = 0; i < bans.length; i += 200) {
      await trx
        .insertInto("import_ban")
        .values(
          bans.slice(i, i + 200).map((b) => ({
            id: b.id,
            source: b.source,
            effective_date: b.effectiveDate,
            country: b.country,
            region: b.region,
            entity: b.entity,
            aliases: JSON.stringify(b.aliases),
            name_zh: JSON.stringify(b.namesZh),
            covers_group: b.coversGroup === null ? null : b.coversGroup ? 1 : 0,
            products: b.products,
            applies_to: b.appliesTo,
            status: b.status,
            status_changed: b.statusChanged,
            note: b.note,
            created_at: now.toISOString(),
          })),
        )
        .execute();
    }
  });
}

/** Load the list shipped with the questionnaires when the database has none yet. */
export async function ensureImportBans(db: Db, questionnairesDir = "questionnaires"): Promise<void> {
  const existing = await db.selectFrom("import_ban").select("id").limit(1).executeTakeFirst();
  if (existing) return;
  const file = join(questionnairesDir, "data", "import-bans.csv");
  const { bans, problems } = parseImportBans(readFileSync(file, "utf8"), file);
  if (problems.length > 0) throw new Error(`The shipped import-ban list is invalid:\n${problems.join("\n")}`);
  // Another instance may be loading it at the same moment: only the first insert wins.
  try {
    await replaceImportBans(db, bans);
  } catch (error) {
    const again = await db.selectFrom("import_ban").select("id").limit(1).executeTakeFirst();
    if (!again) throw error;
  }
}

export async function listImportBans(db: Db): Promise<ImportBan[]> {
  const rows = await db.selectFrom("import_ban").selectAll().orderBy("effective_date", "desc").execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    effectiveDate: r.effective_date,
    country: r.country,
    region: r.region,
    entity: r.entity,
    aliases: JSON.parse(r.aliases) as string[],
    namesZh: r.name_zh === null ? [] : (JSON.parse(r.name_zh) as string[]),
    // PostgreSQL may hand an integer back as a string.
    coversGroup: r.covers_group === null ? null : Number(r.covers_group) === 1,
    products: r.products,
    appliesTo: r.applies_to,
    status: r.status,
    statusChanged: r.status_changed,
    note: r.note,
  }));
}
