/**
 * Looking up a name that came from outside (a query string, a form field, a file) in an object
 * literal: only the object's own keys count. `name in object` and `object[name]` also find what
 * every object inherits (`constructor`, `toString`, `__proto__`), which then passes for a column,
 * a label or a spelling.
 */
export function isOwnKey<T extends object>(object: T, name: string | null | undefined): name is Extract<keyof T, string> {
  return typeof name === "string" && Object.hasOwn(object, name);
}

/** The object's own entry for a name from outside, or undefined. */
export function ownValue<T>(object: Readonly<Record<string, T>>, name: string | null | undefined): T | undefined {
  return isOwnKey(object, name) ? object[name] : undefined;
}
