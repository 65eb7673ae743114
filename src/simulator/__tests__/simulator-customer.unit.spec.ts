import { inflateSync } from "node:zlib"
import { create as qrCreate, toString as qrSvg } from "qrcode"
import type { RunningSimulator } from "../index"
import { Api, errorCode, newReference, startTestSimulator } from "./helpers"

type Form = { action: string; token: string; buttonId: string; label: string }

/** Reads the landing page's forms as a browser would (no JavaScript involved). */
function forms(html: string, pageUrl: string): Form[] {
  const found: Form[] = []
  const re =
    /<form method="post" action="([^"]+)"><input type="hidden" name="token" value="([^"]+)"><button id="([^"]+)" type="submit">([^<]+)<\/button><\/form>/g
  for (let m = re.exec(html); m; m = re.exec(html)) {
    found.push({ action: new URL(m[1], pageUrl).toString(), token: m[2], buttonId: m[3], label: m[4] })
  }
  return found
}

async function submit(form: Form) {
  return fetch(form.action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: form.token }).toString(),
    redirect: "manual",
  })
}

describe("simulator: landing page, QR codes, force approve and Userinfo", () => {
  let sim: RunningSimulator
  let api: Api

  beforeAll(async () => {
    sim = await startTestSimulator({
      testUser: { name: "Kari Nordmann", givenName: "Kari", email: "kari@example.com" },
    })
    api = new Api(sim)
  })
  afterAll(() => sim.stop())

  async function openLanding(reference: string, overrides: Record<string, unknown> = {}) {
    const created = await api.createPayment({
      reference,
      amount: { currency: "NOK", value: 49_900 },
      paymentDescription: "Two pairs of <socks>",
      ...overrides,
    })
    const page = await fetch(created.body.redirectUrl)
    return { created, page, html: await page.text() }
  }

  it("shows merchant, amount, description and stable Approve / Reject buttons", async () => {
    const reference = newReference()
    const { page, html } = await openLanding(reference)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(html).toContain("Simulated Shop")
    expect(html).toContain("499.00 NOK")
    expect(html).toContain("Two pairs of &lt;socks&gt;")
    expect(html).not.toContain("<socks>")
    expect(html).not.toContain("<script")
    expect(forms(html, page.url).map((f) => [f.buttonId, f.label])).toEqual([
      ["approve", "Approve"],
      ["reject", "Reject"],
    ])
  })

  it("Approve authorizes and redirects (303) to the returnUrl", async () => {
    const reference = newReference()
    const { created, page, html } = await openLanding(reference)
    const approve = forms(html, page.url).find((f) => f.buttonId === "approve") as Form
    const res = await submit(approve)
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toBe(`https://shop.example.com/return?reference=${reference}`)
    expect((await api.getPayment(reference)).body.state).toBe("AUTHORIZED")
    // The page now shows the outcome and no buttons.
    const after = await (await fetch(created.body.redirectUrl)).text()
    expect(forms(after, created.body.redirectUrl)).toEqual([])
    expect(after).toContain("AUTHORIZED")
    // Acting again is refused with a page, not a second event.
    expect((await submit(approve)).status).toBe(409)
    expect(sim.control.getPayment(reference)?.events.map((e) => e.name)).toEqual(["CREATED", "AUTHORIZED"])
  })

  it("Reject aborts and redirects to the returnUrl", async () => {
    const reference = newReference()
    const { page, html } = await openLanding(reference)
    const res = await submit(forms(html, page.url).find((f) => f.buttonId === "reject") as Form)
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toContain(reference)
    expect((await api.getPayment(reference)).body.state).toBe("ABORTED")
  })

  it("PUSH_MESSAGE payments can be approved on the landing page and end on a done page", async () => {
    const reference = newReference()
    await api.createPayment({
      reference,
      userFlow: "PUSH_MESSAGE",
      returnUrl: undefined,
      customer: { phoneNumber: "4798765432" },
    })
    const url = sim.control.landingUrl(reference)
    const html = await (await fetch(url)).text()
    const res = await submit(forms(html, url)[0])
    expect(res.status).toBe(200)
    expect(await res.text()).toContain("Payment approved")
    expect(sim.control.getPayment(reference)?.approvedBy).toBe("4798765432")
  })

  it("an unknown token gives a 404 page; an expired payment cannot be approved", async () => {
    expect((await fetch(`${sim.url}/landing?token=nope`)).status).toBe(404)
    const reference = newReference()
    const { page, html } = await openLanding(reference)
    sim.control.expire(reference)
    const res = await submit(forms(html, page.url)[0])
    expect(res.status).toBe(409)
    expect(await res.text()).toContain("EXPIRED")
  })

  it("QR: SVG by default, encoding the landing page URL", async () => {
    const reference = newReference()
    const created = await api.createPayment({ reference, userFlow: "QR", returnUrl: undefined })
    expect(created.body.redirectUrl).toMatch(new RegExp(`^${sim.url}/qr\\?token=`))
    const res = await fetch(created.body.redirectUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("image/svg+xml")
    const svg = await res.text()
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"[^>]*>[\s\S]*<\/svg>\s*$/,
    )
    const landing = sim.control.landingUrl(reference)
    expect(svg).toBe(await qrSvg(landing, { type: "svg", margin: 2 }))
  })

  it("QR: PNG honouring size, and TEXT/TARGETURL returns the landing URL itself", async () => {
    const pngRef = newReference()
    const png = await api.createPayment({
      reference: pngRef,
      userFlow: "QR",
      returnUrl: undefined,
      qrFormat: { format: "IMAGE/PNG", size: 300 },
    })
    const res = await fetch(png.body.redirectUrl)
    expect(res.headers.get("content-type")).toBe("image/png")
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR")
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([300, 300])
    // Decode the (8-bit greyscale, unfiltered) image and compare it with the QR matrix of the landing URL.
    const idat = bytes.subarray(bytes.indexOf("IDAT") + 4, bytes.indexOf("IEND") - 8)
    const raw = inflateSync(idat)
    expect(raw.length).toBe(301 * 300)
    const qr = qrCreate(sim.control.landingUrl(pngRef), { errorCorrectionLevel: "M" })
    const scale = 300 / (qr.modules.size + 4)
    let mismatches = 0
    for (let my = 0; my < qr.modules.size; my++) {
      for (let mx = 0; mx < qr.modules.size; mx++) {
        const px = Math.floor((mx + 2.5) * scale)
        const py = Math.floor((my + 2.5) * scale)
        const dark = raw[py * 301 + 1 + px] === 0
        if (dark !== Boolean(qr.modules.get(my, mx))) mismatches += 1
      }
    }
    expect(mismatches).toBe(0)
    expect(raw[1]).toBe(0xff) // quiet zone is white

    const defaultPng = await api.createPayment({
      userFlow: "QR",
      returnUrl: undefined,
      qrFormat: { format: "IMAGE/PNG" },
    })
    const big = Buffer.from(await (await fetch(defaultPng.body.redirectUrl)).arrayBuffer())
    expect(big.readUInt32BE(16)).toBe(1024)

    const reference = newReference()
    const text = await api.createPayment({
      reference,
      userFlow: "QR",
      returnUrl: undefined,
      qrFormat: { format: "TEXT/TARGETURL" },
    })
    expect(text.body.redirectUrl).toBe(sim.control.landingUrl(reference))
    expect((await fetch(text.body.redirectUrl)).headers.get("content-type")).toContain("text/html")
  })

  it("force approve works with the redirect token or a phone number, and refuses mismatches", async () => {
    const byToken = newReference()
    const created = await api.createPayment({ reference: byToken })
    const token = new URL(created.body.redirectUrl).searchParams.get("token")
    expect(errorCode((await api.forceApprove(byToken, { token: "wrong" })).body)).toBe("10030")
    const ok = await api.forceApprove(byToken, { token })
    expect(ok.status).toBe(200)
    expect((await api.getPayment(byToken)).body.state).toBe("AUTHORIZED")
    expect(errorCode((await api.forceApprove(byToken, { token })).body)).toBe("10060")

    const push = newReference()
    await api.createPayment({
      reference: push,
      userFlow: "PUSH_MESSAGE",
      returnUrl: undefined,
      customer: { phoneNumber: "4791234567" },
    })
    expect(errorCode((await api.forceApprove(push, { customer: { phoneNumber: "4700000000" } })).body)).toBe(
      "10020",
    )
    expect((await api.forceApprove(push, { customer: { phoneNumber: "4791234567" } })).status).toBe(200)
    expect((await api.forceApprove(newReference(), {})).status).toBe(404)
    expect((await api.forceApprove(push, { customer: { phoneNumber: "12" } })).status).toBe(400)
  })

  it("Userinfo returns the test user's data limited to the consented scope", async () => {
    const reference = await api.authorizedPayment(1_000, { profile: { scope: "name email" } })
    const sub = (await api.getPayment(reference)).body.profile.sub as string
    expect(sub).toMatch(/^[0-9a-f-]{36}$/)
    const path = `/vipps-userinfo-api/userinfo/${sub}`
    const noKey = { "Ocp-Apim-Subscription-Key": undefined, "Merchant-Serial-Number": undefined }
    const res = await api.call("GET", path, { headers: noKey })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      sub,
      name: "Kari Nordmann",
      given_name: "Kari",
      family_name: "Nordmann",
      email: "kari@example.com",
      email_verified: true,
    })

    const other = await api.authorizedPayment(1_000, { profile: { scope: "address phoneNumber birthDate" } })
    const otherSub = (await api.getPayment(other)).body.profile.sub as string
    const full = await api.call("GET", `/vipps-userinfo-api/userinfo/${otherSub}`, { headers: noKey })
    expect(Object.keys(full.body).sort()).toEqual(["address", "birthdate", "phone_number", "sub"])
    expect(full.body.address).toMatchObject({
      street_address: "Robert Levins gate 5",
      postal_code: "0154",
      region: "Oslo",
      country: "NO",
    })
    expect(full.body.phone_number).toBe("4712345678")
  })

  it("Userinfo: 401 with a subscription key or without a token, 404 for an unknown sub, no sub without scope", async () => {
    const reference = await api.authorizedPayment(1_000, { profile: { scope: "name" } })
    const sub = (await api.getPayment(reference)).body.profile.sub as string
    const path = `/vipps-userinfo-api/userinfo/${sub}`
    expect((await api.call("GET", path)).status).toBe(401) // the helper sends Ocp-Apim-Subscription-Key
    expect(
      (await api.call("GET", path, { token: null, headers: { "Ocp-Apim-Subscription-Key": undefined } }))
        .status,
    ).toBe(401)
    const unknown = await api.call(
      "GET",
      "/vipps-userinfo-api/userinfo/00000000-0000-0000-0000-000000000000",
      {
        headers: { "Ocp-Apim-Subscription-Key": undefined },
      },
    )
    expect(unknown.status).toBe(404)
    const plain = await api.authorizedPayment(1_000)
    expect((await api.getPayment(plain)).body.profile).toEqual({})
  })
})
