import net from "node:net"

/**
 * A TCP pass-through that records every byte a client sends, split into HTTP/1.1 requests. Used once per
 * run to prove that the bare-axios baseline sends byte-for-byte what our client sends.
 */

export type RawRequest = { head: string; body: string }

export type CaptureProxy = {
  url: string
  /** TCP connections opened by clients so far. */
  connections(): number
  requests(): RawRequest[]
  close(): Promise<void>
}

export async function startCaptureProxy(target: string): Promise<CaptureProxy> {
  const { hostname, port } = new URL(target)
  const streams: Buffer[][] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const chunks: Buffer[] = []
    streams.push(chunks)
    const upstream = net.connect(Number(port), hostname)
    sockets.add(client).add(upstream)
    client.on("data", (chunk) => {
      chunks.push(chunk)
      upstream.write(chunk)
    })
    upstream.on("data", (chunk) => client.write(chunk))
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on("close", end).on("error", end)
    upstream.on("close", end).on("error", end)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => streams.length,
    requests: () => streams.flatMap((chunks) => splitRequests(Buffer.concat(chunks))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function splitRequests(buffer: Buffer): RawRequest[] {
  const out: RawRequest[] = []
  let offset = 0
  while (offset < buffer.length) {
    const end = buffer.indexOf("\r\n\r\n", offset)
    if (end < 0) break
    const head = buffer.subarray(offset, end).toString("latin1")
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
    const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8")
    out.push({ head, body })
    offset = end + 4 + length
  }
  return out
}
