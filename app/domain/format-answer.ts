/** An answer in words, as a person reads it: for the pages, the PDFs and the conversation guide alike. */
import type { Question } from "../../questionnaires/format";
import type { AnswerValue, GroupRow } from "./answers";
import { ownValue } from "./own-keys";

const YES_NO: Record<string, string> = { yes: "Yes", no: "No", dont_know: "I don't know" };

/** An answer as a person reads it. */
export function formatAnswer(q: Question, value: AnswerValue | null | undefined, countryName: (code: string) => string): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return "Not answered";
  switch (q.type) {
    case "yesno":
      return ownValue(YES_NO, String(value)) ?? String(value);
    case "single":
      return q.options.find((o) => o.value === value)?.label ?? String(value);
    case "multi":
      return (value as string[]).map((v) => q.options.find((o) => o.value === v)?.label ?? v).join("; ");
    case "percent":
      return `${value}%`;
    case "number":
      return q.unit ? `${value} ${q.unit}` : String(value);
    case "country":
      return (Array.isArray(value) ? (value as string[]) : [String(value)]).map(countryName).join("; ");
    case "group":
      return (value as GroupRow[])
        .map((row) =>
          q.fields
            .filter((f) => row[f.id])
            .map((f) => {
              const v = row[f.id]!;
              if (f.type === "country") return countryName(v);
              if (f.type === "single") return f.options?.find((o) => o.value === v)?.label ?? v;
              return v;
            })
            .join(", "),
        )
        .join("; ");
    default:
      return String(value);
  }
}
