import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import axios from "axios"
import { findReferenceOwner } from "../../../../../../sync/find-registration"

/**
 * `GET /store/vipps/payments/:reference/qr` — the one-time QR code of a `userFlow: QR` payment, for a
 * customer-facing screen or a till: the image (SVG or PNG, as requested at session creation) served from
 * the store's own origin, or `{ url }` for `TEXT/TARGETURL` (render the QR yourself).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const owner = await findReferenceOwner(req.scope, req.params.reference)
  if (!owner || owner.data.userFlow !== "QR" || !owner.data.redirectUrl) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "No Vipps MobilePay QR payment with this reference")
  }
  if (owner.data.qrFormat === "TEXT/TARGETURL") {
    res.json({ url: owner.data.redirectUrl })
    return
  }
  const image = await axios.get<ArrayBuffer>(owner.data.redirectUrl, {
    responseType: "arraybuffer",
    timeout: 10_000,
    maxContentLength: 2 * 1024 * 1024,
  })
  const type = String(image.headers["content-type"] ?? "")
  if (!/^image\/(svg\+xml|png)/.test(type)) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Vipps MobilePay did not return a QR image")
  }
  res.setHeader("Content-Type", type)
  res.setHeader("Cache-Control", "no-store")
  res.send(Buffer.from(image.data))
}
