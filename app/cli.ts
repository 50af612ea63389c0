/**
 * The operator's command line.
 *   setup    migrate the database and seed demo data if it is empty
 *   migrate  migrate only
 *   check    load and check every questionnaire file
 */
import { createDb, dbKind, migrate } from "../db/index";
import { seed } from "../db/seed";
import { env } from "./env.server";
import { currentQuestionnaire } from "./services/questionnaires.server";

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "setup":
    case "migrate": {
      const url = env().DATABASE_URL;
      const qn = currentQuestionnaire();
      const db = createDb(url, { schema: env().DATABASE_SCHEMA });
      try {
        await migrate(db, env().DATABASE_SCHEMA);
        console.log(`Database (${dbKind(url)}) is up to date.`);
        if (command === "setup") {
          const seeded = await seed(db, qn);
          console.log(seeded ? "Seeded demo organisations and accounts (see README)." : "Database already has data; not seeding.");
        }
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case "check": {
      const qn = currentQuestionnaire();
      const count = qn.themes.reduce((n, t) => n + t.questions.length, 0);
      console.log(`${qn.id} ${qn.version}: ${qn.themes.length} themes, ${count} questions, ${qn.recommendations.length} recommendations, ${qn.redFlags.length} red flags, ${qn.kpis.length} KPIs`);
      return 0;
    }
    default:
      console.error("usage: npm run cli -- setup | migrate | check");
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
