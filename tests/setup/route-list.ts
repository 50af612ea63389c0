/**
 * The site map as tests see it: every route of app/routes.ts (nested routes flattened, index routes
 * given the parent's path) with its module loaded, and a probe that calls a loader or action
 * directly and reduces whatever it returns or throws to a status, a location and a body text.
 */
import type { RouteConfigEntry } from "@remix-run/route-config";
import routeConfig from "../../app/routes";

export type RouteEntry = { path: string; file: string };

export function listRoutes(entries: RouteConfigEntry[] = routeConfig, parent = ""): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const entry of entries) {
    const own = entry.index ? "" : (entry.path ?? "");
    const path = [parent, own].filter(Boolean).join("/");
    out.push({ path: `/${path}`, file: entry.file });
    if (entry.children) out.push(...listRoutes(entry.children, path));
  }
  return out;
}

export type RouteModule = Record<string, unknown> & {
  loader?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;
};

export async function loadRouteModule(file: string): Promise<RouteModule> {
  return (await import(/* @vite-ignore */ `../../app/${file}`)) as RouteModule;
}

/** The `:name` segments of a path, in order (a trailing `?` of an optional segment dropped). */
export function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)\??/g)].map((m) => m[1]!);
}

/** The path with each `:param` replaced; a param without a value is an error naming it. */
export function fillPath(path: string, values: Record<string, string>): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = path.replace(/:([A-Za-z0-9_]+)\??/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value of organisation A's data for the route param ':${name}' in ${path}: add one to the test's fixtures`);
    params[name] = value;
    return encodeURIComponent(value);
  });
  if (path.includes("*")) params["*"] = "no-such-page";
  return { url: url.replace("*", "no-such-page"), params };
}

export type Outcome = { how: "returned" | "thrown"; status: number; location: string | null; body: string };

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
const isDataWithInit = (v: unknown): v is DataWithInit => typeof v === "object" && v !== null && (v as { type?: unknown }).type === "DataWithResponseInit";

async function describeValue(value: unknown, how: Outcome["how"]): Promise<Outcome> {
  if (value instanceof Response) {
    const buffer = Buffer.from(await value.arrayBuffer());
    return { how, status: value.status, location: value.headers.get("Location"), body: buffer.toString("latin1") };
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return { how, status: value.init?.status ?? 200, location: headers.get("Location"), body: JSON.stringify(value.data) ?? "" };
  }
  if (how === "thrown") {
    // Anything else thrown (an Error, a bug) is a server error, not a refusal.
    return { how, status: 500, location: null, body: value instanceof Error ? `${value.name}: ${value.message}` : String(value) };
  }
  return { how, status: 200, location: null, body: JSON.stringify(value ?? null) };
}

/** Call a loader (GET) or action (POST) of a module the way the server would. */
export async function probe(module: RouteModule, method: "loader" | "action", request: Request, params: Record<string, string>): Promise<Outcome> {
  const fn = module[method];
  if (typeof fn !== "function") throw new Error(`the module has no ${method}`);
  try {
    return await describeValue(await fn({ request, params, context: {} }), "returned");
  } catch (error) {
    return describeValue(error, "thrown");
  }
}
