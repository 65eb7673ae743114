import fs from "node:fs"
import path from "node:path"
import { SystemInfo } from "../../lib/vipps/config"

export const PLUGIN_NAME = "medusa-payment-vipps-mobilepay"

/** Version of the package named `name`, found in the package.json files above `start`. */
function versionAbove(start: string, name: string): string | undefined {
  let dir = start
  for (let i = 0; i < 10; i++) {
    const file = path.join(dir, "package.json")
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string }
      if (pkg.name === name && pkg.version) return pkg.version
    }
    dir = path.dirname(dir)
  }
  return undefined
}

function medusaVersion(): string {
  try {
    return (
      versionAbove(path.dirname(require.resolve("@medusajs/framework/utils")), "@medusajs/framework") ?? "2"
    )
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
    // The source tree and the build sit at different depths below our package.json.
    pluginVersion: versionAbove(__dirname, PLUGIN_NAME) ?? "unknown",
  }
  return cached
}
