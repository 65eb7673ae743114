import crypto from "node:crypto"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { type Json, approveOnLandingPage, ok } from "../../scripts/demo/http"
import { seedDemoDatabase } from "../../scripts/demo/seed-command"
import type { DemoStore } from "../../scripts/demo/seed-store"
import { simulatorCredentials, startDemoSimulator } from "../../scripts/demo/simulator"
import { freePort } from "../../scripts/lib/free-port"
import {
  type MedusaOnFreshDatabase,
  REPOSITORY_ROOT,
  startMedusaOnFreshDatabase,
} from "../../scripts/lib/medusa-process"
import type { RunningSimulator } from "../../src/simulator"
import { poll } from "../helpers/poll"
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium"

/** Screenshots of the browser tests (gitignored). */
export const BROWSER_ARTIFACTS = path.join(__dirname, "artifacts")
const PROVIDER_ID = "pp_vipps_vipps"

export type AdminDashboard = {
  readonly sim: RunningSimulator
  readonly medusa: MedusaOnFreshDatabase
  readonly store: DemoStore
  readonly context: BrowserContext
  readonly auth: { authorization: string }
  /** A shopper's checkout over the store API, approved on the landing page: an order with a reservation. */
  placeOrder(): Promise<{ orderId: string; paymentId: string; reference: string }>
  /** Express from the product page (two of the demo product), approved in the simulator: its order. */
  placeExpressOrder(): Promise<{ orderId: string; reference: string }>
  logIn(page: Page): Promise<void>
}

/**
 * The demo store under `medusa start` with the dashboard in development mode and JWT admin auth, the
 * simulator, a merchant login and a Chromium profile: set up before the suite's tests, torn down after.
 */
export function useAdminDashboard(label: string): AdminDashboard {
  const admin = { email: "merchant@demo.local", password: crypto.randomBytes(12).toString("base64url") }
  let sim: RunningSimulator
  let medusa: MedusaOnFreshDatabase
  let store: DemoStore
  let context: BrowserContext
  let profile: string
  let auth: { authorization: string }

  beforeAll(async () => {
    const port = await freePort()
    const started = await startDemoSimulator(await freePort(), `http://localhost:${port}`)
    sim = started.sim
    // Medusa's logs of the last run (migrate, seed, server) stay here for a look after a failure.
    const logDir = path.join(REPOSITORY_ROOT, ".tmp", `browser-${label}`)
    fs.rmSync(logDir, { recursive: true, force: true })
    medusa = await startMedusaOnFreshDatabase({
      port,
      logDir,
      env: {
        ...process.env,
        // The dashboard is served by Vite's development server in this mode: no separate admin build.
        NODE_ENV: "development",
        ...simulatorCredentials(sim, started.webhookSecret),
        MEDUSA_ADMIN_DISABLED: "false",
        // The dashboard keeps a JWT instead of a cookie session; the widget's SDK client must follow.
        ADMIN_AUTH_TYPE: "jwt",
        ADMIN_CORS: `http://localhost:${port}`,
        AUTH_CORS: `http://localhost:${port}`,
        MEDUSA_DISABLE_TELEMETRY: "true",
        JWT_SECRET: crypto.randomBytes(24).toString("hex"),
        COOKIE_SECRET: crypto.randomBytes(24).toString("hex"),
      },
      beforeStart: async ({ env }) => {
        store = await seedDemoDatabase(env, logDir, admin)
      },
    })
    const { token } = await ok(`${medusa.url}/auth/user/emailpass`, { body: admin })
    auth = { authorization: `Bearer ${token}` }
    profile = fs.mkdtempSync(path.join(os.tmpdir(), `vipps-chromium-${label}-`))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1100 },
    })
    fs.mkdirSync(BROWSER_ARTIFACTS, { recursive: true })
  }, 420_000)

  afterAll(async () => {
    await context?.close()
    if (profile) fs.rmSync(profile, { recursive: true, force: true })
    await medusa?.stop()
    await sim?.stop()
  })

  async function placeOrder(): Promise<{ orderId: string; paymentId: string; reference: string }> {
    const shop = { "x-publishable-api-key": store.publishableKey }
    const { cart } = await ok(`${medusa.url}/store/carts`, {
      headers: shop,
      body: {
        region_id: store.regionId,
        email: "shopper@example.com",
        items: [{ variant_id: store.variantId, quantity: 2 }],
        shipping_address: {
          first_name: "Kari",
          last_name: "Nordmann",
          address_1: "Karl Johans gate 1",
          postal_code: "0154",
          city: "Oslo",
          country_code: store.countryCode,
        },
      },
    })
    await ok(`${medusa.url}/store/carts/${cart.id}/shipping-methods`, {
      headers: shop,
      body: { option_id: store.shippingOptionId },
    })
    const { payment_collection } = await ok(`${medusa.url}/store/payment-collections`, {
      headers: shop,
      body: { cart_id: cart.id },
    })
    const { payment_collection: withSession } = await ok(
      `${medusa.url}/store/payment-collections/${payment_collection.id}/payment-sessions`,
      { headers: shop, body: { provider_id: PROVIDER_ID, data: { cart_id: cart.id } } },
    )
    const session = withSession.payment_sessions.find((s: Json) => s.provider_id === PROVIDER_ID)
    await approveOnLandingPage(session.data.redirectUrl)
    // Idempotent: returns the order the webhook may already have created.
    const completed = await ok(`${medusa.url}/store/carts/${cart.id}/complete`, { headers: shop, body: {} })
    expect(completed.type).toBe("order")
    const { order } = await ok(
      `${medusa.url}/admin/orders/${completed.order.id}?fields=id,*payment_collections.payments`,
      { headers: auth },
    )
    const payment = order.payment_collections[0].payments[0]
    return { orderId: order.id, paymentId: payment.id, reference: session.data.reference }
  }

  async function placeExpressOrder(): Promise<{ orderId: string; reference: string }> {
    const shop = { "x-publishable-api-key": store.publishableKey }
    const { express } = await ok(`${medusa.url}/store/vipps/express`, {
      headers: shop,
      body: { variant_id: store.variantId, quantity: 2, region_id: store.regionId },
    })
    // The shopper keeps the preselected delivery option.
    sim.control.approve(express.reference)
    const orderId = await poll(
      "the Express order",
      async () =>
        (
          await ok(`${medusa.url}/store/vipps/payments/${express.reference}?cart_id=${express.cart_id}`, {
            headers: shop,
          })
        ).payment.order_id as string | null,
      60_000,
    )
    return { orderId, reference: express.reference }
  }

  async function logIn(page: Page) {
    await page.fill('input[name="email"]', admin.email)
    await page.fill('input[name="password"]', admin.password)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => !url.pathname.includes("/login"), { timeout: 60_000 })
  }

  return {
    get sim() {
      return sim
    },
    get medusa() {
      return medusa
    },
    get store() {
      return store
    },
    get context() {
      return context
    },
    get auth() {
      return auth
    },
    placeOrder,
    placeExpressOrder,
    logIn,
  }
}
