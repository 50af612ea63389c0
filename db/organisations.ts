/**
 * Adding and listing organisations for operators (the command line): one row per real-world
 * organisation, refused with a specific message when its slug or company number already exists.
 */
import { isCountryCode } from "../questionnaires/countries";
import { normaliseCompanyNumber, slugProblem } from "../app/domain/organisations";
import { hasControlChars } from "../app/domain/text";
import { newId } from "./ids";
import type { Db } from "./index";
import type { OrganisationKind } from "./schema";

export type NewOrganisation = { kind: string; slug: string; name: string; companyNumber?: string; country?: string };

export async function addOrganisation(db: Db, input: NewOrganisation, now = new Date()): Promise<{ ok: true; id: string } | { ok: false; problems: string[] }> {
  const problems: string[] = [];
  if (input.kind !== "buyer" && input.kind !== "supplier") problems.push(`--kind must be buyer or supplier, not '${input.kind}'`);
  const slugError = slugProblem(input.slug);
  if (slugError) problems.push(`--slug '${input.slug}': ${slugError}`);
  const name = input.name.trim();
  if (!name || name.length > 200 || hasControlChars(name)) problems.push("--name must be 1 to 200 characters of plain text");
  let companyNumber: string | null = null;
  if (input.companyNumber !== undefined) {
    if (input.kind === "buyer") problems.push("--company-number is for suppliers; a buyer is a public body");
    const checked = normaliseCompanyNumber(input.companyNumber);
    if (checked.ok) companyNumber = checked.value;
    else problems.push(`--company-number '${input.companyNumber}': ${checked.error}`);
  }
  const country = input.country?.toUpperCase() ?? (input.kind === "supplier" ? "GB" : null);
  if (country && !isCountryCode(country)) problems.push(`--country '${input.country}' is not an ISO 3166-1 alpha-2 code, like GB or MY`);
  if (problems.length > 0) return { ok: false, problems };

  const sameSlug = await db.selectFrom("organisation").select("name").where("slug", "=", input.slug).executeTakeFirst();
  if (sameSlug) problems.push(`The slug '${input.slug}' is already used by ${sameSlug.name}`);
  if (companyNumber) {
    const sameCompany = await db.selectFrom("organisation").select(["name", "slug"]).where("company_number", "=", companyNumber).executeTakeFirst();
    if (sameCompany) problems.push(`Company number ${companyNumber} is already registered, as ${sameCompany.name} (${sameCompany.slug})`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const id = newId();
  await db
    .insertInto("organisation")
    .values({ id, kind: input.kind as OrganisationKind, slug: input.slug, name, company_number: companyNumber, country, created_at: now.toISOString() })
    .execute();
  return { ok: true, id };
}

export async function listOrganisations(db: Db) {
  return db
    .selectFrom("organisation")
    .leftJoin("user", "user.organisation_id", "organisation.id")
    .select(["organisation.slug", "organisation.name", "organisation.kind", "organisation.company_number", "organisation.country", (eb) => eb.fn.count<number>("user.id").as("users")])
    .groupBy(["organisation.id", "organisation.slug", "organisation.name", "organisation.kind", "organisation.company_number", "organisation.country"])
    .orderBy("organisation.kind")
    .orderBy("organisation.slug")
    .execute();
}
