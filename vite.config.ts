/// <reference types="vitest/config" />
import { cpSync, existsSync } from "node:fs";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";

/** GOV.UK Frontend's fonts and images are served from /assets, as its stylesheet expects. */
function govukAssets(): Plugin {
  return {
    name: "govuk-assets",
    buildStart() {
      const from = "node_modules/govuk-frontend/dist/govuk/assets";
      if (existsSync(from)) cpSync(from, "public/assets", { recursive: true });
    },
  };
}

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [
    govukAssets(),
    !process.env.VITEST &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
      }),
  ],
  server: { port: 3000 },
  build: {
    target: "es2022",
    rollupOptions: {
      output: {
        // Fewer, larger chunks: a first page load fetches a handful of scripts, not a dozen small
        // ones. The framework changes rarely, so it stays cached across deploys.
        manualChunks: isSsrBuild ? undefined : (id: string) => {
          if (/node_modules\/(react|react-dom|scheduler|@remix-run|turbo-stream)\//.test(id)) return "framework";
          if (/\/app\/(ui|domain)\//.test(id) || id.includes("vite/preload-helper")) return "shared";
          return undefined;
        },
      },
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/domain/**/*.test.ts", "tests/services/**/*.test.ts", "tests/routes/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "browser", include: ["tests/e2e/**/*.test.ts"], globalSetup: ["tests/setup/app-server.ts"], fileParallelism: false, expect: { poll: { timeout: 15_000 } } },
      },
      {
        // Several built app instances on one database (tests/instances/). A group of its own, so its
        // servers do not share the two cores with the unit tests; its build (a global setup) runs
        // before any test starts, and the instances run from a copy of it.
        extends: true,
        test: {
          name: "instances",
          include: ["tests/instances/**/*.test.ts"],
          globalSetup: ["tests/setup/built-app.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
}));

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
