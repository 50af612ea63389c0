/**
 * The contract register through its service: importing thousands of rows in one go, all or
 * nothing, updating by reference, and reading pages sorted and filtered, scoped to the department.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../app/services/auth.server";
import { importRegister, listContracts } from "../../app/services/contracts.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

let t: TestDb;
let admin: CurrentUser;
let manager: CurrentUser;
let otherDepartment: CurrentUser;
let supplier: CurrentUser;

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  manager = await userFor(t.db, "manager@dpw.example");
  otherDepartment = await userFor(t.db, "manager@nhs.example");
  supplier = await userFor(t.db, "admin@acme.example");
});
afterAll(async () => t?.close());

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";
const CATEGORIES = ["Cleaning", "Catering", "Construction", "IT hardware"];

function register(count: number, from = 1): string {
  const rows = [HEADER];
  for (let i = from; i < from + count; i++) {
    const annual = (i * 12007) % 60_000_000; // pounds, 0 to 60m
    rows.push(`CON-${String(i).padStart(5, "0")},Contract ${i},Supplier ${i % 300} Ltd,,GB,${CATEGORIES[i % 4]},"${annual.toLocaleString("en-GB")}.00",${annual * 3},01/04/2025,31/03/2028,manager${i % 3}@dpw.example,,`);
  }
  return `${rows.join("\n")}\n`;
}

const count = async () => Number((await t.db.selectFrom("contract").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("importing a register", () => {
  it("imports 5,000 rows in one go, and only an administrator of a buyer may", async () => {
    await expect(importRegister(manager, Buffer.from(register(3)))).rejects.toMatchObject({ init: { status: 403 } });
    await expect(importRegister(supplier, Buffer.from(register(3)))).rejects.toMatchObject({ init: { status: 403 } });
    expect(await importRegister(admin, Buffer.from(register(5000)))).toEqual({ ok: true, added: 5000, updated: 0 });
    expect(await count()).toBe(5000);
  });

  it("updates contracts by reference and adds the new ones", async () => {
    const file = register(10, 4995).replace("Contract 4995,", "Contract 4995 renewed,");
    expect(await importRegister(admin, Buffer.from(file))).toEqual({ ok: true, added: 4, updated: 6 });
    const renewed = await t.db.selectFrom("contract").select("title").where("reference", "=", "CON-04995").executeTakeFirstOrThrow();
    expect(renewed.title).toBe("Contract 4995 renewed");
  });

  it("a file with problems stores nothing and names each by row and column", async () => {
    const before = await count();
    const bad = [HEADER, `NEW-1,Ok,Supplier Ltd,,GB,Cleaning,100,100,01/04/2025,31/03/2026,,,`, `NEW-2,Bad,Supplier Ltd,,GB,Cleaning,-5,100,31/02/2025,31/03/2026,,,`, `NEW-1,Dup,"=HYPERLINK(""http://x"",""y"")",,GB,Cleaning,100,100,01/04/2025,31/03/2026,,platinum,`].join("\n");
    const outcome = await importRegister(admin, Buffer.from(bad));
    expect(outcome.ok).toBe(false);
    const problems = outcome.ok ? [] : outcome.problems.map((p) => `${p.row}:${p.column}`);
    expect(problems).toEqual(expect.arrayContaining(["3:annual_value_gbp", "3:start_date", "4:reference", "4:supplier_name", "4:tier_override"]));
    expect(await count()).toBe(before);
  });
});

describe("reading the register", () => {
  it("pages, sorts and filters, with tiers from the department's thresholds", async () => {
    const first = await listContracts(admin, { sort: "value", direction: "desc", page: 1 });
    expect(first.total).toBe(5004);
    expect(first.contracts).toHaveLength(50);
    const values = first.contracts.map((c) => c.annualValuePence);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(first.contracts[0]!.tier).toBe("gold");
    const gold = await listContracts(admin, { sort: "reference", direction: "asc", tier: "gold", page: 1 });
    expect(gold.contracts.every((c) => c.annualValuePence > 40_000_000_00)).toBe(true);
    const bronze = await listContracts(manager, { sort: "reference", direction: "asc", tier: "bronze", category: "Catering", page: 2 });
    expect(bronze.contracts.every((c) => c.annualValuePence < 5_000_000_00 && c.category === "Catering")).toBe(true);
    const found = await listContracts(manager, { sort: "reference", direction: "asc", search: "CON-0499", page: 1 });
    expect(found.contracts.map((c) => c.reference)).toEqual(["CON-04990", "CON-04991", "CON-04992", "CON-04993", "CON-04994", "CON-04995", "CON-04996", "CON-04997", "CON-04998", "CON-04999"]);
    expect(first.categories).toEqual(CATEGORIES.slice().sort());
  });

  it("another department sees none of it, and a supplier is refused", async () => {
    expect((await listContracts(otherDepartment, { sort: "value", direction: "desc", page: 1 })).total).toBe(0);
    await expect(listContracts(supplier, { sort: "value", direction: "desc", page: 1 })).rejects.toMatchObject({ init: { status: 403 } });
  });
});
