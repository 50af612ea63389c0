/** A query string from named values, leaving out those not set (undefined or empty), in the order given. */
export function searchParamsOf(entries: Record<string, string | number | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params;
}
