/**
 * Installs the plugin as a store owner would: `npm pack`, install the tarball into a throwaway Medusa app,
 * migrate its database, boot it with `medusa exec` and check the provider is registered from the tarball.
 */
import { execFileSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/medusa-process"

const root = path.resolve(__dirname, "../..")
const medusaBin = path.join(root, "node_modules/.bin/medusa")

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout?.slice(-3000)}\n${stderr?.slice(-3000)}`)
  }
}

describe("the published package", () => {
  const dir = path.join(root, ".tmp", `store-${process.pid}`)
  let database: FreshDatabase | undefined

  beforeAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    database = await freshDatabase({ name: `vipps_package_${process.pid}` })
  })

  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    await database?.drop()
    await database?.close()
  })

  it("installs from its tarball and registers pp_vipps_vipps in a fresh store", () => {
    if (!fs.existsSync(path.join(root, ".medusa/server/src/providers/vipps/index.js"))) {
      run(medusaBin, ["plugin:build"], root)
    }
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], root))[0]
    const files: string[] = packed.files.map((f: { path: string }) => f.path)
    expect(files).toContain(".medusa/server/src/providers/vipps/index.js")
    expect(files).toContain("package.json")
    expect(
      files.filter(
        (f) => !f.startsWith(".medusa/server/") && !/^(package\.json|README\.md|LICENSE)$/.test(f),
      ),
    ).toEqual([])
    expect(files.some((f) => f.includes("__tests__"))).toBe(false)

    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: "throwaway-store",
        private: true,
        dependencies: { [packed.name]: `file:./${packed.filename}` },
      }),
    )
    fs.writeFileSync(
      path.join(dir, "medusa-config.js"),
      `const { defineConfig } = require("@medusajs/framework/utils")
module.exports = defineConfig({
  projectConfig: { databaseUrl: process.env.DATABASE_URL, http: { jwtSecret: "x", cookieSecret: "x" } },
  admin: { disable: true },
  plugins: [{ resolve: "medusa-payment-vipps-mobilepay", options: {} }],
  modules: [{
    resolve: "@medusajs/medusa/payment",
    options: { providers: [{
      resolve: "medusa-payment-vipps-mobilepay/providers/vipps",
      id: "vipps",
      options: { clientId: "id", clientSecret: "secret", subscriptionKey: "key", merchantSerialNumber: "123456",
                 testMode: true, returnUrl: "https://shop.example/return?ref={reference}" },
    }] },
  }],
})
`,
    )
    fs.writeFileSync(
      path.join(dir, "check.js"),
      `exports.default = async ({ container }) => {
  const providers = await container.resolve("payment").listPaymentProviders({})
  const entry = require.resolve("medusa-payment-vipps-mobilepay/providers/vipps", { paths: [process.cwd()] })
  console.log("RESULT " + JSON.stringify({ providers: providers.map((p) => p.id), entry }))
}
`,
    )
    // Medusa itself comes from the repository's node_modules (the folder is inside it); peers are not re-installed.
    run("npm", ["install", "--no-audit", "--no-fund", "--legacy-peer-deps", "--prefer-offline"], dir)
    // The medusa CLI only runs in a folder whose package.json names @medusajs/medusa.
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
    pkg.dependencies["@medusajs/medusa"] = "2.21.2"
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2))
    const env = { DATABASE_URL: database!.url }
    run(medusaBin, ["db:migrate", "--execute-safe-links"], dir, env)
    const output = run(medusaBin, ["exec", "./check.js"], dir, env)
    const result = JSON.parse(/RESULT (.*)/.exec(output)![1])
    expect(result.providers).toContain("pp_vipps_vipps")
    expect(result.entry).toBe(
      fs.realpathSync(
        path.join(
          dir,
          "node_modules/medusa-payment-vipps-mobilepay/.medusa/server/src/providers/vipps/index.js",
        ),
      ),
    )
  })
})
