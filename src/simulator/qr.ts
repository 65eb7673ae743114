import { deflateSync } from "node:zlib"
import { create, toString } from "qrcode"
import type { QrFormatName } from "../lib/vipps/schemas"

/**
 * Real QR codes (of the landing page URL) for `userFlow: QR`: SVG by default (qrcode's SVG renderer),
 * PNG honouring `size`. The PNG is encoded here from qrcode's module matrix with node:zlib, because
 * qrcode's pure-JS PNG path takes seconds for a 1024 px image inside test sandboxes.
 */

export const DEFAULT_PNG_SIZE = 1024
export const QR_MARGIN = 2

export type QrImage = { contentType: "image/svg+xml" | "image/png"; body: Buffer }

export async function renderQr(
  text: string,
  format: QrFormatName | undefined,
  size?: number | null,
): Promise<QrImage> {
  if (format === "IMAGE/PNG") {
    return { contentType: "image/png", body: renderPng(text, size ?? DEFAULT_PNG_SIZE) }
  }
  const svg = await toString(text, { type: "svg", margin: QR_MARGIN })
  return { contentType: "image/svg+xml", body: Buffer.from(svg, "utf8") }
}

/** An 8-bit greyscale PNG of `size` × `size` pixels: dark modules black, the quiet zone white. */
export function renderPng(text: string, size: number): Buffer {
  const qr = create(text, { errorCorrectionLevel: "M" })
  const count = qr.modules.size
  const scale = size / (count + QR_MARGIN * 2)
  const rowBytes = size + 1 // filter byte + one byte per pixel
  const raw = Buffer.alloc(rowBytes * size, 0xff)
  const columns = new Int32Array(size)
  for (let x = 0; x < size; x++) columns[x] = Math.floor(x / scale) - QR_MARGIN
  for (let y = 0; y < size; y++) {
    const offset = y * rowBytes
    raw[offset] = 0 // filter: none
    const my = Math.floor(y / scale) - QR_MARGIN
    if (my < 0 || my >= count) continue
    for (let x = 0; x < size; x++) {
      const mx = columns[x]
      if (mx >= 0 && mx < count && qr.modules.get(my, mx)) raw[offset + 1 + x] = 0
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // colour type: greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ])
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}
