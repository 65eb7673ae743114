import { toBuffer, toString } from "qrcode"
import type { QrFormatName } from "../lib/vipps/schemas"

/** Real QR codes (of the landing page URL) for `userFlow: QR`: SVG by default, PNG honouring `size`. */

export const DEFAULT_PNG_SIZE = 1024

export type QrImage = { contentType: "image/svg+xml" | "image/png"; body: Buffer }

export async function renderQr(text: string, format: QrFormatName | undefined, size?: number | null): Promise<QrImage> {
  if (format === "IMAGE/PNG") {
    const body = await toBuffer(text, { type: "png", width: size ?? DEFAULT_PNG_SIZE, margin: 2 })
    return { contentType: "image/png", body }
  }
  const svg = await toString(text, { type: "svg", margin: 2 })
  return { contentType: "image/svg+xml", body: Buffer.from(svg, "utf8") }
}
