#!/usr/bin/env node
/**
 * The project's test command: `node scripts/test.js unit|integration|all [jest args]`.
 * Integration tests need PostgreSQL: the configured server, or an embedded one started here.
 */
const { spawnSync } = require("node:child_process")
const path = require("node:path")
const { ensurePostgres } = require("./lib/postgres")

const root = path.resolve(__dirname, "..")
const [which = "all", ...jestArgs] = process.argv.slice(2)
const jestBin = require.resolve("jest/bin/jest")

function jest(type, extraEnv, args) {
  const result = spawnSync(
    process.execPath,
    [
      "--experimental-vm-modules",
      "--no-warnings=ExperimentalWarning",
      jestBin,
      "--config",
      "jest.config.js",
      ...args,
      ...jestArgs,
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, TEST_TYPE: type, ...extraEnv },
    },
  )
  return result.status ?? 1
}

async function main() {
  if (!["unit", "integration", "all"].includes(which)) {
    console.error(`usage: node scripts/test.js unit|integration|all [jest args]`)
    return 2
  }
  let status = 0
  if (which !== "integration") {
    status = jest("unit", {}, [])
    if (status !== 0 && which === "all") return status
  }
  if (which !== "unit") {
    const postgres = await ensurePostgres()
    try {
      // Medusa's info logs of every booted app would bury the test report; LOG_LEVEL=info brings them back.
      const env = { LOG_LEVEL: process.env.LOG_LEVEL ?? "error", ...postgres.env }
      // Two suites at a time: a suite spends most of its time waiting (Medusa's boot, webhooks, the
      // browser), so two keep both cores busy. Each suite has its own database, port and simulator.
      // --forceExit: Medusa's test runner leaves handles open after its teardown (Medusa's starter runs its
      // integration tests with the same flag); without it jest never ends.
      const workers = process.env.TEST_WORKERS ?? "2"
      status = jest("integration", env, [`--maxWorkers=${workers}`, "--forceExit"])
    } finally {
      await postgres.stop()
    }
  }
  return status
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
