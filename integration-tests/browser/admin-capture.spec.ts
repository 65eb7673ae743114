import path from "node:path"
import type { Locator, Page } from "playwright-core"
import { type Json, ok } from "../../scripts/demo/http"
import { poll } from "../helpers/poll"
import { BROWSER_ARTIFACTS, useAdminDashboard } from "./admin-dashboard"
import { ensureChromium } from "./chromium"

/**
 * A merchant in the real admin dashboard (Medusa started with `medusa start` and the dashboard in
 * development mode, JWT admin auth): a partial capture from the Vipps MobilePay widget, then a capture of
 * the rest, the widget's label after each, and Medusa's own payment section agreeing; an Express payment's
 * delivery and shared address. Screenshots of each state are kept in integration-tests/browser/artifacts/.
 */

jest.setTimeout(240_000)

const PROVIDER_ID = "pp_vipps_vipps"
const unavailable = ensureChromium()

if (unavailable) {
  // No silent skip: .ci/run installs Debian's chromium, so a machine without it is a broken setup.
  describe("admin dashboard in a real browser", () => {
    it("needs Chromium", () => {
      throw new Error(`Chromium is not available: ${unavailable}`)
    })
  })
} else {
  describe("admin dashboard in a real browser", () => {
    const dash = useAdminDashboard("admin")

    /** The order's page; logs in first when the dashboard asks for it. */
    async function openOrder(page: Page, orderId: string) {
      // The first load compiles the dashboard (development mode): wait for the page, not for "load".
      await page.goto(`${dash.medusa.url}/app/orders/${orderId}`, { waitUntil: "commit", timeout: 180_000 })
      const widget = page.getByTestId("vipps-payment-widget")
      const login = page.locator('input[name="email"]')
      await widget.or(login).first().waitFor({ timeout: 180_000 })
      if (await login.isVisible()) {
        await dash.logIn(page)
        await page.goto(`${dash.medusa.url}/app/orders/${orderId}`, { waitUntil: "commit", timeout: 180_000 })
        await widget.waitFor({ timeout: 180_000 })
      }
    }

    const exactly = (text: string) => new RegExp(`^\\s*${text}\\s*$`)
    const showsText = (locator: Locator, text: string) =>
      locator.filter({ hasText: exactly(text) }).waitFor({ timeout: 30_000 })

    /** Medusa's own "Payments" section: its header badge is the order's payment status. */
    const medusaPaymentsHeader = (page: Page) =>
      page.getByRole("heading", { name: "Payments", exact: true }).locator("..")

    async function medusaOrder(orderId: string) {
      const { order } = await ok(
        `${dash.medusa.url}/admin/orders/${orderId}?fields=id,payment_status,*payment_collections.payments.captures`,
        { headers: dash.auth },
      )
      const captures = order.payment_collections[0].payments[0].captures as Json[]
      return { status: order.payment_status as string, captured: captures.map((c) => Number(c.amount)) }
    }

    it("captures part of the payment from the widget, then the rest, and Medusa's payment section agrees", async () => {
      const { orderId, reference } = await dash.placeOrder()
      const total = dash.sim.control.getPayment(reference)!.amount.value
      expect(total).toBe(54800)

      const page = await dash.context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      // From here on (logged in), every admin call of the page must succeed: the widget's with the JWT too.
      page.on("response", (response) => {
        if (response.url().includes("/admin/") && response.status() >= 400)
          pageErrors.push(`${response.status()} ${response.url()}`)
      })

      const widget = page.getByTestId("vipps-payment-widget")
      const status = page.getByTestId("vipps-payment-status")
      const amount = page.getByTestId("vipps-capture-amount")
      const capture = page.getByTestId("vipps-capture")
      await showsText(status, "Reserved")
      // Merchant words only: no API state names in the panel.
      expect(await widget.innerText()).not.toMatch(/\bAUTHORIZED\b|captureGuaranteedUntil/)
      // Prefilled with what is left to capture.
      expect(await amount.inputValue()).toBe("548.00")
      await widget.screenshot({ path: path.join(BROWSER_ARTIFACTS, "admin-0-reserved.png") })

      // More than is reserved is refused in the widget: nothing is sent.
      await amount.fill("600")
      await page.getByText("At most 548.00 NOK is left to capture.").waitFor({ timeout: 5_000 })
      expect(await capture.isDisabled()).toBe(true)

      // A part: 200.00 NOK, double-clicked — one capture only.
      await amount.fill("200")
      await capture.dblclick()
      await showsText(status, "Partly captured")
      await showsText(medusaPaymentsHeader(page), "Payments\\s*Partially captured")
      await poll("the prefilled rest", async () => (await amount.inputValue()) === "348.00", 15_000)
      const partly = dash.sim.control.getPayment(reference)!
      expect(partly.aggregate.captured).toBe(20000)
      expect(partly.events.filter((e) => e.name === "CAPTURED")).toHaveLength(1)
      expect(await medusaOrder(orderId)).toEqual({ status: "partially_captured", captured: [200] })
      await page.screenshot({
        path: path.join(BROWSER_ARTIFACTS, "admin-1-partly-captured.png"),
        fullPage: true,
      })

      // The rest.
      await page.getByTestId("vipps-capture-rest").click()
      await showsText(status, "Captured")
      await showsText(medusaPaymentsHeader(page), "Payments\\s*Captured")
      expect(dash.sim.control.getPayment(reference)!.aggregate.captured).toBe(54800)
      expect(await medusaOrder(orderId)).toEqual({ status: "captured", captured: [200, 348] })
      // Nothing left to capture or release: the actions are gone, and so is Medusa's own capture button.
      expect(await page.getByTestId("vipps-payment-actions").count()).toBe(0)
      expect(await page.getByRole("button", { name: "Capture payment" }).count()).toBe(0)
      await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, "admin-2-captured.png"), fullPage: true })
      await widget.screenshot({ path: path.join(BROWSER_ARTIFACTS, "admin-2-captured-widget.png") })

      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("releases a reservation from the widget after the merchant confirms, and Medusa cancels the payment", async () => {
      const { orderId, reference } = await dash.placeOrder()
      const page = await dash.context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      const status = page.getByTestId("vipps-payment-status")
      await showsText(status, "Reserved")

      // The prompt's "Keep it" changes nothing.
      await page.getByTestId("vipps-release").click()
      await page.getByRole("button", { name: "Keep it" }).click()
      expect(dash.sim.control.getPayment(reference)!.aggregate.cancelled).toBe(0)

      await page.getByTestId("vipps-release").click()
      await page.getByRole("button", { name: "Release", exact: true }).click()
      await showsText(status, "Released")
      expect(dash.sim.control.getPayment(reference)!.aggregate).toMatchObject({
        cancelled: 54800,
        captured: 0,
      })
      // Medusa's own payment row agrees: cancelled, nothing left to capture.
      await page
        .getByRole("heading", { name: "Payments", exact: true })
        .locator("xpath=ancestor::div[contains(@class, 'divide-y')][1]")
        .getByText("Canceled", { exact: true })
        .first()
        .waitFor({ timeout: 30_000 })
      expect(await page.getByTestId("vipps-payment-actions").count()).toBe(0)
      expect(await page.getByRole("button", { name: "Capture payment" }).count()).toBe(0)
      await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, "admin-3-released.png"), fullPage: true })
      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("refunds part of a partly captured payment from the widget, which Medusa's payment section cannot", async () => {
      const { orderId, paymentId, reference } = await dash.placeOrder()
      await ok(`${dash.medusa.url}/admin/payments/${paymentId}/capture`, {
        headers: dash.auth,
        body: { amount: 200 },
      })
      const page = await dash.context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      const status = page.getByTestId("vipps-payment-status")
      await showsText(status, "Partly captured")
      // Medusa offers a refund only for fully captured payments: its menu item is disabled here.
      const amount = page.getByTestId("vipps-refund-amount")
      expect(await amount.inputValue()).toBe("200.00")
      await amount.fill("50")
      await page.getByTestId("vipps-refund").click()
      await page.getByRole("button", { name: "Refund", exact: true }).click()
      await showsText(status, "Partly refunded")
      expect(dash.sim.control.getPayment(reference)!.aggregate).toMatchObject({
        captured: 20000,
        refunded: 5000,
      })
      // Medusa recorded the refund: its payment section lists it.
      await page.getByText("- kr 50.00").first().waitFor({ timeout: 30_000 })
      await poll(
        "the prefilled refundable rest",
        async () => (await amount.inputValue()) === "150.00",
        15_000,
      )
      await page.screenshot({
        path: path.join(BROWSER_ARTIFACTS, "admin-4-partly-refunded.png"),
        fullPage: true,
      })
      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("shows an Express payment's delivery chosen in the app and the address and contact the app shared", async () => {
      const { orderId } = await dash.placeExpressOrder()
      const page = await dash.context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      const express = page.getByTestId("vipps-express")
      await express.waitFor({ timeout: 30_000 })
      expect(await page.getByTestId("vipps-express-delivery").innerText()).toMatch(
        /Delivery\s+Posten: home delivery\s+49\.00 NOK/,
      )
      expect(await page.getByTestId("vipps-express-address").innerText()).toMatch(
        /Deliver to\s+Robert Levins gate 5\s+0154 Oslo, NO/,
      )
      expect(await page.getByTestId("vipps-express-contact").innerText()).toMatch(
        /Customer\s+Ola Nordmann\s+\S+@\S+\s+\+\d+/,
      )
      // Vipps MobilePay reserved the goods and the delivery: the widget offers to capture both.
      expect(await page.getByTestId("vipps-capture-amount").inputValue()).toBe("548.00")
      await page
        .getByTestId("vipps-payment-widget")
        .screenshot({ path: path.join(BROWSER_ARTIFACTS, "admin-6-express.png") })
      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("lists a payment released after its order failed on the Vipps MobilePay page", async () => {
      const shop = { "x-publishable-api-key": dash.store.publishableKey }
      const { cart } = await ok(`${dash.medusa.url}/store/carts`, {
        headers: shop,
        body: {
          region_id: dash.store.regionId,
          email: "late@example.com",
          items: [{ variant_id: dash.store.variantId, quantity: 1 }],
        },
      })
      const { payment_collection } = await ok(`${dash.medusa.url}/store/payment-collections`, {
        headers: shop,
        body: { cart_id: cart.id },
      })
      const { payment_collection: withSession } = await ok(
        `${dash.medusa.url}/store/payment-collections/${payment_collection.id}/payment-sessions`,
        { headers: shop, body: { provider_id: PROVIDER_ID, data: { cart_id: cart.id } } },
      )
      const reference = withSession.payment_sessions.find((s: Json) => s.provider_id === PROVIDER_ID).data
        .reference as string
      // The last one sold while the shopper was in the app: the cart can no longer become an order.
      const { products } = await ok(`${dash.medusa.url}/admin/products?fields=id,variants.id`, {
        headers: dash.auth,
      })
      const product = products.find((p: Json) => p.variants.some((v: Json) => v.id === dash.store.variantId))
      const variantUrl = `${dash.medusa.url}/admin/products/${product.id}/variants/${dash.store.variantId}`
      await ok(variantUrl, { headers: dash.auth, body: { manage_inventory: true } })
      try {
        dash.sim.control.approve(reference)
        await poll(
          "the release at Vipps",
          async () => dash.sim.control.getPayment(reference)!.aggregate.cancelled > 0,
          60_000,
        )

        const page = await dash.context.newPage()
        const pageErrors: string[] = []
        page.on("pageerror", (error) => pageErrors.push(error.message))
        // The first load may compile the dashboard (development mode).
        await page.goto(`${dash.medusa.url}/app/vipps-mobilepay`, { timeout: 180_000 })
        const login = page.locator('input[name="email"]')
        const heading = page.getByText("Vipps MobilePay: needs attention")
        await heading.or(login).first().waitFor({ timeout: 180_000 })
        if (await login.isVisible()) {
          await dash.logIn(page)
          await page.goto(`${dash.medusa.url}/app/vipps-mobilepay`)
        }
        await page.getByText(reference).waitFor({ timeout: 30_000 })
        await page.getByText("Released: order failed").first().waitFor({ timeout: 30_000 })
        // Vipps MobilePay still sends the demo store's webhooks; "Check now" asks again.
        await page.getByText("Receiving updates").first().waitFor({ timeout: 30_000 })
        const checked = page.waitForResponse((r) => r.url().endsWith("/admin/vipps/webhooks/check"))
        await page.getByRole("button", { name: "Check now" }).click()
        expect((await checked).status()).toBe(200)
        await page.screenshot({
          path: path.join(BROWSER_ARTIFACTS, "admin-5-needs-attention.png"),
          fullPage: true,
        })
        expect(pageErrors).toEqual([])
        await page.close()
      } finally {
        await ok(variantUrl, { headers: dash.auth, body: { manage_inventory: false } })
      }
    })
  })
}
