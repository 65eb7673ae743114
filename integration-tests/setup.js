const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

if (process.env.TEST_TYPE === "integration") {
  // Medusa's test runner re-creates the database from a template before every test (1.1–1.7 s each here,
  // and it cuts the app's connections while the previous test's webhooks may still be syncing). Each suite
  // seeds its store once and every test starts its own carts and payments, so the suite keeps one database.
  const templates = require("@medusajs/test-utils/dist/medusa-test-runner-utils/postgres-template")
  templates.createPostgresDatabaseTemplate = async () => undefined
  templates.restorePostgresDatabaseFromTemplate = async () => undefined
}
