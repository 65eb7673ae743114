import http from "node:http"
import type { AddressInfo } from "node:net"
import { fetchQrImage, QrImageError } from "../qr-image"

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)])
const SVG = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1v1H0z"/></svg>'

describe("fetchQrImage", () => {
  let server: http.Server
  let base: string
  const hits: string[] = []

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? "")
      const send = (status: number, type: string, body: string | Buffer, headers = {}) => {
        res.writeHead(status, { "content-type": type, ...headers })
        res.end(body)
      }
      switch (req.url) {
        case "/svg":
          return send(200, "image/svg+xml", SVG)
        case "/png":
          return send(200, "image/png", PNG)
        case "/redirect":
          return send(302, "text/plain", "", { location: `${base}/svg` })
        case "/html-as-svg":
          return send(200, "image/svg+xml", "<html><script>alert(1)</script></html>")
        case "/png-as-svg":
          return send(200, "image/svg+xml", PNG)
        case "/text":
          return send(200, "text/html", SVG)
        case "/huge":
          return send(200, "image/png", Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]))
        default:
          return send(404, "text/plain", "no")
      }
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("returns an SVG and a PNG as they are", async () => {
    const svg = await fetchQrImage(`${base}/svg`)
    expect(svg.type).toBe("image/svg+xml")
    expect(Buffer.from(svg.base64, "base64").toString("utf8")).toBe(SVG)
    const png = await fetchQrImage(`${base}/png`)
    expect(png.type).toBe("image/png")
    expect(Buffer.from(png.base64, "base64").equals(PNG)).toBe(true)
  })

  it("does not follow a redirect", async () => {
    hits.length = 0
    await expect(fetchQrImage(`${base}/redirect`)).rejects.toThrow(QrImageError)
    expect(hits).toEqual(["/redirect"])
  })

  it.each(["/html-as-svg", "/png-as-svg", "/text", "/huge", "/missing"])("refuses %s", async (path) => {
    await expect(fetchQrImage(`${base}${path}`)).rejects.toThrow(QrImageError)
  })

  it("refuses anything but http(s)", async () => {
    hits.length = 0
    await expect(fetchQrImage("file:///etc/passwd")).rejects.toThrow(/http/)
    await expect(fetchQrImage("javascript:alert(1)")).rejects.toThrow(/http/)
    expect(hits).toEqual([])
  })
})
