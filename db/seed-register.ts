/**
 * A demo contract register for the Department for Public Works: a few hundred fictional contracts
 * across the categories procurement guidance names as higher risk and some that are not, with
 * values spread from tens of thousands to tens of millions of pounds, so every tier shows. Most
 * are live, ending one to four years after the year it is seeded in; one in six ended in the three
 * years before, so the register's status filter has history to leave out; two have their status
 * set by hand (one terminated early, one extended while the paperwork catches up).
 * Deterministic for a given year, so the demo looks the same every time. Added by
 * `npm run cli -- setup` only.
 */
import { newId } from "./ids";
import type { Db } from "./index";

const CATEGORIES = [
  "Cleaning",
  "Catering",
  "Security services",
  "Construction",
  "Facilities management",
  "IT hardware",
  "Uniforms and textiles",
  "Personal protective equipment",
  "Logistics and warehousing",
  "Consultancy",
  "Software",
  "Office supplies",
];
const SUPPLIER_WORDS = ["Northgate", "Riverside", "Harbour", "Meridian", "Oakfield", "Summit", "Kestrel", "Beacon", "Larch", "Granite", "Willow", "Crescent"];
const SUPPLIER_KINDS = ["Services", "Solutions", "Group", "Supplies", "Contractors", "Partners"];

/** A small deterministic generator (mulberry32): the same register on every machine. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Contracts whose status a contract manager set by hand, by their place in the register. */
const HAND_SET = new Map<number, { status: "live" | "ended"; reason: string }>([
  [12, { status: "ended", reason: "Terminated early by agreement: the service moved in-house" }],
  [41, { status: "live", reason: "Extended by six months while the variation is signed" }],
]);

export async function seedDemoRegister(db: Db, organisationId: string, now = new Date(), count = 300): Promise<void> {
  const next = random(2026);
  const at = now.toISOString();
  const thisYear = now.getUTCFullYear();
  const rows = Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!;
    // log-uniform between £20k and £90m a year
    const annualPounds = Math.round(Math.exp(Math.log(20_000) + next() * (Math.log(90_000_000) - Math.log(20_000))));
    const years = 1 + Math.floor(next() * 5);
    const draw = Math.floor(next() * 4);
    const startMonth = 1 + Math.floor(next() * 12);
    // Live contracts end 1 to 4 years after this year; one in six ended 1 to 3 years before it.
    const ended = i % 6 === 5;
    const endYear = ended ? thisYear - 1 - (draw % 3) : thisYear + 1 + draw;
    // None starts after this year: a contract let years ahead is not yet in a register.
    const startYear = Math.min(endYear - years, thisYear);
    const override = HAND_SET.get(i);
    const supplier = i % 37 === 0 ? "Acme Facilities Ltd" : i % 41 === 0 ? "Brightwear Textiles Ltd" : `${SUPPLIER_WORDS[Math.floor(next() * SUPPLIER_WORDS.length)]} ${SUPPLIER_KINDS[Math.floor(next() * SUPPLIER_KINDS.length)]} Ltd`;
    const pad = (n: number) => String(n).padStart(2, "0");
    return {
      id: newId(),
      organisation_id: organisationId,
      reference: `PW-${startYear}-${String(i + 1).padStart(4, "0")}`,
      title: `${category} ${["for the north region", "for the south region", "at head office", "nationally", "for regional offices"][i % 5]}`,
      supplier_name: supplier,
      supplier_company_number: null,
      supplier_country: "GB",
      supplier_organisation_id: null,
      category,
      annual_value_pence: annualPounds * 100,
      total_value_pence: annualPounds * 100 * (endYear - startYear),
      start_date: `${startYear}-${pad(startMonth)}-01`,
      end_date: `${endYear}-${pad(startMonth)}-01`,
      contract_manager_email: i % 4 === 0 ? null : "manager@dpw.example",
      tier_override: null,
      tier_override_reason: null,
      status_override: override?.status ?? null,
      status_override_reason: override?.reason ?? null,
      created_at: at,
      updated_at: at,
    };
  });
  for (let i = 0; i < rows.length; i += 100) await db.insertInto("contract").values(rows.slice(i, i + 100)).execute();
}
