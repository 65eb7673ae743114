/**
 * What `npm run demo -- [flags]` was asked for. Flags win over the environment; both are optional.
 *
 *   --serve                      keep everything running afterwards (store, admin, simulator, storefront)
 *   --keep                       keep the database (and so the publishable key and the admin login)
 *                                between runs; the next run reuses them instead of seeding again
 *   --storefront-url=<url>       STOREFRONT_URL: your storefront (e.g. a Next.js starter on :8000); the
 *                                demo's own storefront page is then not started
 *   --store-cors=<origins>       STORE_CORS: origins allowed to call the store API (default: the storefront)
 *   --return-url=<url>           VIPPS_RETURN_URL: where Vipps MobilePay sends the shopper back; may use
 *                                {reference} and {cart_id} (default: <storefront>/checkout/vipps/return?…)
 *   --port=<port>                MEDUSA_PORT: Medusa's port (default 9000 with --serve when free)
 */

export type DemoOptions = {
  serve: boolean
  keep: boolean
  /** An outside storefront; undefined: the demo starts its own page. */
  storefrontUrl?: string
  storeCors?: string
  returnUrl?: string
  port?: number
}

export const DEFAULT_RETURN_PATH = "/checkout/vipps/return?reference={reference}&cart_id={cart_id}"

export class DemoOptionsError extends Error {}

function flag(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`
  const inline = argv.find((a) => a.startsWith(prefix))
  if (inline) return inline.slice(prefix.length)
  const index = argv.indexOf(`--${name}`)
  if (index >= 0) {
    const value = argv[index + 1]
    if (!value || value.startsWith("--")) throw new DemoOptionsError(`--${name} needs a value`)
    return value
  }
  return undefined
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined
  let url: URL
  try {
    url = new URL(value.replace(/\{(reference|cart_id)\}/g, "x"))
  } catch {
    throw new DemoOptionsError(`${name} is not a URL: ${value}`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DemoOptionsError(`${name} must be an http(s) URL: ${value}`)
  }
  return value.replace(/\/+$/, "")
}

const KNOWN = ["serve", "keep", "storefront-url", "store-cors", "return-url", "port", "help"]

export function parseDemoOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  for (const arg of argv) {
    const name = /^--([a-z-]+)/.exec(arg)?.[1]
    if (arg.startsWith("--") && (!name || !KNOWN.includes(name))) {
      throw new DemoOptionsError(`Unknown option ${arg} (known: ${KNOWN.map((k) => `--${k}`).join(", ")})`)
    }
  }
  const portText = flag(argv, "port") ?? env.MEDUSA_PORT
  const port = portText === undefined || portText === "" ? undefined : Number(portText)
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new DemoOptionsError(`The port must be a number from 1 to 65535: ${portText}`)
  }
  const storeCors = flag(argv, "store-cors") ?? env.STORE_CORS
  return {
    serve: argv.includes("--serve"),
    keep: argv.includes("--keep"),
    storefrontUrl: httpUrl("STOREFRONT_URL", flag(argv, "storefront-url") ?? env.STOREFRONT_URL),
    storeCors: storeCors ? storeCors : undefined,
    returnUrl: httpUrl("VIPPS_RETURN_URL", flag(argv, "return-url") ?? env.VIPPS_RETURN_URL),
    port,
  }
}

export const USAGE = `usage: npm run demo -- [--serve] [--keep] [--storefront-url <url>] [--store-cors <origins>] [--return-url <url>] [--port <port>]
(or STOREFRONT_URL, STORE_CORS, VIPPS_RETURN_URL, MEDUSA_PORT in the environment)`
