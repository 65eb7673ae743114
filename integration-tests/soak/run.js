#!/usr/bin/env node
/**
 * `npm run soak`: the full fault soak (200 checkouts) through scripts/test.js, so PostgreSQL is found or
 * started as for the integration tests. SOAK_CHECKOUTS / SOAK_CONCURRENCY / SOAK_SEED override the
 * defaults; the result table is printed and written to bench/results/soak.json.
 */
const { spawnSync } = require("node:child_process")
const path = require("node:path")

const root = path.resolve(__dirname, "..", "..")
const result = spawnSync(
  process.execPath,
  [path.join(root, "scripts", "test.js"), "integration", "integration-tests/soak/soak.spec.ts"],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      LOG_LEVEL: "error",
      SOAK_CHECKOUTS: "200",
      SOAK_RESULTS_FILE: path.join(root, "bench", "results", "soak.json"),
      ...process.env,
    },
  },
)
process.exit(result.status ?? 1)
