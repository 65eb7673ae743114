import type { ShippingGroup } from "../lib/vipps/schemas"
import type { SimPayment, SimShippingAddress } from "./types"

/**
 * The landing page the `redirectUrl` points at: plain HTML (no JavaScript) showing merchant, amount and
 * description, with Approve / Reject forms that POST back to the simulator.
 */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
}

export function formatAmount(value: number, currency: string): string {
  const sign = value < 0 ? "-" : ""
  const abs = Math.abs(value)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`
}

/**
 * What the landing page shows besides the payment: the brand, the age-limit notice, and for Express the
 * delivery address with the shipping options offered for it (or why there are none).
 */
export type LandingOptions = {
  brand?: string
  underAge?: boolean
  express?: { address: SimShippingAddress; groups?: ShippingGroup[]; problem?: string }
}

function page(title: string, content: string, brand = "Vipps MobilePay"): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;background:#f5f5f7;margin:0;padding:2rem}
main{max-width:28rem;margin:auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0001}
h1{font-size:1.25rem;margin-top:0;overflow-wrap:anywhere}.amount{font-size:2rem;font-weight:700;margin:.5rem 0}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem}dt{color:#666}
dd{margin:0;min-width:0;overflow-wrap:anywhere}
.actions{display:flex;gap:1rem;margin-top:1.5rem}.actions form,.actions>button{flex:1}
button{width:100%;min-height:3rem;padding:.75rem;font-size:1rem;border-radius:8px;border:0;cursor:pointer}
#approve{background:#ff5b24;color:#fff}#reject{background:#e5e5ea}
.note{color:#666;font-size:.85rem;margin-top:1.5rem}
fieldset{border:1px solid #e5e5ea;border-radius:8px;margin:1rem 0;padding:.5rem .75rem}
label.option{display:flex;gap:.5rem;align-items:flex-start;padding:.4rem 0}label.option small{display:block;color:#666}
.problem{color:#b00020}
/* Phones (390 px and narrower): less padding, labels above their values, long references wrap. */
@media (max-width:480px){body{padding:1rem .75rem}main{padding:1.25rem}dl{grid-template-columns:minmax(0,1fr);gap:0}
dt{margin-top:.6rem;font-size:.85rem}.actions{gap:.75rem}}
</style>
</head>
<body>
<main>
${content}
<p class="note">${escapeHtml(brand)} simulator: a local test sandbox. No real money moves.</p>
</main>
</body>
</html>
`
}

function details(payment: SimPayment, merchantName: string): string {
  const rows: Array<[string, string]> = [
    ["Merchant", merchantName],
    ["Reference", payment.reference],
  ]
  if (payment.paymentDescription) rows.push(["Description", payment.paymentDescription])
  if (payment.profileScope?.length) rows.push(["Shares", payment.profileScope.join(", ")])
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`
}

/** Merchant legal links (Oct 2026): shown in the app, accepted before paying. */
function legalLinks(payment: SimPayment): string {
  const links = payment.merchantLegalLinks
  if (!links?.termsOfSaleUrl && !links?.privacyPolicyUrl) return ""
  const items = [
    links.termsOfSaleUrl &&
      `<a id="terms" href="${escapeHtml(links.termsOfSaleUrl)}" target="_blank">terms of sale</a>`,
    links.privacyPolicyUrl &&
      `<a id="privacy" href="${escapeHtml(links.privacyPolicyUrl)}" target="_blank">privacy policy</a>`,
  ].filter(Boolean)
  return `<p id="legal">By approving you accept the merchant's ${items.join(" and ")}.</p>`
}

function optionLabel(option: ShippingGroup["options"][number], group: ShippingGroup): string {
  const extra = [option.meta, option.estimatedDelivery].filter(Boolean).join(" · ")
  const brand = group.brand === "OTHER" ? "" : `${group.brand[0]}${group.brand.slice(1).toLowerCase()} · `
  const kind = group.type.toLowerCase().replace(/_/g, " ")
  return `${escapeHtml(option.name)} — ${escapeHtml(formatAmount(option.amount.value, option.amount.currency))}<small>${escapeHtml(brand + kind)}${extra ? ` · ${escapeHtml(extra)}` : ""}</small>`
}

