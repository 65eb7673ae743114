import crypto from "node:crypto"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core"
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
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureChromium } from "./chromium"

/**
 * Staff in the real admin dashboard (Medusa started with `medusa start`, the dashboard in development
 * mode, JWT admin auth) request what an order edit added: "Request payment with Vipps MobilePay" by push to
 * the customer's phone, see the request waiting, the customer approves in the app (the simulator), and the
 * widget shows it approved while Medusa's payment section lists the new payment. Screenshots in
 * integration-tests/browser/artifacts/.
 */

jest.setTimeout(240_000)

const ARTIFACTS = path.join(__dirname, "artifacts")
const PROVIDER_ID = "pp_vipps_vipps"
const unavailable = ensureChromium()

if (unavailable) {
  // No silent skip: .ci/run installs Debian's chromium, so a machine without it is a broken setup.
  describe("payment requests in the real admin dashboard", () => {
    it("needs Chromium", () => {
      throw new Error(`Chromium is not available: ${unavailable}`)
    })
  })
} else {
  describe("payment requests in the real admin dashboard", () => {
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
      const logDir = path.join(REPOSITORY_ROOT, ".tmp", `browser-request-${process.pid}`)
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
      profile = fs.mkdtempSync(path.join(os.tmpdir(), "vipps-chromium-request-"))
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1440, height: 1100 },
      })
      fs.mkdirSync(ARTIFACTS, { recursive: true })
    }, 420_000)

    afterAll(async () => {
      await context?.close()
      if (profile) fs.rmSync(profile, { recursive: true, force: true })
      await medusa?.stop()
      await sim?.stop()
    })

    /** A shopper's checkout over the store API, approved on the landing page: an order with a reservation. */
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

    async function logIn(page: Page) {
      await page.fill('input[name="email"]', admin.email)
      await page.fill('input[name="password"]', admin.password)
      await page.click('button[type="submit"]')
      await page.waitForURL((url) => !url.pathname.includes("/login"), { timeout: 60_000 })
    }

    /** The order's page; logs in first when the dashboard asks for it. */
    async function openOrder(page: Page, orderId: string) {
      // The first load compiles the dashboard (development mode): slow on a busy machine.
      await page.goto(`${medusa.url}/app/orders/${orderId}`, { timeout: 180_000 })
      const widget = page.getByTestId("vipps-payment-request-widget")
      const login = page.locator('input[name="email"]')
      await widget.or(login).first().waitFor({ timeout: 180_000 })
      if (await login.isVisible()) {
        await logIn(page)
        await page.goto(`${medusa.url}/app/orders/${orderId}`, { timeout: 180_000 })
      }
      await widget.waitFor({ timeout: 60_000 })
    }

    const exactly = (text: string) => new RegExp(`^\\s*${text}\\s*$`)
    const showsText = (locator: Locator, text: string) =>
      locator.filter({ hasText: exactly(text) }).waitFor({ timeout: 30_000 })

    /** The merchant ships the first delivery (capture), then adds a second mug in an order edit. */
    async function orderOwingAMug(orderId: string, paymentId: string) {
      await ok(`${medusa.url}/admin/payments/${paymentId}/capture`, { headers: auth, body: {} })
      await ok(`${medusa.url}/admin/order-edits`, { headers: auth, body: { order_id: orderId } })
      await ok(`${medusa.url}/admin/order-edits/${orderId}/items`, {
        headers: auth,
        body: { items: [{ variant_id: store.variantId, quantity: 1 }] },
      })
      await ok(`${medusa.url}/admin/order-edits/${orderId}/request`, { headers: auth, body: {} })
      await ok(`${medusa.url}/admin/order-edits/${orderId}/confirm`, { headers: auth, body: {} })
    }

    it("staff request an order edit's amount by push and see it approved", async () => {
      const { orderId, paymentId } = await placeOrder()
      await orderOwingAMug(orderId, paymentId)

      const page = await context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      const widget = page.getByTestId("vipps-payment-request-widget")
      const outstanding = page.getByTestId("vipps-request-outstanding")
      await showsText(outstanding, "249.50 NOK")
      await widget.screenshot({ path: path.join(ARTIFACTS, "request-0-outstanding.png") })

      // A wrong number is refused with words staff understand; nothing is sent.
      await page.getByTestId("vipps-request-phone").fill("12")
      await page.getByTestId("vipps-request-send").click()
      await page
        .getByTestId("vipps-request-error")
        .getByText(/country code and number/)
        .waitFor({ timeout: 15_000 })

      page.on("response", (response) => {
        if (response.url().includes("/admin/") && response.status() >= 400)
          pageErrors.push(`${response.status()} ${response.url()}`)
      })
      await page.getByTestId("vipps-request-phone").fill("+47 912 34 567")
      await page.getByTestId("vipps-request-send").click()
      const state = page.getByTestId("vipps-request-state")
      await showsText(state, "Waiting for the customer")
      const { requests } = await ok(`${medusa.url}/admin/vipps/orders/${orderId}/payment-requests`, {
        headers: auth,
      })
      const reference = requests[0].reference as string
      expect(sim.control.getPayment(reference)).toMatchObject({
        userFlow: "PUSH_MESSAGE",
        amount: { value: 24950 },
        customer: { phoneNumber: "4791234567" },
      })
      await widget.screenshot({ path: path.join(ARTIFACTS, "request-1-sent.png") })

      // The customer approves in the app: the widget follows by itself.
      sim.control.approve(reference)
      await showsText(state, "Approved")
      await showsText(outstanding, "0.00 NOK")
      await page.screenshot({ path: path.join(ARTIFACTS, "request-2-approved.png"), fullPage: true })
      await widget.screenshot({ path: path.join(ARTIFACTS, "request-2-approved-widget.png") })

      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("shows a QR code for the counter, and staff cancel it", async () => {
      const { orderId, paymentId } = await placeOrder()
      await orderOwingAMug(orderId, paymentId)
      const page = await context.newPage()
      await openOrder(page, orderId)
      await page.getByTestId("vipps-request-method-qr").click()
      await page.getByTestId("vipps-request-send").click()
      const state = page.getByTestId("vipps-request-state")
      await showsText(state, "Waiting for the customer")
      const qr = page.getByTestId("vipps-request-qr")
      await qr.waitFor({ timeout: 15_000 })
      await poll(
        "the QR image loaded",
        () => qr.evaluate((img: HTMLImageElement) => img.naturalWidth > 0),
        15_000,
      )
      await page.getByTestId("vipps-payment-request-widget").screenshot({
        path: path.join(ARTIFACTS, "request-3-qr.png"),
      })
      await page.getByTestId("vipps-request-cancel").click()
      await showsText(state, "Cancelled")
      const { requests } = await ok(`${medusa.url}/admin/vipps/orders/${orderId}/payment-requests`, {
        headers: auth,
      })
      expect(sim.control.getPayment(requests[0].reference)!.state).toBe("TERMINATED")
      await page.close()
    })
  })
}
