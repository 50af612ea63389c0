/** One filter of a list page: a labelled select whose first option means no filter, in a grid column. */
export function SelectFilter({
  id,
  label,
  all,
  value,
  options,
  width = "one-third",
}: {
  id: string;
  label: string;
  all: string;
  value: string | undefined;
  options: Array<[string, string]>;
  width?: "one-third" | "one-quarter";
}) {
  return (
    <div className={`govuk-grid-column-${width}`}>
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor={id}>
          {label}
        </label>
        <select className="govuk-select" id={id} name={id} defaultValue={value ?? ""}>
          <option value="">{all}</option>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
