#!/usr/bin/env node
/**
 * Runs the benchmarks that boot a real Medusa (bench/*.bench.ts) in one jest process with --expose-gc:
 * PostgreSQL as for the integration tests (scripts/lib/postgres.js), Medusa's log level "warn" unless
 * LOG_LEVEL is set. Results land in bench/results/*.json; bench/run.ts prints them.
 */
const { spawnSync } = require("node:child_process")
const path = require("node:path")
const { ensurePostgres } = require("../scripts/lib/postgres")

const root = path.resolve(__dirname, "..")

async function main() {
  const postgres = await ensurePostgres()
  try {
    const jestBin = require.resolve("jest/bin/jest")
    const result = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "--experimental-vm-modules",
        "--no-warnings=ExperimentalWarning",
        jestBin,
        "--config",
        "bench/jest.config.js",
        "--runInBand",
        "--forceExit",
        ...process.argv.slice(2),
      ],
      {
        cwd: root,
        stdio: "inherit",
        env: { LOG_LEVEL: "warn", ...process.env, ...postgres.env },
      },
    )
    return result.status ?? 1
  } finally {
    await postgres.stop()
  }
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
