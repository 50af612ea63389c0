/**
 * The operator commands for the risk model, run as an operator would (a separate process):
 * replacing the import-ban list (all or nothing, problems by line and column) and scoring a file
 * of answers. On SQLite, or on PostgreSQL in a schema of their own when DATABASE_URL says so.
 */
import { type CliHarness, cliHarness } from "../setup/cli";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/index";
import { parseImportBans } from "../../questionnaires/reference";
import { plausibleAnswers } from "../../db/seed";
import { questionnaireVersion } from "../../app/services/questionnaires.server";

let dir: string;
let db: Db;
let cli: CliHarness["cli"];
let close: CliHarness["close"];

beforeAll(async () => {
  ({ db, dir, cli, close } = await cliHarness("cli"));
  await cli(["migrate"]);
}, 60_000);
afterAll(async () => close?.());

const countBans = async () => Number((await db.selectFrom("import_ban").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("import-bans", () => {
  const shipped = readFileSync("questionnaires/data/import-bans.csv", "utf8").trimEnd();
  const header = shipped.split("\n")[0]!;
  // Rows of the shipped list; notes may hold line breaks inside quotes, so count records, not lines.
  const shippedRows = parseImportBans(shipped, "shipped").bans.length;

  it("migrate loaded the shipped list; a valid file replaces it whole", { timeout: 60_000 }, async () => {
    expect(await countBans()).toBe(shippedRows);
    const file = join(dir, "bans.csv");
    writeFileSync(file, `${shipped}\nUS CBP WRO,2024-05-01,CN,,"Example Gloves Co., Ltd.",Example Gloves,disposable gloves,the entity's gloves,active,,,示例手套有限公司；示範手套,yes\n`);
    const result = await cli(["import-bans", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Imported ${shippedRows + 1} orders \\(\\d+ active, \\d+ inactive\\)`));
    expect(await countBans()).toBe(shippedRows + 1);
    const added = await db.selectFrom("import_ban").selectAll().where("entity", "=", "Example Gloves Co., Ltd.").executeTakeFirstOrThrow();
    expect(added).toMatchObject({ country: "CN", status: "active", aliases: JSON.stringify(["Example Gloves"]), name_zh: JSON.stringify(["示例手套有限公司", "示範手套"]) });
    expect(Number(added.covers_group)).toBe(1);
  });

  it("an older file without the optional columns still imports; rows that do not say whether the order covers subsidiaries keep null", { timeout: 60_000 }, async () => {
    const file = join(dir, "old.csv");
    writeFileSync(file, ["source,effective_date,country,region,entity,aliases,products,applies_to,status,status_changed", "US CBP WRO,2021-06-23,CN,,Hoshine Silicon Industry Co. Ltd and subsidiaries,Hoshine,silica-based products,x,active,"].join("\n"));
    const result = await cli(["import-bans", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(await db.selectFrom("import_ban").select(["name_zh", "covers_group"]).execute()).toEqual([{ name_zh: "[]", covers_group: null }]);
    // the shipped list back, for the tests after this one
    expect((await cli(["import-bans", "questionnaires/data/import-bans.csv"])).code).toBe(0);
  });

  it("a file with problems changes nothing and names each problem by line and column", { timeout: 60_000 }, async () => {
    const before = await db.selectFrom("import_ban").select(["id", "status"]).orderBy("id").execute();
    const file = join(dir, "bad.csv");
    writeFileSync(
      file,
      [
        header,
        "US CBP WRO,2024-13-01,MY,,Good Row One Bhd,,gloves,x,active,,",
        "US CBP WRO,2024-02-01,XX,,Bad Country Ltd,,gloves,x,active,,",
        "US CBP WRO,2024-02-02,CN,,,,cotton,x,active,,",
        "US CBP WRO,2024-02-03,CN,,Some Co Ltd,,cotton,x,revoked,,",
        "US CBP WRO,2024-02-04,CN,,Some Other Co Ltd,,,x,active,,",
        "US CBP WRO,2024-02-05,CN,,Bell\u0007 Co Ltd,,cotton,x,active,,",
        "US CBP WRO,2024-02-06,CN,,Zh Co Ltd,,cotton,x,active,,,Zhongwen Co,",
        "US CBP WRO,2024-02-07,CN,,Group Co Ltd,,cotton,x,active,,,,maybe",
        "US CBP WRO,2024-02-08,CN,,Lifted Co Ltd,,cotton,x,inactive,2024-01-01,,,",
      ]
        .map((line, i) => (i === 0 ? line : `${line}${",".repeat(Math.max(0, header.split(",").length - line.split(",").length))}`))
        .join("\n"),
    );
    const result = await cli(["import-bans", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Nothing was imported");
    expect(result.stderr).toContain("line 2, column effective_date: '2024-13-01' is not a date");
    expect(result.stderr).toContain("line 3, column country: 'XX' is not an ISO 3166-1 alpha-2 code");
    expect(result.stderr).toContain("line 4, column entity: name an entity or a region");
    expect(result.stderr).toContain("line 5, column status: 'revoked' must be active or inactive");
    expect(result.stderr).toContain("line 6, column products: is empty");
    expect(result.stderr).toContain("line 7, column entity: contains a control character");
    expect(result.stderr).toContain("line 8, column name_zh: 'Zhongwen Co' has no Chinese characters");
    expect(result.stderr).toContain("line 9, column covers_group: 'maybe' must be yes, no or empty");
    expect(result.stderr).toContain("line 10, column status_changed: 2024-01-01 is before the order's effective_date 2024-02-08");
    expect(await db.selectFrom("import_ban").select(["id", "status"]).orderBy("id").execute()).toEqual(before);
  });

  it("a missing column, an empty list, a file that is not there: refused, nothing changes", { timeout: 60_000 }, async () => {
    const file = join(dir, "cols.csv");
    writeFileSync(file, "source,effective_date,country\nUS CBP WRO,2024-01-01,CN\n");
    const cols = await cli(["import-bans", file]);
    expect(cols.code).toBe(1);
    expect(cols.stderr).toMatch(/line 1: missing columns region, entity, aliases, products, applies_to, status, status_changed/);
    writeFileSync(file, `${header},name-zh\n${shipped.split("\n")[1]},x\n`);
    const misspelt = await cli(["import-bans", file]);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toMatch(/line 1: unknown column name-zh \(the optional columns are note, name_zh, covers_group\)/);
    writeFileSync(file, `${header}\n`);
    expect((await cli(["import-bans", file])).stderr).toMatch(/has no rows/);
    expect((await cli(["import-bans", join(dir, "nope.csv")])).code).toBe(2);
    expect(await countBans()).toBe(shippedRows);
  });
});

describe("score", () => {
  type Scored = { band: { id: string }; overall: number | null; redFlags: Array<{ id: string }>; warnings?: Array<{ questionId: string; code: string; message: string }> };
  /** A complete set of answers for a questionnaire version, changed by `change`, written to a file. */
  const answersFile = (name: string, version: string, change: (answers: Record<string, unknown>) => void = () => {}) => {
    const answers: Record<string, unknown> = plausibleAnswers(questionnaireVersion("msat", version)!, 1);
    change(answers);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(answers));
    return file;
  };
  /** Workers were found to have paid recruitment fees, and whether they were repaid is not said. */
  const feesUnanswered = (answers: Record<string, unknown>) => {
    answers["recruitment.found_fees_paid"] = "yes";
    delete answers["recruitment.fees_repaid"];
  };

  it("lists every problem in the file: unknown question, value not an option, answer to a hidden question, missing answers", { timeout: 60_000 }, async () => {
    const file = join(dir, "answers.json");
    writeFileSync(file, JSON.stringify({ "org.size": "enormous", "no.such": "x", "mapping.has_mapped": "no", "mapping.deepest_tier": "tier2" }));
    const result = await cli(["score", file, "--questionnaire", "msat@1.0.0"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("org.size: 'enormous' is not an option; choose from");
    expect(result.stderr).toContain("no.such: there is no such question in msat 1.0.0");
    expect(result.stderr).toContain("mapping.deepest_tier: answers a question that does not apply given the other answers (it depends on mapping.has_mapped)");
    expect(result.stderr).toContain("recruitment.holds_id_documents: required, and not answered");
    writeFileSync(file, "{not json");
    expect((await cli(["score", file])).stderr).toMatch(/not valid JSON/);
    expect((await cli(["score", file, "--questionnaire", "msat@9.9.9"])).code).toBe(2);
  });

  it("prints the rating with its reasons, as text or JSON", { timeout: 60_000 }, async () => {
    const file = answersFile("id-documents.json", "1.0.0", (a) => (a["recruitment.holds_id_documents"] = "yes"));
    const text = await cli(["score", file, "--questionnaire", "msat@1.0.0"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^Rating: High risk/m);
    expect(text.stdout).toMatch(/RF-ID-DOCS: Workers' identity documents are held/);
    const json = await cli(["score", file, "--questionnaire", "msat@1.0.0", "--format", "json"]);
    const result = JSON.parse(json.stdout) as Scored;
    expect(result.band.id).toBe("high");
    expect(result.redFlags.map((f) => f.id)).toContain("RF-ID-DOCS");
    expect(result).not.toHaveProperty("warnings");
  });

  it("refuses answers that leave a required question unanswered, naming it, and scores nothing", { timeout: 60_000 }, async () => {
    const file = answersFile("fees.json", "1.1.0", feesUnanswered);
    for (const format of ["text", "json"]) {
      const result = await cli(["score", file, "--questionnaire", "msat@1.1.0", "--format", format]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`${file} cannot be scored against msat 1.1.0:`);
      expect(result.stderr).toContain('  recruitment.fees_repaid: required, and not answered ("Have those workers been repaid?")');
      expect(result.stderr).toContain("give --allow-incomplete to score the answers anyway");
    }
  });

  it("refuses an answer to a question the other answers hide, and an invalid value, even with --allow-incomplete", { timeout: 60_000 }, async () => {
    const hidden = answersFile("hidden.json", "1.1.0", (a) => (a["mapping.has_mapped"] = "no"));
    const bad = answersFile("bad.json", "1.1.0", (a) => {
      a["org.size"] = "enormous";
      a["mapping.spend_mapped_pct"] = 150;
      feesUnanswered(a);
    });
    for (const extra of [[], ["--allow-incomplete"]]) {
      const h = await cli(["score", hidden, "--questionnaire", "msat@1.1.0", "--format", "json", ...extra]);
      expect(h.code).toBe(1);
      expect(h.stdout).toBe("");
      expect(h.stderr).toContain("mapping.deepest_tier: answers a question that does not apply given the other answers (it depends on mapping.has_mapped)");
      expect(h.stderr).toContain("mapping.spend_mapped_pct: answers a question that does not apply");
      expect(h.stderr).not.toContain("--allow-incomplete");

      const b = await cli(["score", bad, "--questionnaire", "msat@1.1.0", ...extra]);
      expect(b.code).toBe(1);
      expect(b.stdout).toBe("");
      expect(b.stderr).toContain("org.size: 'enormous' is not an option; choose from");
      expect(b.stderr).toContain("mapping.spend_mapped_pct: Enter a percentage between 0 and 100 (the answer given was 150)");
      expect(b.stderr).toContain("recruitment.fees_repaid: required, and not answered");
    }
  });

  it("with --allow-incomplete scores the answers anyway, warning of each unanswered question (in the JSON too)", { timeout: 60_000 }, async () => {
    const file = answersFile("fees.json", "1.1.0", feesUnanswered);
    const text = await cli(["score", file, "--questionnaire", "msat@1.1.0", "--allow-incomplete"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^Warning: scored with 1 required question unanswered/);
    expect(text.stderr).toContain("  recruitment.fees_repaid: required, and not answered");
    expect(text.stdout).toMatch(/^Rating: /m);

    const json = await cli(["score", file, "--questionnaire", "msat@1.1.0", "--allow-incomplete", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain("recruitment.fees_repaid: required, and not answered");
    const result = JSON.parse(json.stdout) as Scored;
    expect(result.warnings).toEqual([
      { questionId: "recruitment.fees_repaid", code: "required", message: 'recruitment.fees_repaid: required, and not answered ("Have those workers been repaid?")' },
    ]);
  });

  it("scores a complete set as before: no warnings, and --allow-incomplete changes nothing but an empty warnings list", { timeout: 60_000 }, async () => {
    const file = answersFile("complete.json", "1.1.0");
    const plain = await cli(["score", file, "--questionnaire", "msat@1.1.0", "--format", "json"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toBe("");
    const allowed = await cli(["score", file, "--questionnaire", "msat@1.1.0", "--format", "json", "--allow-incomplete"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toBe("");
    const result = JSON.parse(plain.stdout) as Scored;
    expect(result).not.toHaveProperty("warnings");
    expect(result.overall).toEqual(expect.any(Number));
    expect(JSON.parse(allowed.stdout)).toEqual({ ...result, warnings: [] });
  });
});

describe("org", () => {
  it("adds a supplier once: the same slug or company number again is refused, with what already holds it", { timeout: 60_000 }, async () => {
    const added = await cli(["org", "add", "--kind", "supplier", "--slug", "northern-linen", "--name", "Northern Linen Services Ltd", "--company-number", "sc 123456"]);
    expect(added.code, added.stderr).toBe(0);
    const row = await db.selectFrom("organisation").selectAll().where("slug", "=", "northern-linen").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: "supplier", name: "Northern Linen Services Ltd", company_number: "SC123456", country: "GB" });

    const again = await cli(["org", "add", "--kind", "supplier", "--slug", "northern-linen-2", "--name", "Northern Linen", "--company-number", "SC123456"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Company number SC123456 is already registered, as Northern Linen Services Ltd (northern-linen)");
    const slug = await cli(["org", "add", "--kind", "buyer", "--slug", "northern-linen", "--name", "Another Body"]);
    expect(slug.stderr).toContain("The slug 'northern-linen' is already used by Northern Linen Services Ltd");

    const bad = await cli(["org", "add", "--kind", "charity", "--slug", "Bad Slug", "--name", "x", "--company-number", "12345", "--country", "XX"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--kind must be buyer or supplier");
    expect(bad.stderr).toContain("--slug 'Bad Slug'");
    expect(bad.stderr).toContain("--company-number '12345': Enter a Companies House number of 8 characters");
    expect(bad.stderr).toContain("--country 'XX' is not an ISO 3166-1 alpha-2 code");
    expect((await cli(["org", "add", "--slug", "x"])).code).toBe(2); // missing required options

    const list = await cli(["org", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("northern-linen\tsupplier\tNorthern Linen Services Ltd\tSC123456\tGB\t0 users");
    expect(await db.selectFrom("organisation").select("id").where("name", "like", "Northern Linen%").execute()).toHaveLength(1);
  });
});
