import axios from "axios"

/** A QR image as Vipps MobilePay serves it, checked to be what it claims. */
export type QrImage = { type: "image/svg+xml" | "image/png"; base64: string }

export class QrImageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "QrImageError"
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const MAX_BYTES = 2 * 1024 * 1024

/**
 * Fetches the QR image of a payment: http(s) only, no redirects followed (the URL came from Vipps
 * MobilePay; a redirect elsewhere is not their image), at most 2 MB, and only a PNG or an SVG whose
 * bytes match the declared type. Throws QrImageError otherwise.
 */
export async function fetchQrImage(url: string, timeoutMs = 10_000): Promise<QrImage> {
  if (!/^https?:\/\//i.test(url)) throw new QrImageError("not an http(s) URL")
  const response = await axios
    .get<ArrayBuffer>(url, {
      responseType: "arraybuffer",
      timeout: timeoutMs,
      maxRedirects: 0,
      maxContentLength: MAX_BYTES,
      validateStatus: (status) => status === 200,
    })
    .catch((error: unknown) => {
      const status = axios.isAxiosError(error) ? error.response?.status : undefined
      throw new QrImageError(status ? `answered HTTP ${status}` : "no image")
    })
  const declared = String(response.headers["content-type"] ?? "").toLowerCase()
  const body = Buffer.from(response.data)
  if (declared.startsWith("image/png") && body.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { type: "image/png", base64: body.toString("base64") }
  }
  const head = body.toString("utf8", 0, 512)
  if (
    declared.startsWith("image/svg+xml") &&
    /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(head)
  ) {
    return { type: "image/svg+xml", base64: body.toString("base64") }
  }
  throw new QrImageError("not a PNG or SVG image")
}
