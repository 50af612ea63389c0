/**
 * Summarise a V8 heap snapshot (written by the server on SIGUSR2 when started with
 * --heapsnapshot-signal): self size by node type, and the largest groups by constructor or name.
 */
import { readFileSync, statSync } from "node:fs";

export type HeapSummary = { fileMiB: number; totalMiB: number; lines: string[] };

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  strings: string[];
};

export function analyseHeapSnapshot(file: string): HeapSummary {
  const fileMiB = statSync(file).size / 1024 / 1024;
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const byType = new Map<string, number>();
  const byName = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? "?";
    const size = snap.nodes[i + sizeAt]!;
    total += size;
    byType.set(type, (byType.get(type) ?? 0) + size);
    let name = type === "object" || type === "closure" || type === "native" ? snap.strings[snap.nodes[i + nameAt]!] ?? "?" : `(${type})`;
    if (name.length > 60) name = `${name.slice(0, 57)}…`;
    const entry = byName.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count += 1;
    byName.set(name, entry);
  }
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  const lines = [
    `snapshot ${fileMiB.toFixed(0)} MiB on disk; ${mib(total)} MiB of live objects`,
    `by type: ${[...byType.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([t, s]) => `${t} ${mib(s)}`).join(", ")} (MiB)`,
    ...[...byName.entries()]
      .sort((a, b) => b[1].size - a[1].size)
      .slice(0, 15)
      .map(([name, e]) => `${mib(e.size).padStart(6)} MiB  ${String(e.count).padStart(7)} × ${name}`),
  ];
  return { fileMiB, totalMiB: total / 1024 / 1024, lines };
}
