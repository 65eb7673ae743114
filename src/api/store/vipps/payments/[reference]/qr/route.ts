import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ICacheService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { fetchQrImage, QrImage } from "../../../../../../lib/qr-image"
import { findReferenceOwner } from "../../../../../../sync/find-registration"

/** A payment request lives 10 minutes unless it is a long-living one (`expiresAt`). */
const QR_LIFETIME_SECONDS = 10 * 60
const OPEN_STATUSES = new Set(["pending", "requires_more"])

/** The image is third-party content served from the store's origin: never sniffed, never scripted. */
const QR_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
  "Cache-Control": "no-store",
}

/**
 * `GET /store/vipps/payments/:reference/qr` — the one-time QR code of an open `userFlow: QR` payment, for
 * a customer-facing screen or a till: the image (SVG or PNG, as requested at session creation) served from
 * the store's own origin, or `{ url }` for `TEXT/TARGETURL` (render the QR yourself). The image is fetched
 * from Vipps MobilePay once per reference (cached for the payment's lifetime), without following redirects.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const reference = req.params.reference
  const owner = await findReferenceOwner(req.scope, reference)
  if (!owner || owner.data.userFlow !== "QR" || !owner.data.redirectUrl) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "No Vipps MobilePay QR payment with this reference")
  }
  if (!OPEN_STATUSES.has(owner.status) || owner.data.failureReason) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "This Vipps MobilePay QR payment is no longer open")
  }
  if (owner.data.qrFormat === "TEXT/TARGETURL") {
    res.setHeader("Cache-Control", "no-store")
    res.json({ url: owner.data.redirectUrl })
    return
  }

  const cache = req.scope.resolve<ICacheService>(Modules.CACHE)
  const key = `vipps:qr:${reference}`
  let qr = await cache.get<QrImage>(key)
  if (!qr) {
    qr = await fetchQrImage(owner.data.redirectUrl).catch(() => {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Vipps MobilePay did not return a QR image")
    })
    await cache.set(key, qr, lifetimeSeconds(owner.data.expiresAt))
  }
  res.status(200)
  for (const [name, value] of Object.entries(QR_HEADERS)) res.setHeader(name, value)
  res.setHeader("Content-Type", qr.type)
  res.send(Buffer.from(qr.base64, "base64"))
}

function lifetimeSeconds(expiresAt: string | undefined): number {
  const until = expiresAt ? Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000) : QR_LIFETIME_SECONDS
  return Number.isFinite(until) && until > 0 ? until : QR_LIFETIME_SECONDS
}
