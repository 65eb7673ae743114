const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const testMatch = {
  unit: ["<rootDir>/src/**/__tests__/**/*.unit.spec.ts"],
  integration: ["<rootDir>/integration-tests/**/*.spec.ts"],
}[process.env.TEST_TYPE ?? "unit"]

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true, tsx: true },
          transform: { react: { runtime: "automatic" } },
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.tmp/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch,
  testTimeout: process.env.TEST_TYPE === "integration" ? 180_000 : 20_000,
}
