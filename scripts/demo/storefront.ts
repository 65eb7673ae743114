import http from "node:http"
import type { AddressInfo } from "node:net"

/**
 * A one-page storefront for the demo and the browser test: plain HTML and fetch() against Medusa's store
 * API with the publishable key, doing what a real storefront does (see docs/storefront.md): cart,
 * shipping, Vipps MobilePay session, redirect to `redirectUrl`, and on the return URL complete the cart
 * or wait for the approval. Medusa must allow this origin in STORE_CORS.
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
    if (url.pathname === "/" || url.pathname === "/checkout/vipps/return") {
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

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Store</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;background:#f6f5f3;color:#1f1f1f;margin:0}
header{background:#fff;border-bottom:1px solid #e6e3df;padding:1rem 2rem;font-weight:700;font-size:1.1rem}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:14px;padding:2rem;box-shadow:0 2px 14px #0000000f}
h1{font-size:1.4rem;margin:0 0 .5rem}.muted{color:#6b6b6b}
table{width:100%;border-collapse:collapse;margin:1.25rem 0}td{padding:.35rem 0}td:last-child{text-align:right}
tr.total td{border-top:1px solid #e6e3df;font-weight:700;padding-top:.6rem}
label{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0;font-size:.95rem}
button#pay{display:flex;align-items:center;justify-content:center;gap:.5rem;width:100%;padding:.9rem;border:0;
border-radius:10px;background:#ff5b24;color:#fff;font-size:1.05rem;font-weight:600;cursor:pointer}
button#pay:disabled{opacity:.55;cursor:default}
.badge{display:inline-block;width:1.5rem;height:1.5rem;border-radius:50%;background:#fff;color:#ff5b24;font-weight:800;line-height:1.5rem}
.notice{padding:1rem;border-radius:10px;margin-top:1rem}.ok{background:#e9f7ef;color:#14532d}
.wait{background:#fff7e6;color:#7a4b00}.fail{background:#fdecec;color:#8a1c1c}
a{color:#c2410c}
</style>
</head>
<body>
<header>Demo Store</header>
<main id="app"><p class="muted">Loading…</p></main>
<script>
const app = document.getElementById("app")
const text = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";")
let cfg
async function api(path, init) {
  const response = await fetch(cfg.medusaUrl + path, {
    method: init && init.body ? "POST" : "GET",
    headers: { "content-type": "application/json", "x-publishable-api-key": cfg.publishableKey },
    body: init && init.body ? JSON.stringify(init.body) : undefined,
  })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || "HTTP " + response.status)
  return body
}
const money = (amount) => new Intl.NumberFormat("nb-NO", { style: "currency", currency: cfg.currency.toUpperCase() }).format(amount)
const label = () => (cfg.currency === "nok" ? "Pay with Vipps" : "Pay with MobilePay")

function productPage() {
  const quantity = 2
  app.innerHTML = '<h1 id="product">' + text(cfg.productTitle) + '</h1>' +
    '<p class="muted">Stoneware, 350 ml. Ships from Oslo.</p>' +
    '<table><tr><td>' + quantity + ' × ' + text(cfg.productTitle) + '</td><td>' + money(quantity * cfg.unitPrice) + '</td></tr>' +
    '<tr><td>Shipping</td><td id="shipping">calculated at checkout</td></tr></table>' +
    '<label><input type="checkbox" id="terms"> I accept the terms of sale.</label>' +
    '<button id="pay"><span class="badge">V</span><span>' + label() + '</span></button>' +
    '<div id="status"></div>'
  document.getElementById("pay").addEventListener("click", () => pay(quantity))
}

async function pay(quantity) {
  const button = document.getElementById("pay")
  const status = document.getElementById("status")
  if (!document.getElementById("terms").checked) {
    status.innerHTML = '<div class="notice fail">Please accept the terms of sale first.</div>'
    return
  }
  button.disabled = true
  status.innerHTML = '<div class="notice wait">Preparing your payment…</div>'
  try {
    let { cart } = await api("/store/carts", { body: { region_id: cfg.regionId, email: "shopper@example.com",
      items: [{ variant_id: cfg.variantId, quantity }] } })
    await api("/store/carts/" + cart.id, { body: { shipping_address: { first_name: "Kari", last_name: "Nordmann",
      address_1: "Karl Johans gate 1", postal_code: "0154", city: "Oslo", country_code: cfg.countryCode } } })
    const { shipping_options } = await api("/store/shipping-options?cart_id=" + cart.id)
    ;({ cart } = await api("/store/carts/" + cart.id + "/shipping-methods", { body: { option_id: shipping_options[0].id } }))
    const { payment_collection } = await api("/store/payment-collections", { body: { cart_id: cart.id } })
    const result = await api("/store/payment-collections/" + payment_collection.id + "/payment-sessions",
      { body: { provider_id: cfg.providerId, data: { cart_id: cart.id } } })
    const session = result.payment_collection.payment_sessions.find((s) => s.provider_id === cfg.providerId)
    // Open Vipps MobilePay's page unchanged, as a normal top-level navigation.
    window.location.assign(session.data.redirectUrl)
  } catch (error) {
    button.disabled = false
    status.innerHTML = '<div class="notice fail">' + text(error.message) + '</div>'
  }
}

async function returnPage() {
  // The return URL may open in another browser or tab: everything comes from its query string.
  const params = new URLSearchParams(location.search)
  const reference = params.get("reference")
  if (!reference) { app.innerHTML = '<div class="notice fail">No payment reference in the return link.</div>'; return }
  app.innerHTML = '<h1>Checking your payment…</h1><div id="status" class="notice wait">One moment.</div>'
  const fail = (title, message) => {
    app.innerHTML = '<h1>' + text(title) + '</h1><div id="failure" class="notice fail">' + text(message) + '</div><p><a href="/">Try again</a></p>'
  }
  const deadline = Date.now() + 10 * 60 * 1000
  for (;;) {
    let payment
    try {
      // vipps_token (added to the return URL by the plugin) proves this page may learn the cart and order.
      const token = params.get("vipps_token")
      ;({ payment } = await api("/store/vipps/payments/" + encodeURIComponent(reference) + (token ? "?token=" + encodeURIComponent(token) : "")))
    } catch (error) {
      return fail("Something went wrong", error.message)
    }
    if (payment.status === "failed") return fail("The payment did not go through", payment.failure_reason || "The payment failed.")
    if (payment.status === "authorized") {
      // Completing is idempotent: it returns the order the webhook may already have created.
      const result = await api("/store/carts/" + (params.get("cart_id") || payment.cart_id) + "/complete", { body: {} })
      if (result.type !== "order") return fail("The order could not be placed", (result.error && result.error.message) || "Please contact the shop.")
      const order = result.order
      app.innerHTML = '<h1 id="confirmation">Thank you! Your order is confirmed.</h1>' +
        '<div class="notice ok">Order <strong id="order-number">#' + text(order.display_id) + '</strong> · paid with ' + (cfg.currency === "nok" ? "Vipps" : "MobilePay") + '</div>' +
        '<table><tr><td>Items</td><td>' + money(order.item_total) + '</td></tr><tr><td>Shipping</td><td>' + money(order.shipping_total) + '</td></tr>' +
        '<tr class="total"><td>Total</td><td id="order-total">' + money(order.total) + '</td></tr></table>' +
        '<p class="muted" id="order-id">' + text(order.id) + '</p><p><a href="/">Continue shopping</a></p>'
      return
    }
    if (Date.now() > deadline) {
      app.innerHTML = '<h1>Still waiting</h1><div class="notice wait">We have not seen the approval yet. Your cart is kept; try again later.</div>'
      return
    }
    document.getElementById("status").textContent = "Waiting for approval in the Vipps MobilePay app…"
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

fetch("/config.json").then((r) => r.json()).then((c) => {
  cfg = c
  if (location.pathname === "/checkout/vipps/return") returnPage()
  else productPage()
}, () => { app.innerHTML = '<div class="notice fail">The demo store is not configured.</div>' })
</script>
</body>
</html>
`
