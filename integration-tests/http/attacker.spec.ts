import http from "node:http"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import axios from "axios"
import { orderOfCart, region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { eventually, NORWAY, signedWebhookHeaders, storeHookUrl, useSimulator } from "../helpers/simulator"

jest.setTimeout(180_000)

const sim = useSimulator({ webhooks: true })

const SHOPPER = {
  email: "kari.nordmann@example.com",
  shipping_address: {
    first_name: "Kari",
    last_name: "Nordmann",
    address_1: "Storgata 1",
    postal_code: "0155",
    city: "Oslo",
    country_code: "no",
    phone: "4798765432",
  },
}

/**
 * The public routes tried as an attacker would: with the publishable key alone (every storefront ships it)
 * and a payment reference (it shows up in links, logs and reports), or with nothing at all.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { shop } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps", "pp_vipps_direct")],
      products: [{ label: "mug", amounts: { nok: 249.5 } }],
      admin: false,
    })

    const startPayment = (provider = "pp_vipps_vipps", data: Record<string, unknown> = {}) =>
      shop.startCheckout("nok", [{ label: "mug", quantity: 2 }], provider, SHOPPER, data)

    const status = (reference: string, params: { token?: string; cart_id?: string } = {}) =>
      api.get(`/store/vipps/payments/${reference}`, {
        headers: shop.headers,
        params,
        validateStatus: () => true,
      })

    const createCalls = () => sim.current.control.requests({ operation: "createPayment" }).length
    const getCalls = (reference: string) =>
      sim.current.control.requests({ operation: "getPayment", path: reference }).length

    describe("a reference alone", () => {
      it("reveals the status and nothing that leads to the order, the cart or the customer", async () => {
        const { cart, session, reference } = await startPayment()
        const returnTo = new URL(await answerOnLandingPage(session.data.redirectUrl, "approve"))
        const orderId = await eventually(() => orderOfCart(getContainer(), cart.id))

        const anonymous = await status(reference)
        expect(anonymous.status).toBe(200)
        expect(anonymous.data.payment).toEqual({
          reference,
          status: "authorized",
          failure_reason: null,
          cart_id: null,
          order_id: null,
        })
        const text = JSON.stringify(anonymous.data)
        for (const secret of [cart.id, orderId, SHOPPER.email, "Storgata", "Kari", "4798765432"]) {
          expect(text).not.toContain(secret)
        }
        expect(text).not.toMatch(/(cart|order|pay|cus)_[0-9A-Z]{10}/)
        expect(anonymous.headers["cache-control"]).toBe("no-store")

        // Guesses and borrowed proofs get the same answer.
        const other = await startPayment()
        const otherToken = new URL(
          await answerOnLandingPage(other.session.data.redirectUrl, "approve"),
        ).searchParams.get("vipps_token")!
        for (const params of [
          { token: "x".repeat(43) },
          { token: otherToken },
          { token: "" },
          { cart_id: other.cart.id },
          { cart_id: `${cart.id}x` },
          { cart_id: cart.id.slice(0, -1) },
        ]) {
          const guessed = await status(reference, params)
          expect(guessed.status).toBe(200)
          expect(guessed.data.payment).toMatchObject({ cart_id: null, order_id: null })
          expect(JSON.stringify(guessed.data)).not.toContain(orderId)
        }
        // An array where a string belongs proves nothing either.
        const arrays = await api.get(
          `/store/vipps/payments/${reference}?token=${encodeURIComponent(otherToken)}&token=x`,
          { headers: shop.headers },
        )
        expect(arrays.data.payment.order_id).toBeNull()

        // Who started the payment: the return token from the return URL, or the cart id the storefront holds.
        const token = returnTo.searchParams.get("vipps_token")!
        expect((await status(reference, { token })).data.payment).toMatchObject({
          status: "authorized",
          cart_id: cart.id,
          order_id: orderId,
        })
        expect((await status(reference, { cart_id: cart.id })).data.payment.order_id).toBe(orderId)

        // Without the publishable key, nothing at all.
        const keyless = await api.get(`/store/vipps/payments/${reference}`, { validateStatus: () => true })
        expect(keyless.status).toBeGreaterThanOrEqual(400)
        expect(keyless.status).toBeLessThan(500)
        expect(JSON.stringify(keyless.data)).not.toContain(orderId)

        // The app, the portal and settlement reports show no reference by default.
        expect(sim.current.control.getPayment(reference)!.paymentDescription).not.toContain(reference)
        expect(sim.current.control.getPayment(reference)!.paymentDescription).not.toMatch(/payses|cart_/)
      })

      it("reveals no session data of a pending payment", async () => {
        const { cart, reference } = await startPayment()
        const { data } = await status(reference)
        expect(data.payment).toEqual({
          reference,
          status: "pending",
          failure_reason: null,
          cart_id: null,
          order_id: null,
        })
        expect(JSON.stringify(data)).not.toContain(cart.id)
        expect(JSON.stringify(data)).not.toMatch(/landing|redirect/i)
      })
    })

    it("100 concurrent reads of a pending payment make a handful of ePayment calls, and its webhook still answers 2xx", async () => {
      const { cart, reference } = await startPayment()
      const before = getCalls(reference)
      const reads = await Promise.all(Array.from({ length: 100 }, () => status(reference)))
      expect(reads.every((r) => r.status === 200 && r.data.payment.status === "pending")).toBe(true)
      const fromReads = getCalls(reference) - before
      expect(fromReads).toBeGreaterThanOrEqual(1)
      expect(fromReads).toBeLessThanOrEqual(5)

      // Approved while another 100 reads hammer the reference: the webhook is answered 2xx on its first try.
      const during = getCalls(reference)
      const storm = Promise.all(Array.from({ length: 100 }, () => status(reference)))
      sim.current.control.approve(reference)
      const answers = await storm
      expect(answers.every((r) => r.status === 200)).toBe(true)
      const delivery = await eventually(async () =>
        sim.current.control
          .webhookDeliveries({ reference, eventName: "AUTHORIZED" })
          .find((d) => d.state === "delivered"),
      )
      expect(delivery.attempts.map((a) => a.status)).toEqual([200])
      // The reads' own (one per interval) plus the webhook's sync and Medusa's authorization.
      expect(getCalls(reference) - during).toBeLessThanOrEqual(8)
      const orderId = await eventually(() => orderOfCart(getContainer(), cart.id))

      // Settled: answered from the database, without asking Vipps MobilePay again.
      const settledBefore = getCalls(reference)
      const settled = await Promise.all(
        Array.from({ length: 20 }, () => status(reference, { cart_id: cart.id })),
      )
      expect(
        settled.every((r) => r.data.payment.status === "authorized" && r.data.payment.order_id === orderId),
      ).toBe(true)
      expect(getCalls(reference)).toBe(settledBefore)
    })

    describe("the QR route", () => {
      it("serves the image with nosniff and a script-free CSP, fetched once per reference", async () => {
        const { reference } = await startPayment("pp_vipps_vipps", {
          userFlow: "QR",
          qrFormat: "IMAGE/SVG+XML",
        })
        const fetchesBefore = sim.current.control.requests({ operation: "qr" }).length
        const url = `/store/vipps/payments/${reference}/qr`
        const first = await api.get(url, { headers: shop.headers })
        expect(first.headers["content-type"]).toMatch(/^image\/svg\+xml/)
        expect(first.headers["x-content-type-options"]).toBe("nosniff")
        const csp = String(first.headers["content-security-policy"])
        expect(csp).toContain("default-src 'none'")
        expect(csp).not.toMatch(/script-src|unsafe-eval/)
        expect(csp).toContain("sandbox")
        expect(String(first.data)).toMatch(/<svg[\s>]/)

        const again = await Promise.all(
          Array.from({ length: 10 }, () => api.get(url, { headers: shop.headers })),
        )
        expect(again.every((r) => r.data === first.data)).toBe(true)
        expect(sim.current.control.requests({ operation: "qr" }).length - fetchesBefore).toBe(1)
      })

      it("answers 404 for a payment that is not an open QR payment", async () => {
        const web = await startPayment()
        const notQr = await api.get(`/store/vipps/payments/${web.reference}/qr`, {
          headers: shop.headers,
          validateStatus: () => true,
        })
        expect(notQr.status).toBe(404)

        const qr = await startPayment("pp_vipps_vipps", { userFlow: "QR" })
        sim.current.control.approve(qr.reference)
        await eventually(() => orderOfCart(getContainer(), qr.cart.id))
        // Medusa links the order before it authorizes the session: the QR closes once that is done too.
        const closed = await eventually(async () => {
          const answer = await api.get(`/store/vipps/payments/${qr.reference}/qr`, {
            headers: shop.headers,
            validateStatus: () => true,
          })
          return answer.status !== 200 && answer
        })
        expect(closed.status).toBe(404)
      })
    })

    describe("storefront data", () => {
      const refusals: [string, string, Record<string, unknown>, RegExp][] = [
        ["phoneNumber with WEB_REDIRECT", "pp_vipps_vipps", { phoneNumber: "4791234567" }, /phoneNumber/],
        [
          "phoneNumber with QR",
          "pp_vipps_vipps",
          { userFlow: "QR", phoneNumber: "4791234567" },
          /phoneNumber is only accepted with userFlow PUSH_MESSAGE/,
        ],
        [
          "customerInteraction where no option allows it",
          "pp_vipps_direct",
          { customerInteraction: "CUSTOMER_PRESENT" },
          /customerInteraction/,
        ],
        [
          "PUSH_MESSAGE where the flow is not enabled",
          "pp_vipps_direct",
          { userFlow: "PUSH_MESSAGE", phoneNumber: "4791234567" },
          /userFlow PUSH_MESSAGE/,
        ],
        [
          "a javascript: return URL",
          "pp_vipps_vipps",
          { returnUrl: "javascript:alert(document.cookie)" },
          /returnUrl/,
        ],
        [
          "a javascript:// return URL",
          "pp_vipps_vipps",
          { returnUrl: "javascript://shop/%0aalert(1)" },
          /returnUrl/,
        ],
        [
          "a data: return URL",
          "pp_vipps_vipps",
          { returnUrl: "data:text/html,<script>alert(1)</script>" },
          /returnUrl/,
        ],
        ["another app's return URL", "pp_vipps_vipps", { returnUrl: "otherapp://steal" }, /returnUrl/],
        [
          "a return URL on another host",
          "pp_vipps_vipps",
          { returnUrl: "https://evil.example/return" },
          /returnUrl/,
        ],
        [
          "a return URL on the right host with another scheme",
          "pp_vipps_vipps",
          { returnUrl: "https://localhost:8000/r" },
          /returnUrl/,
        ],
        [
          "any return URL without an allow-list",
          "pp_vipps_direct",
          { returnUrl: "http://localhost:8000/r" },
          /returnUrl/,
        ],
        ["an amount", "pp_vipps_vipps", { amount: 1 }, /unknown field\(s\) amount/],
        ["a reference", "pp_vipps_vipps", { reference: "mine-12345678" }, /unknown field\(s\) reference/],
      ]

      it.each(refusals)(
        "refuses %s with 400 naming the field, before any ePayment call",
        async (_, provider, data, message) => {
          const cart = await shop.createCart("nok", [{ label: "mug" }], SHOPPER)
          const calls = createCalls()
          const refused = await shop
            .startPayment(cart.id, provider, { cart_id: cart.id, ...data })
            .catch((e) => e.response)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toMatch(message)
          expect(createCalls()).toBe(calls)
        },
      )

      it("accepts an app return URL its allow-list names, with the return token added", async () => {
        const { reference } = await startPayment("pp_vipps_vipps", {
          returnUrl: "demoshop://return?reference={reference}",
        })
        const sent = sim.current.control.getPayment(reference)!.returnUrl!
        expect(sent).toMatch(
          new RegExp(`^demoshop://return\\?reference=${reference}&vipps_token=[A-Za-z0-9_-]{43}$`),
        )
      })
    })

    describe("the webhook route", () => {
      const signed = (body: string) => signedWebhookHeaders(body, storeHookUrl())

      const oversized = () =>
        JSON.stringify({
          msn: NORWAY.msn,
          reference: "test-no-payses-01ABCDEFGHJKMNPQRSTVWXYZ00",
          name: "AUTHORIZED",
          amount: { currency: "NOK", value: 100 },
          timestamp: new Date().toISOString(),
          idempotencyKey: null,
          success: true,
          padding: "x".repeat(200 * 1024),
        })

      it("answers 413 to an oversized signed body instead of dropping the connection", async () => {
        const body = oversized()
        const answer = await axios.post(storeHookUrl(), body, {
          headers: { ...signed(body), "content-type": "application/json" },
          validateStatus: () => true,
          transformRequest: [(d) => d],
          maxBodyLength: Infinity,
        })
        expect(answer.status).toBe(413)
        expect(answer.data).toMatchObject({ message: "Body too large" })
      })

      it("answers 413 to an oversized chunked body (no Content-Length) too", async () => {
        const body = oversized()
        const url = new URL(storeHookUrl())
        const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
          const request = http.request(
            {
              host: url.hostname,
              port: url.port,
              path: url.pathname,
              method: "POST",
              headers: {
                ...signed(body),
                "content-type": "application/json",
                "transfer-encoding": "chunked",
              },
            },
            (response) => {
              let text = ""
              response.on("data", (chunk) => (text += chunk))
              response.on("end", () => resolve({ status: response.statusCode, body: text }))
            },
          )
          request.on("error", reject)
          for (let at = 0; at < body.length; at += 16 * 1024) request.write(body.slice(at, at + 16 * 1024))
          request.end()
        })
        expect(answer.status).toBe(413)
        expect(JSON.parse(answer.body)).toMatchObject({ message: "Body too large" })
      })
    })
  },
})
