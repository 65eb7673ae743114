import http from "node:http"
import type { AddressInfo } from "node:net"
import { PAGE } from "./storefront-page"

/**
 * A one-page storefront for the demo and the browser test: plain HTML and fetch() against Medusa's store
 * API with the publishable key, doing what a real storefront does (see docs/storefront.md): cart,
 * shipping, Vipps MobilePay session, redirect to `redirectUrl`, and on the return URL complete the cart
 * or wait for the approval; Express ("Buy now with Vipps") from the product page and the cart. Medusa must
 * allow this origin in STORE_CORS. The page itself is in storefront-page.ts.
 */

export type StorefrontConfig = {
  /** Medusa's URL as the browser reaches it. */
  medusaUrl: string
  publishableKey: string
  regionId: string
  countryCode: string
  currency: string
  productTitle: string
  variantId: string
  unitPrice: number
  providerId: string
}

export type RunningStorefront = {
  url: string
  port: number
  /** The page asks for its configuration at load time, so it can be set after the server started. */
  configure(config: StorefrontConfig): void
  stop(): Promise<void>
}

export async function startStorefront(
  options: { port?: number; host?: string; config?: StorefrontConfig } = {},
): Promise<RunningStorefront> {
  let config = options.config
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://storefront")
    if (req.method !== "GET") {
      res.writeHead(405).end()
      return
    }
    if (url.pathname === "/config.json") {
      if (!config) {
        res
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "not ready" }))
        return
      }
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
      res.end(JSON.stringify(config))
      return
    }
    if (["/", "/cart", "/checkout/vipps/return"].includes(url.pathname)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      res.end(PAGE)
      return
    }
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end()
      return
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found")
  })
  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host}:${port}`,
    port,
    configure(next) {
      config = next
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The Vipps MobilePay button text: Vipps in Norway (NOK), MobilePay in Denmark and Finland (DKK, EUR). */
export function payButtonLabel(currency: string): string {
  return currency.toLowerCase() === "nok" ? "Pay with Vipps" : "Pay with MobilePay"
}
