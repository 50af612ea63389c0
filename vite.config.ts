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

export default defineConfig({
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
  build: { target: "es2022" },
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/domain/**/*.test.ts", "tests/services/**/*.test.ts", "tests/routes/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "browser", include: ["tests/e2e/**/*.test.ts"], globalSetup: ["tests/setup/app-server.ts"], fileParallelism: false },
      },
    ],
  },
});

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
