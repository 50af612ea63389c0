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

  it("migrate loaded the shipped list; a valid file replaces it whole", { timeout: 60_000 }, async () => {
    expect(await countBans()).toBe(shipped.split("\n").length - 1);
    const file = join(dir, "bans.csv");
    writeFileSync(file, `${shipped}\nUS CBP WRO,2024-05-01,MY,,"Example Gloves Sdn. Bhd.",Example Gloves,disposable gloves,the entity's gloves,active,,\n`);
    const result = await cli(["import-bans", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Imported 15 orders \(\d+ active, \d+ inactive\)/);
    expect(await countBans()).toBe(15);
    const added = await db.selectFrom("import_ban").selectAll().where("entity", "=", "Example Gloves Sdn. Bhd.").executeTakeFirstOrThrow();
    expect(added).toMatchObject({ country: "MY", status: "active", aliases: JSON.stringify(["Example Gloves"]) });
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
      ].join("\n"),
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
    expect(await db.selectFrom("import_ban").select(["id", "status"]).orderBy("id").execute()).toEqual(before);
  });

  it("a missing column, an empty list, a file that is not there: refused, nothing changes", { timeout: 60_000 }, async () => {
    const file = join(dir, "cols.csv");
    writeFileSync(file, "source,effective_date,country\nUS CBP WRO,2024-01-01,CN\n");
    const cols = await cli(["import-bans", file]);
    expect(cols.code).toBe(1);
    expect(cols.stderr).toMatch(/line 1: missing columns region, entity, aliases, products, applies_to, status, status_changed/);
    writeFileSync(file, `${header}\n`);
    expect((await cli(["import-bans", file])).stderr).toMatch(/has no rows/);
    expect((await cli(["import-bans", join(dir, "nope.csv")])).code).toBe(2);
    expect(await countBans()).toBe(15);
  });
});

describe("score", () => {
  it("lists every problem in the file: unknown question, value not an option, answer to a hidden question", { timeout: 60_000 }, async () => {
    const file = join(dir, "answers.json");
    writeFileSync(file, JSON.stringify({ "org.size": "enormous", "no.such": "x", "mapping.has_mapped": "no", "mapping.deepest_tier": "tier2" }));
    const result = await cli(["score", file, "--questionnaire", "msat@1.0.0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("org.size: Select one of the options");
    expect(result.stderr).toContain("no.such: unknown question");
    expect(result.stderr).toContain("mapping.deepest_tier: answers a question that is hidden");
    writeFileSync(file, "{not json");
    expect((await cli(["score", file])).stderr).toMatch(/not valid JSON/);
    expect((await cli(["score", file, "--questionnaire", "msat@9.9.9"])).code).toBe(2);
  });

  it("prints the rating with its reasons, as text or JSON", { timeout: 60_000 }, async () => {
    const file = join(dir, "answers.json");
    writeFileSync(file, JSON.stringify({ "org.size": "large", "recruitment.holds_id_documents": "yes" }));
    const text = await cli(["score", file, "--questionnaire", "msat@1.0.0"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Rating: High risk/m);
    expect(text.stdout).toMatch(/RF-ID-DOCS: Workers' identity documents are held/);
    const json = await cli(["score", file, "--questionnaire", "msat@1.0.0", "--format", "json"]);
    const result = JSON.parse(json.stdout) as { band: { id: string }; redFlags: Array<{ id: string }> };
    expect(result.band.id).toBe("high");
    expect(result.redFlags.map((f) => f.id)).toEqual(["RF-ID-DOCS"]);
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
