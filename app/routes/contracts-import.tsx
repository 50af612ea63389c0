import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { MAX_REGISTER_BYTES, REGISTER_COLUMNS } from "../domain/register-import";
import { requireRole } from "../services/auth.server";
import { importRegister } from "../services/contracts-import.server";
import { readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { BackLink } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction = () => [{ title: "Import contracts – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "buyer", ["admin"]);
  return { columns: REGISTER_COLUMNS.map((c) => ({ name: c.name, required: c.required, description: c.description })), maxBytes: MAX_REGISTER_BYTES };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  // The body is at most the upload limit (app/http/body-limit: 20 MB and the form around it), counted as it arrives.
  const form = await readForm(request);
  const file = form.get("register");
  if (!(file instanceof File) || file.size === 0) {
    return data({ problems: [{ row: 0, column: "", message: "Select a CSV or Excel (.xlsx) file to import" }], done: null }, { status: 400 });
  }
  const outcome = await importRegister(user, Buffer.from(await file.arrayBuffer()));
  if (!outcome.ok) return data({ problems: outcome.problems, done: null }, { status: 400 });
  return { problems: [], done: { added: outcome.added, updated: outcome.updated } };
}

export default function ImportContracts() {
  const { columns, maxBytes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A file over the limit is refused by the server before it is read (a page of its own without
  // JavaScript); with JavaScript it is refused here, on this page, before it is sent.
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const problems = tooLarge ? [{ row: 0, column: "", message: tooLarge }] : (result?.problems ?? []);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/contracts">Back to the contract register</BackLink>
        <ErrorSummary errors={problems.length > 0 ? [{ href: "#register", text: problems.length === 1 ? "The file has a problem: nothing was imported" : `The file has ${problems.length} problems: nothing was imported` }] : []} />
        {result?.done && !tooLarge ? (
          <SuccessBanner id="imported">
            Imported the register: {result.done.added} contracts added, {result.done.updated} updated. <Link className="govuk-notification-banner__link" to="/contracts">View the register</Link>
          </SuccessBanner>
        ) : null}
        <h1 className="govuk-heading-l">Import contracts from a spreadsheet</h1>
        <p className="govuk-body">
          Upload the register as a CSV or Excel (.xlsx) file of up to 20 MB, one contract a row, with the columns below. A
          contract whose reference is already in the register is updated; the others are added. If any row has a problem,
          nothing is imported and every problem is listed by row and column.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/contracts/template.csv" download>
            Download a template (CSV)
          </a>
        </p>
        <Form
          method="post"
          encType="multipart/form-data"
          noValidate
          onSubmit={(event) => {
            const file = (event.currentTarget.elements.namedItem("register") as HTMLInputElement | null)?.files?.[0];
            if (file && file.size > maxBytes) {
              event.preventDefault();
              setTooLarge(`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB: the most it can be is ${maxBytes / 1024 / 1024} MB. Split the register into smaller files`);
            } else setTooLarge(null);
          }}
        >
          <div className={`govuk-form-group${problems.length > 0 ? " govuk-form-group--error" : ""}`}>
            <label className="govuk-label govuk-label--m" htmlFor="register">
              Upload the register
            </label>
            {problems.length > 0 ? (
              <div className="govuk-error-message" id="register-error">
                <span className="govuk-visually-hidden">Error:</span>
                <ul className="govuk-list govuk-list--bullet">
                  {problems.slice(0, 200).map((p, i) => (
                    <li key={i}>{p.row === 0 ? p.message : `Row ${p.row}${p.column ? `, column ${p.column}` : ""}: ${p.message}`}</li>
                  ))}
                </ul>
                {problems.length > 200 ? <p>and {problems.length - 200} more.</p> : null}
              </div>
            ) : null}
            <input className={`govuk-file-upload${problems.length > 0 ? " govuk-file-upload--error" : ""}`} id="register" name="register" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby={problems.length > 0 ? "register-error" : undefined} />
          </div>
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Import
          </button>
        </Form>
        <h2 className="govuk-heading-m">Columns</h2>
        <dl className="govuk-summary-list">
          {columns.map((c) => (
            <div className="govuk-summary-list__row" key={c.name}>
              <dt className="govuk-summary-list__key">
                <code>{c.name}</code>
                {c.required ? "" : " (optional)"}
              </dt>
              <dd className="govuk-summary-list__value">{c.description}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
