/**
 * Jest configuration for the benchmarks that need a real Medusa (bench/*.bench.ts), run by
 * bench/run-medusa.js. Separate from jest.config.js so `npm test` never runs them.
 */
const path = require("node:path")
const { loadEnv } = require("@medusajs/framework/utils")

const root = path.resolve(__dirname, "..")
loadEnv("test", root)

module.exports = {
  rootDir: root,
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript", decorators: true, tsx: true } } },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.tmp/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  testMatch: ["<rootDir>/bench/**/*.bench.ts"],
  testTimeout: 30 * 60_000,
}
