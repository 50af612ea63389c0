/**
 * One question as GOV.UK form markup. Inputs are uncontrolled and named by fieldKey, so the same
 * markup posts without JavaScript and is driven by react-hook-form with it. Server-rendered
 * defaults come from `value`.
 */
import { useEffect, useRef } from "react";
import type { UseFormRegister, UseFormSetValue } from "react-hook-form";
import type { Question } from "../../questionnaires/format";
import type { AnswerValue, GroupRow } from "../domain/answers";
import type { Country } from "../../questionnaires/countries";
import { FieldError, Hint, describedBy } from "./fields";

export type FormValues = Record<string, unknown>;

type Props = {
  question: Question;
  fieldKey: string;
  value: AnswerValue | null;
  error?: string;
  countries: Country[];
  register: UseFormRegister<FormValues>;
  setValue: UseFormSetValue<FormValues>;
  /** Rows currently shown for list questions (groups, several countries). */
  rowCount: number;
  onAddRow: () => void;
  onRemoveRow: (index: number) => void;
  prefilled: boolean;
  enhanced: boolean;
};

const YES_NO_LABELS: Record<string, string> = { yes: "Yes", no: "No", dont_know: "I don't know" };

function PrefilledNote({ show }: { show: boolean }) {
  if (!show) return null;
  return <strong className="govuk-tag govuk-tag--blue lantern-prefilled-tag">From your last assessment – confirm or change</strong>;
}

