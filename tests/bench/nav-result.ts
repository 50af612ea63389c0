/** What the navigation run measures, and its request waterfall as text (kept apart from nav.ts, which loads playwright). */

export type NavRequest = { method: string; url: string; type: string; startMs: number; endMs?: number; status?: number; bytes?: number; fromCache: boolean };

/** `roundTrips`: requests that went to the server (not answered from Chromium's cache). */
export type Transition = { kind: "save-and-continue" | "task-list-link"; from: string; to: string; ms: number; fullPageLoad: boolean; roundTrips: number; requests: NavRequest[] };

export type ColdLoad = { url: string; loadEventMs: number; headingMs: number; idleMs: number; requests: NavRequest[]; transferBytes: number };

export type NavResult = { latencyMs: number; cpuSlowdown: number; chromium: string; cold: ColdLoad; transitions: Transition[] };

/** "+  26 →  210 ms  POST /assessments/:id/themes/governance.data 202" lines, ids and origin shortened; cache hits marked. */
export function waterfall(requests: NavRequest[]): string[] {
  return requests.map((q) => {
    const path = q.url.replace(/^https?:\/\/[^/]+/, "").replace(/\/assessments\/[0-9a-f-]{36}/g, "/assessments/:id");
    const short = path.length > 90 ? `${path.slice(0, 87)}…` : path;
    return `+${q.startMs.toFixed(0).padStart(5)} → ${q.endMs !== undefined ? q.endMs.toFixed(0).padStart(5) : "    …"} ms  ${q.method.padEnd(4)} ${short}${q.status ? `  ${q.status}` : ""}${q.fromCache ? "  (from cache)" : ""}`;
  });
}
