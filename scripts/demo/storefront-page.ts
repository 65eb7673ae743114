/**
 * The demo storefront's one HTML page (served for `/`, `/cart` and the return URL): plain fetch() against
 * Medusa's store API. The product page pays with a full checkout ("Pay with Vipps"), buys at once with
 * Express ("Buy now with Vipps": `POST /store/vipps/express` with the variant) or adds to the cart; the cart
 * page buys the cart with Express (`{cart_id}`); the return page shows the order. See docs/storefront.md.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Store</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;background:#f6f5f3;color:#1f1f1f;margin:0}
header{background:#fff;border-bottom:1px solid #e6e3df;padding:1rem 2rem;font-weight:700;font-size:1.1rem;display:flex;justify-content:space-between}
header a{font-weight:500;text-decoration:none}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:14px;padding:2rem;box-shadow:0 2px 14px #0000000f}
h1{font-size:1.4rem;margin:0 0 .5rem}.muted{color:#6b6b6b}
table{width:100%;border-collapse:collapse;margin:1.25rem 0}td{padding:.35rem 0}td:last-child{text-align:right}
tr.total td{border-top:1px solid #e6e3df;font-weight:700;padding-top:.6rem}
label{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0;font-size:.95rem}
.buttons{display:flex;flex-direction:column;gap:.6rem}
button.vipps{display:flex;align-items:center;justify-content:center;gap:.5rem;width:100%;padding:.9rem;border:0;
border-radius:10px;background:#ff5b24;color:#fff;font-size:1.05rem;font-weight:600;cursor:pointer}
button.express{background:#fff;color:#ff5b24;border:2px solid #ff5b24}
button.plain{width:100%;padding:.8rem;border:1px solid #cfcac4;border-radius:10px;background:#fff;font-size:1rem;cursor:pointer}
button:disabled{opacity:.55;cursor:default}
.badge{display:inline-block;width:1.5rem;height:1.5rem;border-radius:50%;background:#fff;color:#ff5b24;font-weight:800;line-height:1.5rem}
button.express .badge{background:#ff5b24;color:#fff}
.notice{padding:1rem;border-radius:10px;margin-top:1rem}.ok{background:#e9f7ef;color:#14532d}
.wait{background:#fff7e6;color:#7a4b00}.fail{background:#fdecec;color:#8a1c1c}
a{color:#c2410c}
</style>
</head>
<body>
<header><span>Demo Store</span><a href="/cart" id="cart-link">Cart</a></header>
<main id="app"><p class="muted">Loading…</p></main>
<script>
const app = document.getElementById("app")
const text = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";")
const CART = "demo-cart-id"
let cfg
async function api(path, init) {
  const response = await fetch(cfg.medusaUrl + path, {
    method: (init && init.method) || (init && init.body ? "POST" : "GET"),
    headers: { "content-type": "application/json", "x-publishable-api-key": cfg.publishableKey },
    body: init && init.body ? JSON.stringify(init.body) : undefined,
  })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || "HTTP " + response.status)
  return body
}
const money = (amount) => new Intl.NumberFormat("nb-NO", { style: "currency", currency: cfg.currency.toUpperCase() }).format(amount)
const brand = () => (cfg.currency === "nok" ? "Vipps" : "MobilePay")
const terms = '<label><input type="checkbox" id="terms"> I accept the terms of sale.</label>'
const expressButton = () => '<button id="express" class="vipps express"><span class="badge">V</span><span>Buy now with ' + brand() + '</span></button>'

function productPage() {
  const quantity = 2
  app.innerHTML = '<h1 id="product">' + text(cfg.productTitle) + '</h1>' +
    '<p class="muted">Stoneware, 350 ml. Ships from Oslo.</p>' +
    '<table><tr><td>' + quantity + ' × ' + text(cfg.productTitle) + '</td><td>' + money(quantity * cfg.unitPrice) + '</td></tr>' +
    '<tr><td>Shipping</td><td id="shipping">calculated at checkout</td></tr></table>' + terms +
    '<div class="buttons"><button id="pay" class="vipps"><span class="badge">V</span><span>Pay with ' + brand() + '</span></button>' +
    expressButton() + '<button id="add" class="plain">Add to cart</button></div>' +
    '<p class="muted">Buy now: choose delivery and address in the ' + brand() + ' app.</p><div id="status"></div>'
  document.getElementById("pay").addEventListener("click", () => pay(quantity))
  document.getElementById("express").addEventListener("click", () =>
    express({ variant_id: cfg.variantId, quantity, region_id: cfg.regionId }))
  document.getElementById("add").addEventListener("click", () => addToCart(quantity))
}

function accepted(status) {
  if (document.getElementById("terms").checked) return true
  status.innerHTML = '<div class="notice fail">Please accept the terms of sale first.</div>'
  return false
}

async function pay(quantity) {
  const button = document.getElementById("pay")
  const status = document.getElementById("status")
  if (!accepted(status)) return
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

// Express: one call; address, contact and delivery are chosen in the app, the order is made on approval.
async function express(body) {
  const button = document.getElementById("express")
  const status = document.getElementById("status")
  if (!accepted(status)) return
  button.disabled = true
  status.innerHTML = '<div class="notice wait">Opening ' + brand() + '…</div>'
  try {
    const { express } = await api("/store/vipps/express", { body: { ...body, provider_id: cfg.providerId } })
    window.location.assign(express.redirect_url)
  } catch (error) {
    button.disabled = false
    status.innerHTML = '<div class="notice fail">' + text(error.message) + '</div>'
  }
}

async function addToCart(quantity) {
  const status = document.getElementById("status")
  try {
    let id = localStorage.getItem(CART)
    if (id) {
      const { cart } = await api("/store/carts/" + id + "?fields=completed_at").catch(() => ({}))
      if (!cart || cart.completed_at) id = null
    }
    if (!id) {
      id = (await api("/store/carts", { body: { region_id: cfg.regionId } })).cart.id
      localStorage.setItem(CART, id)
    }
    await api("/store/carts/" + id + "/line-items", { body: { variant_id: cfg.variantId, quantity } })
    location.assign("/cart")
  } catch (error) {
    status.innerHTML = '<div class="notice fail">' + text(error.message) + '</div>'
  }
}

async function cartPage() {
  const id = localStorage.getItem(CART)
  const { cart } = id ? await api("/store/carts/" + id + "?fields=%2Bitems.subtotal").catch(() => ({})) : {}
  if (!cart || cart.completed_at || !cart.items.length) {
    app.innerHTML = '<h1>Your cart</h1><p class="muted" id="empty">Your cart is empty.</p><p><a href="/">Continue shopping</a></p>'
    return
  }
  const rows = cart.items.map((item) => '<tr><td>' + item.quantity + ' × ' + text(item.product_title || item.title) +
    '</td><td>' + money(item.subtotal) + '</td></tr>').join("")
  app.innerHTML = '<h1>Your cart</h1><table id="cart">' + rows +
    '<tr><td>Delivery</td><td>chosen in the ' + brand() + ' app</td></tr>' +
    '<tr class="total"><td>Subtotal</td><td id="cart-subtotal">' + money(cart.item_subtotal) + '</td></tr></table>' + terms +
    '<div class="buttons">' + expressButton() + '</div><div id="status"></div>'
  document.getElementById("express").addEventListener("click", () => express({ cart_id: cart.id }))
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
      const cartId = params.get("cart_id") || payment.cart_id
      const result = await api("/store/carts/" + cartId + "/complete", { body: {} })
      if (result.type !== "order") return fail("The order could not be placed", (result.error && result.error.message) || "Please contact the shop.")
      if (localStorage.getItem(CART) === cartId) localStorage.removeItem(CART)
      return confirmation(result.order)
    }
    if (Date.now() > deadline) {
      app.innerHTML = '<h1>Still waiting</h1><div class="notice wait">We have not seen the approval yet. Your cart is kept; try again later.</div>'
      return
    }
    document.getElementById("status").textContent = "Waiting for approval in the Vipps MobilePay app…"
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

function confirmation(order) {
  const method = (order.shipping_methods || [])[0]
  const a = order.shipping_address
  const address = a && a.address_1 ? [a.first_name && (a.first_name + " " + (a.last_name || "")).trim(), a.address_1,
    ((a.postal_code || "") + " " + (a.city || "")).trim()].filter(Boolean).join(", ") : ""
  app.innerHTML = '<h1 id="confirmation">Thank you! Your order is confirmed.</h1>' +
    '<div class="notice ok">Order <strong id="order-number">#' + text(order.display_id) + '</strong> · paid with ' + brand() + '</div>' +
    '<table><tr><td>Items</td><td>' + money(order.item_total) + '</td></tr>' +
    '<tr><td>Shipping' + (method ? ': <span id="order-shipping">' + text(method.name) + '</span>' : '') + '</td><td>' + money(order.shipping_total) + '</td></tr>' +
    '<tr class="total"><td>Total</td><td id="order-total">' + money(order.total) + '</td></tr></table>' +
    (address ? '<p>Ship to <span id="order-address">' + text(address) + '</span></p>' : '') +
    (order.email ? '<p class="muted">Confirmation sent to <span id="order-email">' + text(order.email) + '</span></p>' : '') +
    '<p class="muted" id="order-id">' + text(order.id) + '</p><p><a href="/">Continue shopping</a></p>'
}

fetch("/config.json").then((r) => r.json()).then((c) => {
  cfg = c
  if (location.pathname === "/checkout/vipps/return") returnPage()
  else if (location.pathname === "/cart") cartPage()
  else productPage()
}, () => { app.innerHTML = '<div class="notice fail">The demo store is not configured.</div>' })
</script>
</body>
</html>
`
