import { defineConfig } from "vitest/config";

const packages = ["core", "storage-garage", "service-mastodon", "service-pixelfed", "service-peertube", "cli"];

export default defineConfig({
  test: {
    projects: [
      ...packages.map((name) => ({
        resolve: { conditions: ["source", "import", "module", "node", "default"] },
        ssr: { resolve: { conditions: ["source", "import", "node", "default"] } },
        test: {
          name,
          root: `packages/${name}`,
          include: ["test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The AWS SDK warns once per process that its 2027 releases need Node 22; the pinned lockfile version
          // supports Node 20. Keep test output readable.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
          // The cli tests run the built `fedi`: their global setup builds the packages whose dist/ is stale.
          ...(name === "cli" ? { globalSetup: ["test/global-setup.ts"] } : {}),
        },
      })),
      // The example third-party plugin (examples/plugin-gotosocial), tested as its author would: with core's kit.
      {
        resolve: { conditions: ["source", "import", "module", "node", "default"] },
        ssr: { resolve: { conditions: ["source", "import", "node", "default"] } },
        test: {
          name: "plugin-gotosocial",
          root: "examples/plugin-gotosocial",
          include: ["test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // Tests of the benchmarks' helpers (the latency proxy); the benchmarks themselves run with `npm run bench`.
      { test: { name: "bench", root: "bench", include: ["*.test.ts"] } },
    ],
  },
});
