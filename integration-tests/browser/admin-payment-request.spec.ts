import path from "node:path"
import type { Locator, Page } from "playwright-core"
import { ok } from "../../scripts/demo/http"
import { poll } from "../helpers/poll"
import { BROWSER_ARTIFACTS, useAdminDashboard } from "./admin-dashboard"
import { ensureChromium } from "./chromium"

/**
 * Staff in the real admin dashboard (Medusa started with `medusa start`, the dashboard in development
 * mode, JWT admin auth) request what an order edit added: "Request payment with Vipps MobilePay" by push to
 * the customer's phone, see the request waiting, the customer approves in the app (the simulator), and the
 * widget shows it approved while Medusa's payment section lists the new payment. Screenshots in
 * integration-tests/browser/artifacts/.
 */

jest.setTimeout(240_000)

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
    const dash = useAdminDashboard("request")

    /** The order's page; logs in first when the dashboard asks for it. */
    async function openOrder(page: Page, orderId: string) {
      // The first load compiles the dashboard (development mode): slow on a busy machine.
      await page.goto(`${dash.medusa.url}/app/orders/${orderId}`, { timeout: 180_000 })
      const widget = page.getByTestId("vipps-payment-request-widget")
      const login = page.locator('input[name="email"]')
      await widget.or(login).first().waitFor({ timeout: 180_000 })
      if (await login.isVisible()) {
        await dash.logIn(page)
        await page.goto(`${dash.medusa.url}/app/orders/${orderId}`, { timeout: 180_000 })
      }
      await widget.waitFor({ timeout: 60_000 })
    }

    const exactly = (text: string) => new RegExp(`^\\s*${text}\\s*$`)
    const showsText = (locator: Locator, text: string) =>
      locator.filter({ hasText: exactly(text) }).waitFor({ timeout: 30_000 })

    /** The merchant ships the first delivery (capture), then adds a second mug in an order edit. */
    async function orderOwingAMug(orderId: string, paymentId: string) {
      await ok(`${dash.medusa.url}/admin/payments/${paymentId}/capture`, { headers: dash.auth, body: {} })
      await ok(`${dash.medusa.url}/admin/order-edits`, { headers: dash.auth, body: { order_id: orderId } })
      await ok(`${dash.medusa.url}/admin/order-edits/${orderId}/items`, {
        headers: dash.auth,
        body: { items: [{ variant_id: dash.store.variantId, quantity: 1 }] },
      })
      await ok(`${dash.medusa.url}/admin/order-edits/${orderId}/request`, { headers: dash.auth, body: {} })
      await ok(`${dash.medusa.url}/admin/order-edits/${orderId}/confirm`, { headers: dash.auth, body: {} })
    }

    it("staff request an order edit's amount by push and see it approved", async () => {
      const { orderId, paymentId } = await dash.placeOrder()
      await orderOwingAMug(orderId, paymentId)

      const page = await dash.context.newPage()
      const pageErrors: string[] = []
      page.on("pageerror", (error) => pageErrors.push(error.message))
      await openOrder(page, orderId)
      const widget = page.getByTestId("vipps-payment-request-widget")
      const outstanding = page.getByTestId("vipps-request-outstanding")
      await showsText(outstanding, "249.50 NOK")
      await widget.screenshot({ path: path.join(BROWSER_ARTIFACTS, "request-0-outstanding.png") })

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
      const { requests } = await ok(`${dash.medusa.url}/admin/vipps/orders/${orderId}/payment-requests`, {
        headers: dash.auth,
      })
      const reference = requests[0].reference as string
      expect(dash.sim.control.getPayment(reference)).toMatchObject({
        userFlow: "PUSH_MESSAGE",
        amount: { value: 24950 },
        customer: { phoneNumber: "4791234567" },
      })
      await widget.screenshot({ path: path.join(BROWSER_ARTIFACTS, "request-1-sent.png") })

      // The customer approves in the app: the widget follows by itself.
      dash.sim.control.approve(reference)
      await showsText(state, "Approved")
      await showsText(outstanding, "0.00 NOK")
      await page.screenshot({ path: path.join(BROWSER_ARTIFACTS, "request-2-approved.png"), fullPage: true })
      await widget.screenshot({ path: path.join(BROWSER_ARTIFACTS, "request-2-approved-widget.png") })

      expect(pageErrors).toEqual([])
      await page.close()
    })

    it("shows a QR code for the counter, and staff cancel it", async () => {
      const { orderId, paymentId } = await dash.placeOrder()
      await orderOwingAMug(orderId, paymentId)
      const page = await dash.context.newPage()
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
        path: path.join(BROWSER_ARTIFACTS, "request-3-qr.png"),
      })
      await page.getByTestId("vipps-request-cancel").click()
      await showsText(state, "Cancelled")
      const { requests } = await ok(`${dash.medusa.url}/admin/vipps/orders/${orderId}/payment-requests`, {
        headers: dash.auth,
      })
      expect(dash.sim.control.getPayment(requests[0].reference)!.state).toBe("TERMINATED")
      await page.close()
    })
  })
}
