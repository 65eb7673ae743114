import fs from "node:fs"
import path from "node:path"
import { SystemInfo } from "../../lib/vipps/config"

export const PLUGIN_NAME = "medusa-payment-vipps-mobilepay"

/** Our version from our package.json, found upward from here (the source tree and the build differ in depth). */
function pluginVersion(): string {
  let dir = __dirname
  for (let i = 0; i < 8; i++) {
    const file = path.join(dir, "package.json")
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string }
      if (pkg.name === PLUGIN_NAME && pkg.version) return pkg.version
    }
    dir = path.dirname(dir)
  }
  return "unknown"
}

function medusaVersion(): string {
  try {
    return (require("@medusajs/framework/package.json") as { version: string }).version
  } catch {
    return "2"
  }
}

let cached: SystemInfo | undefined

/** The Vipps-System-* header values, required for plugins by the Vipps MobilePay checklist. */
export function systemInfo(): SystemInfo {
  cached ??= {
    systemName: "medusa",
    systemVersion: medusaVersion(),
    pluginName: PLUGIN_NAME,
    pluginVersion: pluginVersion(),
  }
  return cached
}
