import { spawnSync } from "node:child_process"
import fs from "node:fs"

/** Debian's chromium; playwright-core drives it (no browser download: the machine may have no network). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Flags for a headless run without outside network; `--user-data-dir` is the fresh profile directory. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
]

/**
 * Makes sure Chromium is installed: installs Debian's package when missing and running as root
 * (`apt-get update`, then `apt-get install -y chromium`). Returns why the browser tests cannot run, or
 * null when Chromium is available.
 */
export function ensureChromium(): string | null {
  if (fs.existsSync(CHROMIUM_PATH)) return null
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    return `Chromium is not installed at ${CHROMIUM_PATH} and the tests do not run as root, so it cannot be installed here (run: apt-get install -y chromium)`
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  const run = (args: string[]) => spawnSync("apt-get", args, { env, encoding: "utf8", timeout: 15 * 60_000 })
  console.log(`Chromium not found at ${CHROMIUM_PATH}: installing Debian's chromium package (apt-get)…`)
  const update = run(["update"])
  const install = update.status === 0 ? run(["install", "-y", "chromium"]) : update
  if (fs.existsSync(CHROMIUM_PATH)) return null
  if (install.status === 0) {
    return `apt-get installed the chromium package, but there is no browser at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`
  }
  const output = `${install.stderr ?? ""}${install.error ? String(install.error) : ""}`
    .trim()
    .split("\n")
    .slice(-3)
    .join(" | ")
  return `Chromium is not installed at ${CHROMIUM_PATH} and apt-get could not install it (exit ${install.status}): ${output}`
}
