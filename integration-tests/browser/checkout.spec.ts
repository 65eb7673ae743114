import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import type { IFulfillmentModuleService, IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createShippingOptionsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { DEMO_PRODUCT, DEMO_SHIPPING, type DemoStore, seedDemoStore } from "../../scripts/demo/seed-store"
import { startStorefront, type RunningStorefront } from "../../scripts/demo/storefront"
import { useSimulator } from "../helpers/simulator"
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureChromium } from "./chromium"

/**
 * A shopper in a real (headless) browser: the demo storefront page talks to Medusa's store API with the
 * publishable key, the Pay with Vipps button leads to the simulator's landing page, Approve brings the
 * shopper back, and the storefront shows the order confirmation. Express: "Buy now with Vipps" on the
 * product page and in the cart, the delivery option chosen on the landing page, the order page showing it.
 */

jest.setTimeout(180_000)

type OrderRow = {
  id: string
  total: unknown
  payment_collections?: { payments?: { id: string; data?: { reference?: string } }[] }[]
}

const unavailable = ensureChromium()
const ARTIFACTS = path.join(__dirname, "artifacts")
const SCREENSHOT = path.join(ARTIFACTS, "checkout-confirmation.png")

if (unavailable) {
  // No silent skip: .ci/run installs Debian's chromium, so a machine without it is a broken setup.
  describe("checkout in a real browser", () => {
    it("needs Chromium", () => {
      throw new Error(`Chromium is not available: ${unavailable}`)
    })
  })
} else {
  const sim = useSimulator({ webhooks: true })
  let storefront: RunningStorefront
  const previous = { STOREFRONT_URL: process.env.STOREFRONT_URL, STORE_CORS: process.env.STORE_CORS }

  // Before Medusa boots: medusa-config.ts reads the storefront's origin (return URL and store CORS).
  beforeAll(async () => {
    storefront = await startStorefront()
    process.env.STOREFRONT_URL = storefront.url
    process.env.STORE_CORS = storefront.url
  })
  afterAll(async () => {
    await storefront?.stop()
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let context: BrowserContext
      let profile: string
      let store: DemoStore

      beforeAll(async () => {
        store = await seedDemoStore(getContainer())
        storefront.configure({
          medusaUrl: String(api.defaults.baseURL),
          publishableKey: store.publishableKey,
          regionId: store.regionId,
          countryCode: store.countryCode,
          currency: store.currency,
          productTitle: store.productTitle,
          variantId: store.variantId,
          unitPrice: store.unitPrice,
          providerId: "pp_vipps_vipps",
        })
        profile = fs.mkdtempSync(path.join(os.tmpdir(), "vipps-chromium-"))
        context = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM_PATH,
          headless: true,
          args: CHROMIUM_ARGS,
          viewport: { width: 900, height: 820 },
        })
      })

      afterAll(async () => {
        await context?.close()
        if (profile) fs.rmSync(profile, { recursive: true, force: true })
      })

      /** Script errors, and failed or refused calls (e.g. CORS) from the storefront and to Medusa. */
      function watchErrors(page: Page): string[] {
        const pageErrors: string[] = []
        const watched = (url: string) =>
          url.startsWith(storefront.url) || url.startsWith(String(api.defaults.baseURL))
        page.on("pageerror", (error) => pageErrors.push(error.message))
        page.on("requestfailed", (request) => {
          if (watched(request.url())) pageErrors.push(`${request.url()}: ${request.failure()?.errorText}`)
        })
        page.on("response", (response) => {
          if (response.status() >= 400 && watched(response.url()))
            pageErrors.push(`${response.status()} ${response.url()}`)
        })
        return pageErrors
      }

      it("pays with Vipps from the storefront, approves on the landing page and sees the order confirmation", async () => {
        const page = await context.newPage()
        const pageErrors = watchErrors(page)

        const paymentsBefore = sim.current.control.payments().length
        await page.goto(storefront.url)
        const pay = page.locator("#pay")
        await pay.waitFor({ state: "visible", timeout: 15_000 })
        expect(await pay.innerText()).toContain("Pay with Vipps")
        expect(await page.locator("#product").innerText()).toBe(DEMO_PRODUCT.title)

        // Nothing starts before the shopper accepts the terms of sale.
        await pay.click()
        await page.getByText("Please accept the terms of sale first.").waitFor({ timeout: 5_000 })
        expect(sim.current.control.payments()).toHaveLength(paymentsBefore)

        // The storefront creates cart, shipping method and session, then opens redirectUrl.
        await page.locator("#terms").check()
        await pay.click()
        await page.waitForURL((url) => url.href.startsWith(`${sim.current.publicUrl}/landing`), {
          timeout: 30_000,
        })
        const expectedTotal = 2 * DEMO_PRODUCT.price + DEMO_SHIPPING.price
        expect(await page.locator("#amount").innerText()).toBe(`${expectedTotal.toFixed(2)} NOK`)
        // The landing page fits a 390 px phone: nothing overflows sideways.
        await page.setViewportSize({ width: 390, height: 844 })
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0)
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        await page.screenshot({ path: path.join(ARTIFACTS, "landing-390.png") })
        await page.setViewportSize({ width: 900, height: 820 })
        const payment = sim.current.control.payments().at(-1)!
        expect(sim.current.control.payments()).toHaveLength(paymentsBefore + 1)
        expect(payment.state).toBe("CREATED")
        expect(payment.amount).toEqual({ currency: "NOK", value: Math.round(expectedTotal * 100) })

        await page.locator("#approve").click()
        await page.waitForURL((url) => url.href.startsWith(`${storefront.url}/checkout/vipps/return`), {
          timeout: 30_000,
        })
        const confirmation = page.locator("#confirmation")
        await confirmation.waitFor({ state: "visible", timeout: 60_000 })
        expect(await confirmation.innerText()).toBe("Thank you! Your order is confirmed.")
        const orderId = await page.locator("#order-id").innerText()
        expect(orderId).toMatch(/^order_/)
        expect(await page.locator("#order-total").innerText()).toMatch(/548,00/)

        fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true })
        await page.screenshot({ path: SCREENSHOT, fullPage: true })

        // The order the page shows exists, with an authorized Vipps MobilePay payment for this reference.
        expect(sim.current.control.getPayment(payment.reference)?.state).toBe("AUTHORIZED")
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "total", "payment_collections.payments.id", "payment_collections.payments.data"],
          filters: { id: orderId },
        })
        const orders = data as unknown as OrderRow[]
        expect(orders).toHaveLength(1)
        expect(Number(orders[0].total)).toBe(expectedTotal)
        const payments = (orders[0].payment_collections ?? []).flatMap((c) => c.payments ?? [])
        expect(payments).toHaveLength(1)
        expect(payments[0].data?.reference).toBe(payment.reference)
        const paymentModule = getContainer().resolve<IPaymentModuleService>(Modules.PAYMENT)
        expect(await paymentModule.listPayments({ id: payments[0].id })).toHaveLength(1)
        expect(pageErrors).toEqual([])
        await page.close()
      })

      it("explains a rejected payment on the return page and lets the shopper try again", async () => {
        const page = await context.newPage()
        await page.goto(storefront.url)
        await page.locator("#terms").check()
        await page.locator("#pay").click()
        await page.waitForURL((url) => url.href.startsWith(`${sim.current.publicUrl}/landing`), {
          timeout: 30_000,
        })
        const payment = sim.current.control.payments().at(-1)!
        await page.locator("#reject").click()
        await page.waitForURL((url) => url.href.startsWith(`${storefront.url}/checkout/vipps/return`), {
          timeout: 30_000,
        })
        const failure = page.locator("#failure")
        await failure.waitFor({ state: "visible", timeout: 30_000 })
        expect(await failure.innerText()).toMatch(/cancelled in Vipps MobilePay/)
        expect(sim.current.control.getPayment(payment.reference)?.state).toBe("ABORTED")
        expect(await page.locator("#confirmation").count()).toBe(0)

        await page.getByRole("link", { name: "Try again" }).click()
        await page.locator("#pay").waitFor({ state: "visible", timeout: 15_000 })
        await page.close()
      })

      /** A second delivery option to choose in the app: a pickup point, cheaper than home delivery. */
      async function addPickupOption(): Promise<string> {
        const fulfillment = getContainer().resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
        const [home] = await fulfillment.listShippingOptions(
          { id: store.shippingOptionId },
          { select: ["id", "service_zone_id", "shipping_profile_id"] },
        )
        const { result } = await createShippingOptionsWorkflow(getContainer()).run({
          input: [
            {
              name: "Pickup at Kiwi Grünerløkka",
              price_type: "flat",
              provider_id: "manual_manual",
              service_zone_id: home.service_zone_id,
              shipping_profile_id: home.shipping_profile_id,
              type: { label: "Pickup point", description: "1-3 business days", code: "pickup" },
              prices: [{ region_id: store.regionId, amount: 29 }],
              rules: [
                { attribute: "enabled_in_store", value: "true", operator: "eq" },
                { attribute: "is_return", value: "false", operator: "eq" },
              ],
            },
          ],
        })
        return result[0].id
      }

      /** The order a storefront page shows, as Medusa holds it, with its one Vipps MobilePay payment. */
      async function shownOrder(orderId: string) {
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "email",
            "total",
            "shipping_address.address_1",
            "shipping_methods.shipping_option_id",
            "payment_collections.payments.data",
          ],
          filters: { id: orderId },
        })
        expect(data).toHaveLength(1)
        const order = data[0] as unknown as OrderRow & {
          email: string
          shipping_address: { address_1: string }
          shipping_methods: { shipping_option_id: string }[]
        }
        const payments = (order.payment_collections ?? []).flatMap((c) => c.payments ?? [])
        expect(payments).toHaveLength(1)
        return { ...order, reference: payments[0].data?.reference as string }
      }

      it("Express from the product page: Buy now with Vipps, a delivery option chosen on the landing page, the order page", async () => {
        // Added here, after the checkouts above (they take the store's first option).
        const pickupId = await addPickupOption()
        const page = await context.newPage()
        const pageErrors = watchErrors(page)
        await page.goto(storefront.url)
        const express = page.locator("#express")
        await express.waitFor({ state: "visible", timeout: 15_000 })
        expect(await express.innerText()).toContain("Buy now with Vipps")
        await page.locator("#terms").check()
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        await page.screenshot({ path: path.join(ARTIFACTS, "express-product.png"), fullPage: true })

        await express.click()
        await page.waitForURL((url) => url.href.startsWith(`${sim.current.publicUrl}/landing`), {
          timeout: 30_000,
        })
        // Vipps MobilePay shows the goods; the delivery chosen in the app is added to them.
        const goods = 2 * DEMO_PRODUCT.price
        expect(await page.locator("#amount").innerText()).toBe(`${goods.toFixed(2)} NOK`)
        expect(await page.locator("#shipping").innerText()).toContain("Pickup at Kiwi Grünerløkka")
        await page.locator(`input[name="shippingOptionId"][value="${pickupId}"]`).check()
        await page.screenshot({ path: path.join(ARTIFACTS, "express-landing.png"), fullPage: true })
        await page.locator("#approve").click()

        await page.waitForURL((url) => url.href.startsWith(`${storefront.url}/checkout/vipps/return`), {
          timeout: 30_000,
        })
        await page.locator("#confirmation").waitFor({ state: "visible", timeout: 60_000 })
        expect(await page.locator("#order-shipping").innerText()).toBe("Pickup at Kiwi Grünerløkka")
        expect(await page.locator("#order-total").innerText()).toMatch(/528,00/)
        expect(await page.locator("#order-address").innerText()).toContain("Robert Levins gate 5")
        await page.screenshot({ path: path.join(ARTIFACTS, "express-order.png"), fullPage: true })

        // The order shown: the app's address, email and delivery, for exactly what Vipps MobilePay authorized.
        const order = await shownOrder(await page.locator("#order-id").innerText())
        expect(order.shipping_methods.map((m) => m.shipping_option_id)).toEqual([pickupId])
        expect(order.shipping_address.address_1).toBe("Robert Levins gate 5")
        expect(order.email).toBe(await page.locator("#order-email").innerText())
        const vipps = sim.current.control.getPayment(order.reference)!
        expect(vipps.aggregate.authorized).toBe(Math.round(Number(order.total) * 100))
        expect(vipps.aggregate.authorized).toBe(52_800)
        expect(pageErrors).toEqual([])
        await page.close()
      })

      it("Express from the cart: the cart page's button, the order page", async () => {
        const page = await context.newPage()
        const pageErrors = watchErrors(page)
        await page.goto(storefront.url)
        await page.locator("#add").click()
        await page.waitForURL((url) => url.pathname === "/cart", { timeout: 15_000 })
        const express = page.locator("#express")
        await express.waitFor({ state: "visible", timeout: 15_000 })
        expect(await page.locator("#cart").innerText()).toMatch(/2 × Fjord Coffee Mug\s+499,00\s+kr/)
        expect(await page.locator("#cart-subtotal").innerText()).toMatch(/499,00/)
        await page.locator("#terms").check()
        await page.screenshot({ path: path.join(ARTIFACTS, "express-cart.png"), fullPage: true })

        await express.click()
        await page.waitForURL((url) => url.href.startsWith(`${sim.current.publicUrl}/landing`), {
          timeout: 30_000,
        })
        // The shopper keeps the preselected option (which options Medusa lists for this cart may lag behind
        // the pickup option added above: Medusa caches its shipping-option listing per address).
        const preselected = page.locator('input[name="shippingOptionId"]:checked')
        const optionId = await preselected.inputValue()
        const optionName = (await preselected.locator("..").innerText()).split(" — ")[0]
        await page.screenshot({ path: path.join(ARTIFACTS, "express-cart-landing.png"), fullPage: true })
        await page.locator("#approve").click()
        await page.locator("#confirmation").waitFor({ state: "visible", timeout: 60_000 })
        expect(await page.locator("#order-shipping").innerText()).toBe(optionName)
        const order = await shownOrder(await page.locator("#order-id").innerText())
        expect(order.shipping_methods.map((m) => m.shipping_option_id)).toEqual([optionId])
        expect(sim.current.control.getPayment(order.reference)!.aggregate.authorized).toBe(
          Math.round(Number(order.total) * 100),
        )
        // The cart became the order: the cart page is empty again.
        await page.goto(`${storefront.url}/cart`)
        await page.locator("#empty").waitFor({ state: "visible", timeout: 15_000 })
        expect(pageErrors).toEqual([])
        await page.close()
      })
    },
  })
}