/** Express: the address shared from the profile and the options to pick (inside the approve form). */
function expressSection(express: NonNullable<LandingOptions["express"]>): string {
  const a = express.address
  const address = `<p id="address">Deliver to ${escapeHtml([a.addressLine1, a.addressLine2, `${a.postCode} ${a.city}`, a.country].filter(Boolean).join(", "))}</p>`
  if (!express.groups)
    return `${address}<p class="problem" id="shipping-problem">${escapeHtml(express.problem ?? "No delivery options.")}</p>`
  const defaultGroup = express.groups.find((g) => g.isDefault) ?? express.groups[0]
  const defaultOption = defaultGroup.options.find((o) => o.isDefault) ?? defaultGroup.options[0]
  const options = express.groups
    .flatMap((group) =>
      group.options.map(
        (option) =>
          `<label class="option"><input type="radio" name="shippingOptionId" value="${escapeHtml(option.id)}"${option === defaultOption ? " checked" : ""}><span>${optionLabel(option, group)}</span></label>`,
      ),
    )
    .join("")
  return `${address}<fieldset id="shipping"><legend>Delivery, added to the amount</legend>${options}</fieldset>`
}

export function renderLandingPage(
  payment: SimPayment,
  merchantName: string,
  options: LandingOptions = {},
): string {
  const token = escapeHtml(payment.landingToken)
  const amount = `<p class="amount" id="amount">${escapeHtml(formatAmount(payment.amount.value, payment.amount.currency))}</p>`
  if (payment.state !== "CREATED") {
    return renderStatusPage(payment, merchantName, `This payment is ${payment.state}.`)
  }
  if (options.underAge) {
    // The app explains the age limit; the payment stays CREATED until it expires.
    return page(
      "Age limit",
      `<h1 id="status">You cannot pay for this purchase: an age limit applies.</h1>\n${amount}\n${details(payment, merchantName)}`,
      options.brand,
    )
  }
  return page(
    `Pay ${merchantName}`,
    `<h1>Pay <span id="merchant">${escapeHtml(merchantName)}</span></h1>
${amount}
${details(payment, merchantName)}
${legalLinks(payment)}
${options.express ? `<form id="express" method="post" action="landing/approve"><input type="hidden" name="token" value="${token}">${expressSection(options.express)}</form>` : ""}
<div class="actions">
${
  options.express
    ? options.express.groups
      ? `<button id="approve" type="submit" form="express">Approve</button>`
      : ""
    : `<form method="post" action="landing/approve"><input type="hidden" name="token" value="${token}"><button id="approve" type="submit">Approve</button></form>`
}
<form method="post" action="landing/reject"><input type="hidden" name="token" value="${token}"><button id="reject" type="submit">Reject</button></form>
</div>`,
    options.brand,
  )
}

/** After approve/reject without a return URL (PUSH_MESSAGE, QR) or when the payment can't be acted on. */
export function renderStatusPage(payment: SimPayment, merchantName: string, message: string): string {
  const back = payment.returnUrl
    ? `<p><a id="return" href="${escapeHtml(payment.returnUrl)}">Return to ${escapeHtml(merchantName)}</a></p>`
    : ""
  return page(
    `Payment ${payment.state}`,
    `<h1 id="status">${escapeHtml(message)}</h1>
<p class="amount">${escapeHtml(formatAmount(payment.amount.value, payment.amount.currency))}</p>
${details(payment, merchantName)}
<p>State: <strong id="state">${escapeHtml(payment.state)}</strong></p>
${back}`,
  )
}

export function renderNotFoundPage(): string {
  return page(
    "Payment not found",
    `<h1 id="status">Payment not found</h1><p>The link is invalid or has expired.</p>`,
  )
}
