/**
 * The compatibility store of one Medusa version (scripts/compat/run.ts): the packed plugin, the store's
 * install, its CLI commands and `medusa start`, and its admin build.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import axios from "axios"
import { poll } from "../../integration-tests/helpers/poll"

export const ROOT = path.resolve(__dirname, "..", "..")
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, unknown>
  devDependencies: Record<string, string>
}

/** What a store made by create-medusa-app depends on; the plugin's other peers come with them. */
const STORE_PACKAGES = ["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"]
const TARBALL = `${PKG.name}.tgz`

// ── processes ─────────────────────────────────────────────────────────────────────────────────────────

const children = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL")
})

/** Runs a command to completion with its output appended to `logFile`; rejects with the output's tail. */
export function run(
  cmd: string,
  argv: string[],
  cwd: string,
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
) {
  fs.appendFileSync(logFile, `\n$ ${cmd} ${argv.join(" ")}\n`)
  const result = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
  fs.appendFileSync(logFile, `${result.stdout ?? ""}${result.stderr ?? ""}`)
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`
    throw Object.assign(new Error(`${cmd} ${argv.join(" ")} failed (exit ${result.status})`), { output })
  }
  return result.stdout
}

function tail(text: string, lines = 25): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n")
}

/** The first error a Medusa command logged (its JSON log lines), else the output's last line. */
export function firstError(output: string): string {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"level":"error"')) continue
    try {
      return String(JSON.parse(line).message).slice(0, 240)
    } catch {
      // not a log line
    }
  }
  return tail(output, 1).slice(0, 240)
}

/** `medusa start` of the store; resolves once /health answers, with a stop function. */
export async function startMedusa(dir: string, env: NodeJS.ProcessEnv, port: number, logFile: string) {
  const fd = fs.openSync(logFile, "a")
  const child = spawn(
    process.execPath,
    [path.join(dir, "node_modules/@medusajs/cli/cli.js"), "start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: dir, env, stdio: ["ignore", fd, fd] },
  )
  fs.closeSync(fd)
  children.add(child)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  child.once("exit", () => children.delete(child))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    await exited
    clearTimeout(timer)
  }
  try {
    await poll(
      "medusa start answering /health",
      async () => {
        if (child.exitCode !== null) throw new Error(`medusa start exited (${child.exitCode})`)
        const res = await axios.get(`http://127.0.0.1:${port}/health`, {
          timeout: 2000,
          validateStatus: () => true,
        })
        return res.status === 200
      },
      180_000,
      500,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `http://127.0.0.1:${port}`, stop }
}

// ── the package and the store ─────────────────────────────────────────────────────────────────────────

export function packPlugin(logFile: string, build: boolean): string {
  if (build) run("npm", ["run", "build"], ROOT, logFile)
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "vipps-compat-pack-"))
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dest], ROOT, logFile))[0]
  return path.join(dest, packed.filename)
}

/**
 * Writes the store (package.json naming Medusa <version> and the tarball, medusa-config.js, seed.js) and
 * installs it. A cached lockfile keeps every other package; the plugin's entry is dropped so that npm
 * resolves the new tarball and checks its peer ranges again.
 */
export function installStore(dir: string, version: string, tarball: string, logFile: string): void {
  fs.mkdirSync(dir, { recursive: true })
  fs.copyFileSync(tarball, path.join(dir, TARBALL))
  for (const file of ["medusa-config.js", "seed.js"]) {
    fs.copyFileSync(path.join(__dirname, "store", file), path.join(dir, file))
  }
  const dependencies: Record<string, string> = Object.fromEntries(
    STORE_PACKAGES.map((name) => [name, version]),
  )
  dependencies[PKG.name] = `file:./${TARBALL}`
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `vipps-compat-store-${version}`, private: true, dependencies }, null, 2),
  )
  // The cached tree is only reused while the plugin's dependencies and the set of its peers are unchanged:
  // npm chose the store's other packages (e.g. @medusajs/ui) with them in view. A changed peer range needs
  // no new tree: npm checks it again when it re-adds the plugin (ERESOLVE).
  const key = JSON.stringify([
    PKG.dependencies,
    Object.keys(PKG.peerDependencies).sort(),
    PKG.peerDependenciesMeta,
    STORE_PACKAGES,
  ])
  const keyFile = path.join(dir, "cache-key.json")
  const lockFile = path.join(dir, "package-lock.json")
  if (!fs.existsSync(keyFile) || fs.readFileSync(keyFile, "utf8") !== key) {
    fs.rmSync(lockFile, { force: true })
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true })
  }
  if (fs.existsSync(lockFile)) {
    const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"))
    delete lock.packages?.[`node_modules/${PKG.name}`]
    fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2))
  }
  fs.rmSync(path.join(dir, "node_modules", PKG.name), { recursive: true, force: true })
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], dir, logFile)
  fs.writeFileSync(keyFile, key)
  const installed = JSON.parse(
    fs.readFileSync(path.join(dir, "node_modules/@medusajs/medusa/package.json"), "utf8"),
  )
  if (installed.version !== version)
    throw new Error(`installed @medusajs/medusa ${installed.version}, not ${version}`)
}

/** What failed during the install, in a few words. */
export function installFailure(error: unknown): string {
  const output = (error as { output?: string }).output ?? String(error)
  if (/ERESOLVE/.test(output)) {
    const conflict = /Could not resolve dependency:\s*\n(?:npm error )?(peer [^\n]+)/.exec(output)
    return `ERESOLVE${conflict ? `: ${conflict[1]}` : ""}`
  }
  return tail(output, 1).slice(0, 240)
}

/** The store's admin dashboard, built with the plugin's widget in it. */
export function buildDashboard(dir: string, cli: string, env: NodeJS.ProcessEnv, logFile: string): string {
  const out = path.join(dir, ".medusa")
  fs.rmSync(out, { recursive: true, force: true })
  run(process.execPath, [cli, "build", "--admin-only"], dir, logFile, { ...env, COMPAT_ADMIN: "true" })
  const assets = fs
    .readdirSync(out, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .map((file) => path.join(out, file))
  check(assets.length > 0, "medusa build --admin-only wrote no JavaScript")
  check(
    assets.some((file) => fs.readFileSync(file, "utf8").includes("/admin/vipps/payments/")),
    "the admin build does not contain the plugin's widget",
  )
  return "admin dashboard built with the widget"
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
