/** Reading a posted form: a body that is not a readable form is the sender's mistake (400/415), never a 500. */
import { data } from "@remix-run/node";
import type { DateParts } from "../domain/dates";

/** The body types a form is sent as; the server refuses others before any route (app/http). */
export const FORM_TYPES: ReadonlySet<string> = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** A Content-Type header's media type, lower case, without parameters. */
export const mediaType = (header: string | null | undefined) => (header ?? "").split(";")[0]!.trim().toLowerCase();

export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.has(mediaType(request.headers.get("content-type")))) {
    throw data({ message: "This page only accepts a submitted form. Go back to the page and submit the form again." }, { status: 415 });
  }
  try {
    return await request.formData();
  } catch {
    throw data({ message: "The form could not be read: it was cut short or garbled on the way. Go back to the page and submit it again." }, { status: 400 });
  }
}

/** A form field as text ("" when absent or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** A GOV.UK date input's three fields (`NAME-day`, `NAME-month`, `NAME-year`) as posted. */
export function dateField(form: FormData, name: string): DateParts {
  return { day: field(form, `${name}-day`), month: field(form, `${name}-month`), year: field(form, `${name}-year`) };
}
