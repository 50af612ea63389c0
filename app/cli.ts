/**
 * The operator's command line: `npm run cli -- <command>`, `npm run cli -- <command> --help`.
 *   setup           migrate the database and seed demo data if it is empty
 *   migrate         migrate only
 *   check           load and check every questionnaire file
 *   backup FILE     online backup of the SQLite database, checked
 *   restore FILE    put a checked backup in place of the SQLite database (app stopped)
 *   import-bans FILE  replace the import-ban list (CSV, checked, all or nothing)
 *   score FILE      score a JSON object of answers and explain the rating
 *   import FILE     import submitted assessments from an exchange file (JSON Lines; all or nothing)
 *   export          write submitted assessments as an exchange file (all, one supplier's, or a department's)
 *   kpis            a department's answer-based KPIs for a financial year, as JSON or CSV
 *   org add|list    add an organisation (buyer or supplier), list them
 *   deliver         send the email outbox's due messages over SMTP_URL
 *   remind          write due reminders to the email outbox (invitations, unfinished and expiring assessments)
 *   notifications   write the email notifications that are ready to the outbox (one email, or a digest, per person)
 * Exit codes: 0 done; 1 the command refused or failed (the message says why and what to do);
 * 2 wrong usage (unknown command or option, missing argument, a command the database kind lacks).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { BackupError, backupSqlite, restoreSqlite, type TableCounts } from "../db/backup";
import { applyMigrations, createDb, dbKind, migrate, sqliteFile, withSetupLock } from "../db/index";
import { ensureImportBans, replaceImportBans } from "../db/import-bans";
import { createTransport } from "nodemailer";
import { addOrganisation, listOrganisations } from "../db/organisations";
import { deliverOutbox } from "./services/outbox.server";
import { seed } from "../db/seed";
import { fillStatistics } from "./services/statistics.server";
import { seedDemoRegister } from "../db/seed-register";
import { parseImportBans } from "../questionnaires/reference";
import { describeResult, describeWarnings, scoreAnswersFile } from "./commands/score";
import { seedDemoBuyerSide } from "./commands/demo";
import { describeImport, describeProblems, kpiReport, kpisCsv, kpisJson, readKpiOptions, refusal, writeExport } from "./commands/exchange";
import { importSubmissions } from "./services/exchange.server";
import { exportScope } from "./services/exchange-export.server";
import { parseOrigin, remind } from "./commands/remind";
import { runNotifications } from "./services/notifications.server";
import { env } from "./env.server";
import { currentQuestionnaire, questionnaireVersion } from "./services/questionnaires.server";
import { plural } from "./domain/text";


/** A mistake the operator can fix: printed as a message, never with a stack trace. */
class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

function describeCounts(counts: TableCounts): string {
  return Object.entries(counts)
    .map(([table, n]) => `${table} ${n}`)
    .join(", ");
}

function describeSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The SQLite file to work on; backup and restore have no meaning for PostgreSQL here. */
function sqliteDatabase(command: string): string {
  const url = env().DATABASE_URL;
  if (dbKind(url) === "postgres") {
    throw new UserError(
      `${command} works on SQLite only, and DATABASE_URL points at PostgreSQL. Use pg_dump and pg_restore instead: see "Backups on PostgreSQL" in docs/operations.md.`,
      2,
    );
  }
  return sqliteFile(url);
}

async function setupOrMigrate(withSeed: boolean): Promise<void> {
  const { DATABASE_URL: url, DATABASE_SCHEMA: schema } = env();
  const qn = currentQuestionnaire();
  const db = createDb(url, { schema });
  try {
    if (!withSeed) {
      await migrate(db, schema);
      await ensureImportBans(db, env().QUESTIONNAIRES_DIR);
      await fillStatistics(db);
      console.log(`Database (${dbKind(url)}) is up to date.`);
      return;
    }
    // Migrate and seed under one lock: of several instances running setup at once, exactly one seeds.
    const seeded = await withSetupLock(db, schema, async (locked) => {
      await applyMigrations(locked, schema);
      await ensureImportBans(locked, env().QUESTIONNAIRES_DIR);
      const seeded = await seed(locked, qn);
      if (seeded) {
        const department = await locked.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow();
        await seedDemoRegister(locked, department.id);
      }
      await fillStatistics(locked);
      return seeded;
    });
    // The buyer side of the demo goes through the app's services, outside the lock (they open
    // their own transactions); only the instance that seeded writes it.
    if (seeded) await seedDemoBuyerSide(db, env().PUBLIC_ORIGIN);
    console.log(`Database (${dbKind(url)}) is up to date.`);
    console.log(seeded ? "Seeded demo organisations and accounts (see README)." : "Database already has data; not seeding.");
  } finally {
    await db.destroy();
  }
}

