/**
 * Build the app and take a private snapshot of ./build, so another process rebuilding ./build
 * while the benchmark runs cannot pull files from under the server. The snapshot directory gets
 * links to the repository's node_modules and public/ and is what the server runs from.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";
import { sleep } from "./stats";

/** Run a command to completion, capturing its output; reject with the output's tail on failure. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.split("\n").slice(-30).join("\n")}`));
    });
  });
}

/** The asset files the server build names (client assets, and its own, such as a worker's source); all must exist in a consistent build. */
function missingAssets(buildDir: string): string[] {
  const server = readFileSync(join(buildDir, "server/index.js"), "utf8");
  const named = new Set([...server.matchAll(/\/assets\/([\w.-]+\.(?:js|css))/g)].map((m) => m[1]!));
  const serverAssets = join(buildDir, "server/assets");
  const present = new Set([...readdirSync(join(buildDir, "client/assets")), ...(existsSync(serverAssets) ? readdirSync(serverAssets) : [])]);
  return [...named].filter((f) => !present.has(f));
}

/**
 * `npm run build` (unless `build` is false), then copy ./build into `dir`. Retries when another
 * build running at the same time removed files under us (a failed build or an inconsistent copy).
 */
export async function buildSnapshot(dir: string, build: boolean): Promise<{ built: boolean; seconds: number }> {
  const t0 = Date.now();
  let lastError: unknown;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      if (build) await run("npm", ["run", "build"], { ...process.env, NODE_ENV: "production" });
      else if (!existsSync(join(ROOT, "build/server/index.js"))) throw new Error("no such file: build/server/index.js (--no-build given, or another build is running)");
      const target = join(dir, "build");
      mkdirSync(dir, { recursive: true });
      rmSync(target, { recursive: true, force: true });
      cpSync(join(ROOT, "build"), target, { recursive: true, force: true });
      const missing = missingAssets(target);
      if (missing.length > 0) throw new Error(`the copied build lacks ${missing.length} asset(s) its server names, e.g. ${missing[0]}`);
      for (const link of ["node_modules", "public"]) if (!existsSync(join(dir, link))) symlinkSync(join(ROOT, link), join(dir, link));
      return { built: build, seconds: (Date.now() - t0) / 1000 };
    } catch (error) {
      lastError = error;
      const text = error instanceof Error ? error.message : String(error);
      if (!/ENOENT|no such file|lacks \d+ asset/.test(text) || attempt === 4) break;
      console.log(`  build or copy failed because files vanished (another build?); retrying (${attempt})…`);
      await sleep(2000 * attempt);
      build = true;
    }
  }
  throw lastError;
}

/** Where bundleServer writes, inside the snapshot directory. */
export const BUNDLE_FILE = "server.mjs";

/**
 * RSS experiment only: bundle app/http/server.ts (and ./security) with esbuild into one ES module
 * in the snapshot, packages left as imports, so node can run the server without tsx.
 */
export async function bundleServer(dir: string): Promise<void> {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [join(ROOT, "app/http/server.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: join(dir, BUNDLE_FILE),
    logLevel: "warning",
  });
}
