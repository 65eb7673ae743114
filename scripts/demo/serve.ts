import path from "node:path"
import { REPOSITORY_ROOT } from "../lib/medusa-process"
import { bold, dim } from "./report"
import type { DemoStore } from "./seed-store"
import { payButtonLabel } from "./storefront"

export type Serving = {
  medusaUrl: string
  store: DemoStore
  admin: { email: string; password: string }
  simulatorUrl: string
  /** The demo's own storefront page, when it runs. */
  demoStorefrontUrl?: string
  storefrontUrl: string
  storeCors: string
  returnUrl: string
  orderId: string
  serverLog: string
  keep: boolean
}

/**
 * The env lines a storefront needs to talk to this store: both Medusa starters' names (the Next.js
 * starter reads MEDUSA_BACKEND_URL, the dtc-starter's apps/storefront NEXT_PUBLIC_MEDUSA_BACKEND_URL).
 */
export function storefrontEnv(s: Pick<Serving, "medusaUrl" | "store" | "storefrontUrl">): string[] {
  return [
    `MEDUSA_BACKEND_URL=${s.medusaUrl}`,
    `NEXT_PUBLIC_MEDUSA_BACKEND_URL=${s.medusaUrl}`,
    `NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY=${s.store.publishableKey}`,
    `NEXT_PUBLIC_DEFAULT_REGION=${s.store.countryCode}`,
    `NEXT_PUBLIC_BASE_URL=${s.storefrontUrl}`,
    `MEDUSA_REGION_ID=${s.store.regionId}`,
  ]
}

export function printServing(s: Serving): void {
  const shop = s.demoStorefrontUrl
    ? `${s.demoStorefrontUrl}   (${payButtonLabel(s.store.currency)}, or Buy now (Express) on the product page and in the cart → simulator → back to the shop)`
    : `${s.storefrontUrl}   (yours)`
  console.log(`
${bold("Running")} (Ctrl+C to stop${s.keep ? "; the database is kept for the next --keep run" : " and drop the demo database"}):
  Storefront            ${shop}
  Medusa store API      ${s.medusaUrl}/store
  Admin dashboard       ${s.medusaUrl}/app
    login               ${s.admin.email} / ${s.admin.password}
    the demo order      ${s.medusaUrl}/app/orders/${s.orderId}
  Vipps MobilePay sim   ${s.simulatorUrl}   (payments: ${s.simulatorUrl}/_simulator/payments)
  Store CORS            ${s.storeCors}
  Return URL            ${s.returnUrl}
  Medusa log            ${path.relative(REPOSITORY_ROOT, s.serverLog)}

${bold("For your storefront")} ${dim("(paste into its .env.local; the Next.js starter and the dtc-starter each read their own names)")}
${storefrontEnv(s).join("\n")}

${dim(`Another storefront: npm run demo -- --serve --keep --storefront-url http://localhost:8000 (STORE_CORS and
the return URL follow it; --return-url / VIPPS_RETURN_URL and --store-cors / STORE_CORS override them).
The admin dashboard is built on first load (development mode): the first page can take a while.`)}`)
}