/** Open the configured database, bring it up to date, run `work`, and close it whatever happens. */
async function withDatabase<T>(work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(env().DATABASE_URL, { schema: env().DATABASE_SCHEMA });
  try {
    await migrate(db, env().DATABASE_SCHEMA);
    await fillStatistics(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

export function program(): Command {
  const cli = new Command("npm run cli --")
    .description("Lantern's operator commands. The database is the one DATABASE_URL (and DATABASE_SCHEMA) names, as for the app.")
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .helpCommand(false);

  cli
    .command("setup")
    .description("Migrate the database, then add the demo organisations and accounts if it is empty. Safe to run from several instances at once.")
    .action(() => setupOrMigrate(true));

  cli
    .command("migrate")
    .description("Bring the database schema up to date. Safe to run from several instances at once.")
    .action(() => setupOrMigrate(false));

  cli
    .command("check")
    .description("Load every questionnaire file and check its cross-references.")
    .action(() => {
      const qn = currentQuestionnaire();
      const count = qn.themes.reduce((n, t) => n + t.questions.length, 0);
      console.log(`${qn.id} ${qn.version}: ${qn.themes.length} themes, ${count} questions, ${qn.recommendations.length} recommendations, ${qn.redFlags.length} red flags, ${qn.kpis.length} KPIs`);
    });

  cli
    .command("backup")
    .description("Copy the SQLite database to FILE while the app keeps running, then check the copy (PRAGMA integrity_check) and print row counts. SQLite only.")
    .argument("<file>", "where to write the backup (its folder must exist)")
    .option("--force", "replace FILE if it already exists")
    .action(async (file: string, options: { force?: boolean }) => {
      const source = sqliteDatabase("backup");
      const report = await backupSqlite(source, file, { force: options.force });
      console.log(`Backed up ${source} to ${report.file} (${describeSize(report.bytes)}).`);
      console.log(`Integrity check: ${report.integrity}.`);
      console.log(`Rows: ${describeCounts(report.counts)}.`);
    });

  cli
    .command("restore")
    .description(
      "Check the backup FILE (integrity, and that it is a Lantern database), then put it in place of the SQLite database. Stop every Lantern instance first; the replaced database is kept beside it. SQLite only.",
    )
    .argument("<file>", "the backup to restore")
    .action(async (file: string) => {
      const target = sqliteDatabase("restore");
      const report = await restoreSqlite(file, target);
      console.log(`Restored ${file} to ${target} (${describeSize(report.bytes)}).`);
      console.log(`Integrity check: ${report.integrity}. Migrations: ${report.migrations.join(", ")}.`);
      console.log(`Rows: ${describeCounts(report.counts)}.`);
      console.log(report.previous ? `The database it replaced is kept at ${report.previous}.` : "There was no database before.");
      console.log("Start Lantern again; it applies any newer migrations as it starts.");
    });

  cli
    .command("import-bans")
    .description(
      "Replace the import-ban list with a CSV file (columns: source, effective_date, country, region, entity, aliases, products, applies_to, status, status_changed; optionally note, name_zh and covers_group; see questionnaires/data/README.md). All or nothing: any problem is listed by line and column and nothing changes.",
    )
    .argument("<file>", "the CSV file, e.g. an updated copy of questionnaires/data/import-bans.csv")
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new UserError(`Cannot read ${file}: ${(error as Error).message}`, 2);
      }
      const { bans, problems } = parseImportBans(text, file);
      if (problems.length > 0) throw new UserError(`Nothing was imported. Fix these problems and run the command again:\n${problems.map((p) => `  ${p}`).join("\n")}`, 1);
      await withDatabase((db) => replaceImportBans(db, bans));
      const active = bans.filter((b) => b.status === "active").length;
      console.log(`Imported ${plural(bans.length, "order")} (${active} active, ${bans.length - active} inactive). Screening uses them from now on; submitted assessments keep the screening they were submitted with.`);
    });

  const org = cli.command("org").description("Organisations: each real-world organisation once, by slug and, for a supplier, company number.");
  org
    .command("add")
    .description("Add a buyer (a public body) or a supplier organisation.")
    .requiredOption("--kind <kind>", "buyer or supplier")
    .requiredOption("--slug <slug>", "stable short name, e.g. department-for-public-works")
    .requiredOption("--name <name>", "the organisation's name")
    .option("--company-number <number>", "suppliers: Companies House number (leave out for overseas suppliers)")
    .option("--country <code>", "suppliers: ISO country code of registration (default GB)")
    .action(async (options: { kind: string; slug: string; name: string; companyNumber?: string; country?: string }) => {
      const outcome = await withDatabase((db) => addOrganisation(db, options));
      if (!outcome.ok) throw new UserError(`Nothing was added:\n${outcome.problems.map((p) => `  ${p}`).join("\n")}`, 1);
      console.log(`Added ${options.kind} ${options.name} as ${options.slug}.`);
    });
  org
    .command("list")
    .description("List every organisation: slug, kind, name, company number, country and number of users.")
    .action(async () => {
      for (const o of await withDatabase(listOrganisations)) {
        console.log([o.slug, o.kind, o.name, o.company_number ?? "-", o.country ?? "-", plural(o.users, "user")].join("\t"));
      }
    });

  cli
    .command("deliver")
    .description("Send the email outbox's due messages through the mail server in SMTP_URL; failures are tried again later with a growing wait. Safe to run from several machines at once.")
    .action(async () => {
      const url = env().SMTP_URL;
      if (!url) throw new UserError("SMTP_URL is not set: mail stays in the outbox. Set it to your mail server, e.g. smtp://user:password@smtp.example:587", 2);
      const transport = createTransport(url);
      try {
        const { sent, failed } = await withDatabase((db) => deliverOutbox(db, transport, { from: env().MAIL_FROM }));
        console.log(`Sent ${plural(sent, "message")}${failed ? `; ${failed} failed and will be tried again` : ""}.`);
        if (failed > 0 && sent === 0) throw new UserError("No message could be sent: check SMTP_URL and the mail server.", 1);
      } finally {
        transport.close();
      }
    });

  cli
    .command("remind")
    .description(
      "Write the reminders that are due to the email outbox: invitations not accepted after 14 days (to the contact, with the same link), accepted invitations with no activity for 14 days and shared assessments that stop being current within 30 days (to the supplier's administrators). Never the same reminder twice within 7 days; safe to run from several machines at once. Run it daily.",
    )
    .option("--dry-run", "count what is due without sending or recording anything")
    .option("--origin <url>", "the address people open Lantern at, for the links in the emails (default: PUBLIC_ORIGIN, else http://localhost:3000)")
    .action(async (options: { dryRun?: boolean; origin?: string }) => {
      options.origin ??= env().PUBLIC_ORIGIN;
      const origin = parseOrigin(options.origin);
      if (!origin) throw new UserError(`--origin must be an http(s) address without a path, like https://lantern.example.gov.uk, not '${options.origin}'`, 2);
      console.log(await withDatabase((db) => remind(db, { origin, dryRun: options.dryRun === true })));
    });

  cli
    .command("notifications")
    .description(
      "Write the email notifications that are ready to the email outbox: each person's, once the first of them has waited 10 minutes, as one email (a digest when there are several). Also notes reviews that have fallen due. The server does this every 30 seconds; safe to run from several machines at once.",
    )
    .option("--origin <url>", "the address people open Lantern at, for the links in the emails (default: PUBLIC_ORIGIN, else http://localhost:3000)")
    .action(async (options: { origin?: string }) => {
      options.origin ??= env().PUBLIC_ORIGIN;
      const origin = parseOrigin(options.origin);
      if (!origin) throw new UserError(`--origin must be an http(s) address without a path, like https://lantern.example.gov.uk, not '${options.origin}'`, 2);
      const { emails, notifications, reviews } = await withDatabase((db) => runNotifications(db, new Date(), origin));
      console.log(`Wrote ${plural(emails, "email")} to the email outbox with ${plural(notifications, "notification")}; ${plural(reviews, "new notification")} of reviews due.`);
    });

  cli
    .command("score")
    .description(
      "Score a JSON object of answers, as a submission would be, and print the exposure, management score per theme, rating, caps, red flags and recommendations. The answers are checked first as the app checks a submission: an unknown question, a value that is not valid for its question, an answer to a question the other answers hide, or a required question left unanswered is listed on standard error, and nothing is scored.",
    )
    .argument("<file>", "a JSON object of answers, question id to value, e.g. {\"org.size\": \"large\"}")
    .option("--questionnaire <id@version>", "the questionnaire to score against, e.g. msat@1.1.0 (default: the newest msat)")
    .option("--format <format>", "text or json", "text")
    .option(
      "--allow-incomplete",
      "score even if required questions are unanswered: each is named in a warning on standard error (and, with --format json, in the result's warnings); other problems are still refused",
    )
    .addHelpText(
      "after",
      `
Examples:
  npm run cli -- score answers.json --questionnaire msat@1.1.0
  npm run cli -- score partial.json --allow-incomplete --format json > result.json

Exit codes: 0 scored (with --allow-incomplete, perhaps with warnings); 1 the answers have problems (nothing scored); 2 wrong usage or an unreadable file.`,
    )
    .action((file: string, options: { questionnaire?: string; format: string; allowIncomplete?: boolean }) => {
      if (options.format !== "text" && options.format !== "json") throw new UserError(`--format must be text or json, not '${options.format}'`, 2);
      let qn = currentQuestionnaire();
      if (options.questionnaire) {
        const [id, version] = options.questionnaire.split("@");
        const found = id && version ? questionnaireVersion(id, version) : undefined;
        if (!found) throw new UserError(`No questionnaire '${options.questionnaire}': name one like msat@1.1.0 (run check to list them)`, 2);
        qn = found;
      }
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new UserError(`Cannot read ${file}: ${(error as Error).message}`, 2);
      }
      const allowIncomplete = options.allowIncomplete === true;
      const outcome = scoreAnswersFile(text, file, qn, env().QUESTIONNAIRES_DIR, { allowIncomplete });
      if (!outcome.ok) {
        const hint = outcome.onlyIncomplete ? "\nAnswer them, or give --allow-incomplete to score the answers anyway." : "";
        throw new UserError(`${file} cannot be scored against ${qn.id} ${qn.version}:\n${outcome.problems.map((p) => `  ${p}`).join("\n")}${hint}`, 1);
      }
      if (outcome.warnings.length > 0) console.error(describeWarnings(outcome.warnings));
      if (options.format === "text") console.log(describeResult(outcome.result));
      // With --allow-incomplete the JSON always has warnings (empty when none), so a reader can rely on it.
      else console.log(JSON.stringify(allowIncomplete ? { ...outcome.result, warnings: outcome.warnings } : outcome.result, null, 2));
    });

  cli
    .command("import")
    .description(
      "Import submitted assessments from an exchange file: JSON Lines, one submitted assessment per line (see docs/exchange-format.md). All or nothing: every line is checked against its questionnaire version first, and if any has a problem nothing is imported and every problem is listed by line; otherwise every line is imported in one transaction: suppliers matched by company number (else created), each line scored as the app scores a submission, and shared with the departments it names.",
    )
    .argument("<file>", "the exchange file, UTF-8 JSON Lines")
    .option("--format <format>", "how to print problems and the summary: text, or json (one JSON object per line)", "text")
    .addHelpText(
      "after",
      `
Examples:
  npm run cli -- import submissions.jsonl
  npm run cli -- import submissions.jsonl --format json > problems.jsonl

Departments must exist before their slugs appear in sharedWith: npm run cli -- org add --kind buyer ...
Exit codes: 0 imported; 1 problems in the file (nothing imported); 2 wrong usage or an unreadable file.`,
    )
    .action(async (file: string, options: { format: string }) => {
      if (options.format !== "text" && options.format !== "json") throw new UserError(`--format must be text or json, not '${options.format}'`, 2);
      const format = options.format;
      try {
        if (!statSync(file).isFile()) throw new Error("it is not a file");
      } catch (error) {
        throw new UserError(`Cannot read ${file}: ${(error as Error).message}`, 2);
      }
      const outcome = await withDatabase((db) => importSubmissions(db, file));
      if (!outcome.ok) {
        if (format === "json") {
          console.log(describeProblems(outcome.problems, "json"));
          throw new UserError(refusal(outcome.problems), 1);
        }
        throw new UserError(`${refusal(outcome.problems)}\n${describeProblems(outcome.problems, "text")}`, 1);
      }
      if (format === "json") {
        const { imported, suppliersCreated, suppliersMatched, sharedWith } = outcome;
        console.log(JSON.stringify({ imported, suppliersCreated, suppliersMatched, sharedWith }));
      } else console.log(describeImport(outcome));
    });

  cli
    .command("export")
    .description(
      "Write submitted assessments in the exchange format (see docs/exchange-format.md): every submission, or with --org a supplier's own, or those currently shared with a department (naming only that department in sharedWith). The order and layout are fixed, so the same data always gives the same file.",
    )
    .option("--org <slug>", "a supplier's slug (its submissions) or a department's (the submissions shared with it now)")
    .option("--output <file>", "write to FILE (replaced once the export is complete) instead of standard output")
    .addHelpText(
      "after",
      `
Examples:
  npm run cli -- export --output all.jsonl
  npm run cli -- export --org home-office --output home-office.jsonl
  npm run cli -- export --org acme-facilities-ltd | head -1

Exit codes: 0 exported; 1 unknown slug (or the export failed: no file is left behind); 2 wrong usage.`,
    )
    .action(async (options: { org?: string; output?: string }) => {
      if (options.output !== undefined && !existsSync(dirname(resolve(options.output)))) {
        throw new UserError(`Cannot write ${options.output}: the folder ${dirname(resolve(options.output))} does not exist`, 2);
      }
      const count = await withDatabase(async (db) => {
        const scope = await exportScope(db, options.org);
        if (!scope.ok) throw new UserError(scope.error, 1);
        return writeExport(db, scope.scope, options.output);
      });
      if (options.output !== undefined) console.log(`Exported ${plural(count, "submission")} to ${options.output}.`);
    });

  cli
    .command("kpis")
    .description(
      "Print a department's answer-based KPIs for a UK financial year, counted as its statistics page counts them: each supplier once, by its latest submission in the period among those shared with the department now. Each KPI has id, title, theme, numerator, denominator, percent (null when there is no denominator or too few to report), tooFew and notAsked (counted submissions whose questionnaire version lacks it).",
    )
    .requiredOption("--org <slug>", "the department's slug")
    .requiredOption("--period <year>", "the financial year, like 2020-21 (April 2020 to March 2021)")
    .option("--format <format>", "json (the period and suppliers counted as top-level fields) or csv (one row per KPI, with a header)", "json")
    .option("--small-numbers", "show percentages with fewer than 5 suppliers in the denominator")
    .option("--tier <tier>", "only suppliers holding a contract of this tier with the department: gold, silver or bronze")
    .option("--category <text>", "only suppliers holding a contract of this category with the department")
    .option("--priority-only", "only suppliers holding a priority contract (risk-assessed at or above the department's threshold)")
    .addHelpText(
      "after",
      `
Examples:
  npm run cli -- kpis --org department-for-public-works --period 2025-26
  npm run cli -- kpis --org department-for-public-works --period 2025-26 --format csv --tier gold > kpis.csv

Exit codes: 0 printed; 1 the slug is unknown or not a department's; 2 wrong usage (a period that is not a financial year, an unknown tier or format).`,
    )
    .action(async (options: { org: string; period: string; format: string; smallNumbers?: boolean; tier?: string; category?: string; priorityOnly?: boolean }) => {
      if (options.format !== "json" && options.format !== "csv") throw new UserError(`--format must be json or csv, not '${options.format}'`, 2);
      const usage = readKpiOptions(options);
      if (!usage.ok) throw new UserError(usage.error, usage.exitCode);
      const outcome = await withDatabase((db) => kpiReport(db, options));
      if (!outcome.ok) throw new UserError(outcome.error, outcome.exitCode);
      console.log(options.format === "csv" ? kpisCsv(outcome.report) : kpisJson(outcome.report));
    });

  return cli;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    if (error instanceof UserError || error instanceof BackupError) {
      console.error(error.message);
      return error.exitCode;
    }
    // Anything else is unexpected (a database that is down, a bug): say what, without the stack.
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run(process.argv.slice(2)).then((code) => process.exit(code));
}
