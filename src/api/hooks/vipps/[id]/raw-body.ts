import type { IncomingMessage } from "node:http"

/** Thrown when a body is larger than the route accepts; the route answers 413. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`body larger than ${limit} bytes`)
    this.name = "BodyTooLargeError"
  }
}

/** How much of an oversized body is read and thrown away so the sender can still read the 413. */
const DISCARD_LIMIT = 8 * 1024 * 1024

/**
 * The request body exactly as received (the route runs with Medusa's body parser turned off). An oversized
 * body is refused without being kept: the rest is read and discarded, so the caller can answer 413 on a
 * connection that is still open (Vipps MobilePay and proxies then see an answer, not a network error).
 * Only a sender that goes on far past that is cut off.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) {
      discard(req, 0)
      reject(new BodyTooLargeError(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      req.off("data", onData)
      req.off("end", onEnd)
      chunks.length = 0
      discard(req, size)
      reject(new BodyTooLargeError(limit))
    }
    const onEnd = () => resolve(Buffer.concat(chunks))
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", reject)
  })
}

function discard(req: IncomingMessage, alreadyRead: number) {
  let read = alreadyRead
  req.on("data", (chunk: Buffer) => {
    read += chunk.length
    if (read > DISCARD_LIMIT) req.destroy()
  })
  req.resume()
}
