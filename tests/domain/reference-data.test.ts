import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { listedGoodFrom } from "../../app/domain/rating";
import { loadReferenceData } from "../../questionnaires/reference";
import { ROOT } from "./helpers";

const DATA = resolve(ROOT, "questionnaires/data");
const README = readFileSync(resolve(DATA, "README.md"), "utf8");
/** The README's section on the goods list, with its line breaks read as spaces. */
const goodsSection = README.slice(README.indexOf("## goods-forced-labour.csv"), README.indexOf("## commodities.csv")).replace(/\s+/g, " ");
const rows = parse(readFileSync(resolve(DATA, "goods-forced-labour.csv"), "utf8"), { columns: true }) as Array<Record<string, string>>;
const reference = loadReferenceData(DATA);

describe("goods-forced-labour.csv", () => {
  it("has the columns and values the README describes, one row per country and good", () => {
    const seen = new Set<string>();
    for (const row of rows) {
      const at = `${row.country} ${row.good}`;
      expect(["yes", "no"], at).toContain(row.forced_labour);
      expect(["yes", "no", "unknown"], at).toContain(row.child_labour);
      expect(["dol-tvpra-2022", "dol-tvpra-2024"], at).toContain(row.source);
      expect(row.child_labour === "unknown" ? row.source : "dol-tvpra-2024", `${at}: unknown is only used for 2024 additions`).toBe("dol-tvpra-2024");
      expect(seen.has(at), `${at} appears twice`).toBe(false);
      seen.add(at);
    }
  });

  it("has the totals the README gives", () => {
    const forced = rows.filter((r) => r.forced_labour === "yes").length;
    const goods = new Set(rows.map((r) => r.good)).size;
    const countries = new Set(rows.map((r) => r.country)).size;
    expect([rows.length, forced, goods, countries]).toEqual([468, 135, 166, 79]);
    expect(goodsSection).toContain(`${rows.length} rows: ${goods} goods from ${countries} countries and areas; ${forced} rows list forced labour`);
  });

  it("names every 2024 row in the README's table of 2024 changes, with its source", () => {
    const updated = rows.filter((r) => r.source === "dol-tvpra-2024");
    expect(updated).toHaveLength(13);
    for (const row of updated) expect(goodsSection, `${row.country_name} ${row.good}`).toMatch(new RegExp(`\\| ${row.country_name!.replace(/[(),]/g, "\\$&")} \\| ${row.good!.replace(/[()]/g, "\\$&")} \\|`));
  });

  it("lists the 2024 additions as forced labour, so the goods rule applies to them", () => {
    const listed = listedGoodFrom(reference.forcedLabourGoods, new Map([...reference.commodities].map(([id, c]) => [id, c.goods])));
    expect(listed("CN", "aluminium")).toBe(true);
    expect(listed("CN", "pvc")).toBe(true);
    expect(listed("ID", "minerals")).toBe(true); // nickel
    expect(listed("TD", "minerals")).toBe(true); // gold
    expect(listed("CD", "minerals")).toBe(true); // cobalt ore
    expect(listed("IN", "seafood")).toBe(true); // shrimp
    expect(listed("MM", "seafood")).toBe(true); // fish, and shrimp since 2022
    expect(listed("MU", "garments_textiles")).toBe(true);
    expect(listed("MM", "garments_textiles")).toBe(true);
    expect(listed("GB", "minerals")).toBe(false);
    expect(listed("AR", "cotton")).toBe(false); // child labour only
  });
});

describe("commodities.csv", () => {
  it("maps aluminium and PVC to the goods the 2024 list adds for China", () => {
    expect(reference.commodities.get("aluminium")?.goods).toEqual(["Aluminum"]);
    expect(reference.commodities.get("pvc")?.goods).toEqual(["Polyvinyl Chloride (PVC)"]);
    expect(reference.commodities.get("minerals")?.goods).toContain("Nickel");
    expect(reference.commodities.get("seafood")?.goods).toContain("Squid");
  });
});
