/**
 * Build the app and copy the build into a folder of its own, so that another build of ./build
 * (another project's, another test run's) can neither pull files from under a running server nor
 * swap in other code. That folder links the repository's node_modules and public; servers run with
 * it as their working directory (the server loads ./build/server/index.js). A build or copy that
 * fails because another build was emptying ./build at that moment is tried again.
 * The default export is the global setup of the "instances" project.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

const run = promisify(execFile);

declare module "vitest" {
  export interface ProvidedContext {
    /** Working directory of the instances: the build copy, with links to node_modules and public. */
    instancesRoot: string;
  }
}

function complete(root: string): boolean {
  return existsSync(join(root, "build/server/index.js")) && readdirSync(join(root, "build/client/assets")).some((f) => f.endsWith(".js"));
}

export default async function setup(project: TestProject) {
  const root = await builtApp("lantern-instances-");
  project.provide("instancesRoot", root);
  return () => rmSync(root, { recursive: true, force: true });
}

/** A fresh build in a temporary folder of its own; the caller removes the folder. */
export async function builtApp(prefix: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(REPOSITORY, "node_modules"), join(root, "node_modules"), "dir");
  symlinkSync(join(REPOSITORY, "public"), join(root, "public"), "dir");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  delete env.VITEST; // vite.config.ts leaves the Remix plugin out under vitest
  for (let attempt = 1; ; attempt++) {
    try {
      await run("npx", ["remix", "vite:build"], { cwd: REPOSITORY, env, maxBuffer: 64 * 1024 * 1024 });
      rmSync(join(root, "build"), { recursive: true, force: true });
      cpSync(join(REPOSITORY, "build"), join(root, "build"), { recursive: true });
      if (!complete(root)) throw new Error("the build folder was incomplete when copied");
      break;
    } catch (error) {
      if (attempt === 3) {
        rmSync(root, { recursive: true, force: true });
        throw new Error(`The app did not build: ${(error as { stderr?: string }).stderr ?? String(error)}`);
      }
    }
  }
  return root;
}
