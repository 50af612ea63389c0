import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { CONTRACT_STATUS_LABELS, TIER_LABELS, formatMoney } from "../domain/contracts";
import { RISK_CHARACTERISTICS } from "../domain/prioritisation";
import { requireRole } from "../services/auth.server";
import { getContract } from "../services/contract-view.server";
import { countryName } from "../services/countries.server";
import { RISK_ROLES } from "../services/prioritisation.server";
import { contractSupplier } from "../services/contract-supplier.server";
import { invitationsForContract } from "../services/supplier-invitations-list.server";
import { ContractSupplierResult } from "../ui/contract-supplier";
import { ContractInvitations } from "../ui/invitation-status";
import { BackLink, Tag, formatDate, formatDateTime } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";
import { TierTag } from "../ui/tier";
import { plural } from "../domain/text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `${data.contract.reference}: ${data.contract.title}` : "Contract"} – Lantern` }];

const SAVED = ["added", "updated", "risk", "status", "linked", "dismissed"] as const;
type Saved = (typeof SAVED)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const contract = await getContract(user, params.contractId!);
  const invitations = await invitationsForContract(user, contract.id);
  const supplier = await contractSupplier(user, contract.id);
  const search = new URL(request.url).searchParams;
  const saved = search.get("saved");
  return {
    contract,
    invitations,
    supplier,
    invited: search.get("invited")?.slice(0, 320) ?? null,
    countryName: countryName(contract.supplierCountry),
    canEdit: user.role === "admin",
    canAssess: RISK_ROLES.includes(user.role),
    saved: SAVED.includes(saved as Saved) ? (saved as Saved) : null,
  };
}

const day = (iso: string) => formatDate(`${iso}T00:00:00Z`);
const indicators = (n: number) => plural(n, "indicator");

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function Contract() {
  const { contract: c, countryName: country, canEdit, canAssess, saved, invitations, invited, supplier } = useLoaderData<typeof loader>();
  const risk = c.risk;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/contracts">Back to the contract register</BackLink>
        {invited ? <SuccessBanner id="invited">Invitation sent to {invited}</SuccessBanner> : null}
        {saved === "added" ? <SuccessBanner id="saved">Contract {c.reference} added to the register</SuccessBanner> : null}
        {saved === "updated" ? <SuccessBanner id="saved">Contract {c.reference} saved</SuccessBanner> : null}
        {saved === "status" ? <SuccessBanner id="saved">Status of {c.reference} saved: {CONTRACT_STATUS_LABELS[c.status].toLowerCase()}</SuccessBanner> : null}
        {saved === "linked" && supplier.linked ? <SuccessBanner id="saved">Contract {c.reference} linked to {supplier.linked.name}</SuccessBanner> : null}
        {saved === "dismissed" ? <SuccessBanner id="saved">Decision saved: the suppliers offered are not this contract's supplier</SuccessBanner> : null}
        {saved === "risk" && risk ? (
          <SuccessBanner id="saved">
            Risk assessment saved: {indicators(risk.count)} — {risk.priority ? "this is a priority contract" : `this is not a priority contract (priority from ${risk.threshold})`}
          </SuccessBanner>
        ) : null}
        <span className="govuk-caption-l">{c.reference}</span>
        <h1 className="govuk-heading-l">{c.title}</h1>
        {canEdit ? (
          <p className="govuk-body">
            <Link className="govuk-link" to={`/contracts/${c.id}/edit`}>
              Change the contract<span className="govuk-visually-hidden"> {c.reference}</span>
            </Link>
          </p>
        ) : null}
        {c.overAssessmentThreshold ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Over £1m a year: the Cabinet Office expects a risk assessment{risk ? " (done)" : ""}.
            </strong>
          </div>
        ) : null}
        <dl className="govuk-summary-list">
          <Row label="Reference">{c.reference}</Row>
          <Row label="Title">{c.title}</Row>
          <Row label="Supplier">
            {c.supplierName}
            {c.supplierOrganisation ? <span className="govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block">In Lantern as {c.supplierOrganisation.name}</span> : null}
          </Row>
          <Row label="Companies House number">{c.supplierCompanyNumber ?? "Not given"}</Row>
          <Row label="Supplier's country">{country}</Row>
          <Row label="Category">{c.category}</Row>
          <Row label="Annual value">{formatMoney(c.annualValuePence)}</Row>
          <Row label="Total value">{formatMoney(c.totalValuePence)}</Row>
          <Row label="Dates">
            {day(c.startDate)} to {day(c.endDate)}
          </Row>
          <Row label="Status">
            {CONTRACT_STATUS_LABELS[c.status]}
            {c.statusOverrideReason !== null ? (
              <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                Set by hand: {c.statusOverrideReason} (the end date alone gives {CONTRACT_STATUS_LABELS[c.statusByDate].toLowerCase()})
              </p>
            ) : null}
            {canAssess ? (
              <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                <Link className="govuk-link" to={`/contracts/${c.id}/status`}>
                  Change the status<span className="govuk-visually-hidden"> of {c.reference}</span>
                </Link>
              </p>
            ) : null}
          </Row>
          <Row label="Contract manager">
            {c.contractManagerEmail ? (
              <a className="govuk-link" href={`mailto:${c.contractManagerEmail}`}>
                {c.contractManagerEmail}
              </a>
            ) : (
              "Not given"
            )}
          </Row>
          <Row label="Tier">
            <TierTag tier={c.tier} />
            {c.tierOverrideReason !== null ? (
              <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                Set by hand: {c.tierOverrideReason} (the annual value alone gives {TIER_LABELS[c.tierByValue]})
              </p>
            ) : null}
          </Row>
        </dl>

        <h2 className="govuk-heading-m" id="risk">
          Risk prioritisation
        </h2>
        {risk ? (
          <>
            <p className="govuk-body">
              {risk.priority ? (
                <>
                  <Tag colour="red">Priority contract</Tag>{" "}
                </>
              ) : null}
              {indicators(risk.count)} of modern slavery risk present
              {risk.priority ? "" : `: not a priority contract (your department's threshold is ${indicators(risk.threshold)})`}.
            </p>
            <dl className="govuk-summary-list">
              {RISK_CHARACTERISTICS.map((characteristic) => {
                const record = risk.records.find((r) => r.characteristic === characteristic.id);
                return (
                  <Row key={characteristic.id} label={characteristic.label}>
                    {record ? (record.present ? <strong>Indicator present</strong> : "No indicator") : "Not answered"}
                    {record?.note ? <p className="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0 lantern-pre-line">{record.note}</p> : null}
                  </Row>
                );
              })}
            </dl>
            <p className="govuk-body">
              Assessed by {risk.assessedBy ?? "a former user"} on {formatDateTime(risk.assessedAt)}.
            </p>
            {canAssess ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/contracts/${c.id}/risk`}>
                  Change the risk assessment<span className="govuk-visually-hidden"> of {c.reference}</span>
                </Link>
              </p>
            ) : null}
          </>
        ) : (
          <>
            <p className="govuk-body">Not risk-assessed yet.</p>
            {canAssess ? (
              <Link className="govuk-button" to={`/contracts/${c.id}/risk`}>
                Assess risk<span className="govuk-visually-hidden"> of {c.reference}</span>
              </Link>
            ) : null}
          </>
        )}
        <ContractSupplierResult view={supplier} />
        <ContractInvitations contractId={invitations.contractId} invitations={invitations.invitations} canInvite={invitations.canInvite} />
      </div>
    </div>
  );
}
