import { formBody, html, type SimRequest, type SimResponse } from "./http-types"
import { renderLandingPage, renderNotFoundPage, renderStatusPage } from "./landing-page"
import { brandOf } from "./brand"
import { approveExpress, defaultAddress, optionsFor } from "./express"
import { ApiError } from "./problems"
import { renderQr } from "./qr"
import type { SimulatorState } from "./state"

/** What the customer sees: the landing page with Approve / Reject, and the QR image. */

export async function landingPage(state: SimulatorState, request: SimRequest): Promise<SimResponse> {
  const token = request.url.searchParams.get("token") ?? ""
  const payment = state.payments.findByToken(token)
  if (!payment) return html(404, renderNotFoundPage())
  let express
  if (payment.shipping && payment.state === "CREATED") {
    // The app shows the shared address and asks the merchant (dynamic) for the options to deliver there.
    const address = defaultAddress(state.testUser)
    try {
      express = { address, groups: await optionsFor(payment, address) }
    } catch (error) {
      express = { address, problem: error instanceof Error ? error.message : "No delivery options." }
    }
  }
  return html(
    200,
    renderLandingPage(payment, state.merchantName(payment.msn), {
      brand: brandOf(state.brand, payment.amount.currency, state.clock.now()),
      underAge: payment.state === "CREATED" && state.payments.underAge(payment, state.approverFor(payment)),
      express,
    }),
  )
}

/** `POST /landing/approve|reject` (form field `token`): acts, then 303 to the returnUrl or a done page. */
export async function landingAction(
  state: SimulatorState,
  request: SimRequest,
  action: "approve" | "reject",
): Promise<SimResponse> {
  const form = formBody(request)
  const token = form.get("token") ?? request.url.searchParams.get("token") ?? ""
  const payment = state.payments.findByToken(token)
  if (!payment) return html(404, renderNotFoundPage())
  const merchantName = state.merchantName(payment.msn)
  try {
    if (action === "approve" && payment.shipping) {
      await approveExpress(state, payment, { shippingOptionId: form.get("shippingOptionId") ?? undefined })
    } else if (action === "approve") state.payments.approve(payment, state.approverFor(payment))
    else state.payments.reject(payment)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    if (error.code === "7010") {
      return html(403, renderStatusPage(payment, merchantName, "You cannot pay this business."))
    }
    return html(
      409,
      renderStatusPage(
        payment,
        merchantName,
        `This payment can no longer be changed: it is ${payment.state}.`,
      ),
    )
  }
  const redirects = payment.userFlow === "WEB_REDIRECT" || payment.userFlow === "NATIVE_REDIRECT"
  if (redirects && payment.returnUrl) {
    return { status: 303, headers: { location: payment.returnUrl }, body: "", contentType: "text/plain" }
  }
  const message = action === "approve" ? "Payment approved. You can close this page." : "Payment rejected."
  return html(200, renderStatusPage(payment, merchantName, message))
}

/** `GET /qr?token=…`: the QR image of the landing page URL (SVG by default, PNG with `size`). */
export async function qrImage(state: SimulatorState, request: SimRequest): Promise<SimResponse> {
  const token = request.url.searchParams.get("token") ?? ""
  const payment = state.payments.findByToken(token)
  if (!payment) return html(404, renderNotFoundPage())
  const image = await renderQr(
    state.payments.landingUrl(payment.landingToken),
    payment.qrFormat?.format,
    payment.qrFormat?.size,
  )
  return {
    status: 200,
    body: image.body,
    contentType: image.contentType,
    headers: { "cache-control": "no-store" },
  }
}