export function QuestionField(props: Props) {
  const { question: q, fieldKey: key, error, prefilled } = props;
  const groupClass = `govuk-form-group${error ? " govuk-form-group--error" : ""}${prefilled ? " lantern-prefilled" : ""}`;

  if (q.type === "yesno" || q.type === "single" || q.type === "multi") {
    const options =
      q.type === "yesno"
        ? (q.dontKnow ? ["yes", "no", "dont_know"] : ["yes", "no"]).map((v) => ({ value: v, label: YES_NO_LABELS[v]!, hint: undefined, exclusive: false }))
        : q.options.map((o) => ({ value: o.value, label: o.label, hint: o.hint, exclusive: o.exclusive ?? false }));
    const multi = q.type === "multi";
    const chosen = Array.isArray(props.value) ? (props.value as string[]) : props.value === null ? [] : [String(props.value)];
    const inline = q.type === "yesno" && !q.dontKnow;
    const registered = props.register(key);
    return (
      <div className={groupClass} id={`${key}-group`}>
        <fieldset className="govuk-fieldset" aria-describedby={describedBy(key, q.help, error)}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{q.text}</legend>
          <PrefilledNote show={prefilled} />
          <Hint id={key} text={multi ? [q.help, "Select all that apply."].filter(Boolean).join(" ") : q.help} />
          <FieldError id={key} message={error} />
          <div className={`${multi ? "govuk-checkboxes govuk-checkboxes--small" : `govuk-radios govuk-radios--small${inline ? " govuk-radios--inline" : ""}`}`}>
            {options.map((o, i) => {
              const id = i === 0 ? key : `${key}-${o.value}`;
              const exclusiveDivider = multi && o.exclusive && i > 0;
              return (
                <div key={o.value}>
                  {exclusiveDivider ? <div className="govuk-checkboxes__divider">or</div> : null}
                  <div className={multi ? "govuk-checkboxes__item" : "govuk-radios__item"}>
                    <input
                      className={multi ? "govuk-checkboxes__input" : "govuk-radios__input"}
                      id={id}
                      type={multi ? "checkbox" : "radio"}
                      value={o.value}
                      defaultChecked={chosen.includes(o.value)}
                      aria-describedby={o.hint ? `${id}-item-hint` : undefined}
                      {...registered}
                      onChange={(event) => {
                        if (multi && event.target.checked) {
                          // "None of these" and the other options rule each other out
                          const current = (event.target.form ? new FormData(event.target.form).getAll(key) : []) as string[];
                          const keep = o.exclusive ? [o.value] : current.filter((v) => !options.find((x) => x.value === v)?.exclusive);
                          if (keep.length !== current.length) {
                            props.setValue(key, keep, { shouldDirty: true });
                            for (const el of Array.from(event.target.form!.elements)) {
                              if (el instanceof HTMLInputElement && el.name === key) el.checked = keep.includes(el.value);
                            }
                          }
                        }
                        return registered.onChange(event);
                      }}
                    />
                    <label className={`govuk-label ${multi ? "govuk-checkboxes__label" : "govuk-radios__label"}`} htmlFor={id}>
                      {o.label}
                    </label>
                    {o.hint ? (
                      <div id={`${id}-item-hint`} className={`govuk-hint ${multi ? "govuk-checkboxes__hint" : "govuk-radios__hint"}`}>
                        {o.hint}
                      </div>
                    ) : null}
                  </div>
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
    );
  }

  if (q.type === "number" || q.type === "percent" || q.type === "text") {
    const label = (
      <h2 className="govuk-label-wrapper">
        <label className="govuk-label govuk-label--s" htmlFor={key}>
          {q.text}
        </label>
      </h2>
    );
    const common = {
      id: key,
      defaultValue: props.value === null ? "" : String(props.value),
      "aria-describedby": describedBy(key, q.help, error),
      ...props.register(key),
    };
    return (
      <div className={groupClass} id={`${key}-group`}>
        {label}
        <PrefilledNote show={prefilled} />
        <Hint id={key} text={q.help} />
        <FieldError id={key} message={error} />
        {q.type === "text" ? (
          <textarea className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} rows={4} maxLength={q.maxLength} {...common} />
        ) : (
          <div className="govuk-input__wrapper">
            <input
              className={`govuk-input govuk-input--width-5${error ? " govuk-input--error" : ""}`}
              type="text"
              inputMode={q.type === "number" ? "numeric" : "decimal"}
              spellCheck={false}
              {...common}
            />
            {q.type === "percent" || q.unit ? (
              <div className="govuk-input__suffix" aria-hidden="true">
                {q.type === "percent" ? "%" : q.unit}
              </div>
            ) : null}
          </div>
        )}
      </div>
    );
  }

  if (q.type === "country" && !q.multiple) {
    return (
      <div className={groupClass} id={`${key}-group`}>
        <h2 className="govuk-label-wrapper">
          <label className="govuk-label govuk-label--s" htmlFor={key}>
            {q.text}
          </label>
        </h2>
        <PrefilledNote show={prefilled} />
        <Hint id={key} text={q.help ?? "Start typing, then choose a country from the list."} />
        <FieldError id={key} message={error} />
        <CountrySelect
          id={key}
          name={key}
          value={typeof props.value === "string" ? props.value : ""}
          countries={props.countries}
          register={props.register}
          setValue={props.setValue}
          enhanced={props.enhanced}
          describedBy={describedBy(key, q.help ?? "x", error)}
          error={!!error}
        />
      </div>
    );
  }

  // lists of rows: a group of fields, or several countries
  const rows = Array.from({ length: props.rowCount }, (_, i) => i);
  const values = Array.isArray(props.value) ? props.value : [];
  const itemName = q.type === "group" ? q.itemName : "country";
  return (
    <div className={groupClass} id={`${key}-group`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(key, q.help, error)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{q.text}</legend>
        <PrefilledNote show={prefilled} />
        <Hint id={key} text={q.help} />
        <FieldError id={key} message={error} />
        {rows.map((i) => (
          <div key={i} className="lantern-group-row" id={`${key}-row-${i}`}>
            {q.type === "group" ? (
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                  {capitalise(itemName)} {i + 1}
                </legend>
                {q.fields.map((f) => {
                  const id = `${key}.${i}.${f.id}`;
                  const current = (values[i] as GroupRow | undefined)?.[f.id] ?? "";
                  const label = (
                    <label className="govuk-label" htmlFor={id}>
                      {f.label}
                      {f.required ? null : " (optional)"}
                    </label>
                  );
                  if (f.type === "country") {
                    return (
                      <div key={f.id} className="govuk-form-group">
                        {label}
                        <CountrySelect id={id} name={id} value={current} countries={props.countries} register={props.register} setValue={props.setValue} enhanced={props.enhanced} />
                      </div>
                    );
                  }
                  if (f.type === "single") {
                    return (
                      <div key={f.id} className="govuk-form-group">
                        {label}
                        <select className="govuk-select" id={id} defaultValue={current} {...props.register(id)}>
                          <option value="">Choose</option>
                          {f.options!.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </div>
                    );
                  }
                  return (
                    <div key={f.id} className="govuk-form-group">
                      {label}
                      <input className="govuk-input" id={id} type="text" maxLength={200} defaultValue={current} {...props.register(id)} />
                    </div>
                  );
                })}
              </fieldset>
            ) : (
              <div className="govuk-form-group">
                <label className="govuk-label" htmlFor={`${key}.${i}`}>
                  Country {i + 1}
                </label>
                <CountrySelect
                  id={`${key}.${i}`}
                  name={`${key}.${i}`}
                  value={typeof values[i] === "string" ? (values[i] as string) : ""}
                  countries={props.countries}
                  register={props.register}
                  setValue={props.setValue}
                  enhanced={props.enhanced}
                />
              </div>
            )}
            <button
              // With JavaScript a row is removed in place: a plain button, so Enter never reaches it.
              type={props.enhanced ? "button" : "submit"}
              name="intent"
              value={`remove:${key}:${i}`}
              className="govuk-button govuk-button--secondary govuk-!-margin-bottom-2"
              onClick={(event) => {
                if (props.enhanced) {
                  event.preventDefault();
                  props.onRemoveRow(i);
                }
              }}
            >
              Remove<span className="govuk-visually-hidden"> {itemName} {i + 1}</span>
            </button>
          </div>
        ))}
        <button
          type={props.enhanced ? "button" : "submit"}
          name="intent"
          value={`add:${key}`}
          className="govuk-button govuk-button--secondary"
          onClick={(event) => {
            if (props.enhanced) {
              event.preventDefault();
              props.onAddRow();
            }
          }}
        >
          Add {rows.length === 0 ? "a" : "another"} {itemName}
        </button>
      </fieldset>
    </div>
  );
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A <select> of countries; with JavaScript, GOV.UK's accessible-autocomplete turns it into a
 * type-ahead field that keeps the select's value in step.
 */
function CountrySelect(props: {
  id: string;
  name: string;
  value: string;
  countries: Country[];
  register: UseFormRegister<FormValues>;
  setValue: UseFormSetValue<FormValues>;
  enhanced: boolean;
  describedBy?: string;
  error?: boolean;
}) {
  const ref = useRef<HTMLSelectElement | null>(null);
  const registered = props.register(props.name);
  const { setValue, name, enhanced } = props;
  useEffect(() => {
    const select = ref.current;
    if (!enhanced || !select || select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    let cancelled = false;
    import("accessible-autocomplete").then((module) => {
      if (cancelled) return;
      const autocomplete = (module.default ?? module) as { enhanceSelectElement: (options: Record<string, unknown>) => void };
      autocomplete.enhanceSelectElement({
        selectElement: select,
        defaultValue: "",
        showAllValues: false,
        dropdownArrow: () => "",
        onConfirm: (label: string | undefined) => {
          const match = Array.from(select.options).find((o) => o.textContent === label);
          if (match) setValue(name, match.value, { shouldDirty: true });
        },
      });
    });
    return () => {
      cancelled = true;
    };
  }, [enhanced, name, setValue]);
  return (
    <select
      className={`govuk-select${props.error ? " govuk-select--error" : ""}`}
      id={props.id}
      defaultValue={props.value}
      aria-describedby={props.describedBy}
      {...registered}
      ref={(el) => {
        registered.ref(el);
        ref.current = el;
      }}
    >
      <option value="">Choose a country</option>
      {props.countries.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
