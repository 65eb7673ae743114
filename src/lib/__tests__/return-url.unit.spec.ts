import { isAllowedReturnUrl, parseReturnUrlRule, ReturnUrlRule } from "../return-url"

function rules(...entries: string[]): ReturnUrlRule[] {
  return entries.map((entry) => {
    const rule = parseReturnUrlRule(entry)
    if ("error" in rule) throw new Error(`${entry}: ${rule.error}`)
    return rule
  })
}

describe("return URL allow-list", () => {
  const list = rules("https://shop.example", "http://localhost:8000", "myapp://")

  it.each([
    "https://shop.example/vipps/return?reference={reference}",
    "HTTPS://SHOP.EXAMPLE/return",
    "http://localhost:8000/return",
    "myapp://return?reference=R",
    "myapp://anything/else",
  ])("allows %s", (url) => {
    expect(isAllowedReturnUrl(url, list)).toBe(true)
  })

  it.each([
    "javascript:alert(document.cookie)",
    "javascript://%0aalert(1)",
    "JavaScript://shop.example/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "otherapp://return",
    "myapp:return",
    "http://shop.example/return",
    "https://shop.example:8443/return",
    "https://shop.example.evil.example/return",
    "https://evil.example/?https://shop.example",
    "https://user:pass@shop.example/return",
    "http://localhost:9000/return",
    "not a url",
    "",
  ])("refuses %s", (url) => {
    expect(isAllowedReturnUrl(url, list)).toBe(false)
  })

  it("refuses javascript: and data: even when the list names them", () => {
    expect(parseReturnUrlRule("javascript://")).toEqual({ error: expect.stringMatching(/never/) })
    expect(parseReturnUrlRule("data://x")).toEqual({ error: expect.stringMatching(/never/) })
    expect(isAllowedReturnUrl("javascript://x", [{ scheme: "javascript", host: null }])).toBe(false)
  })

  it("limits an app scheme entry with a host to that host", () => {
    const only = rules("myapp://checkout")
    expect(isAllowedReturnUrl("myapp://checkout/done", only)).toBe(true)
    expect(isAllowedReturnUrl("myapp://settings", only)).toBe(false)
  })

  it.each([
    ["https://shop.example/return", /origin only/],
    ["https://", /host|URL/],
    ["shop.example", /scheme/],
    ["myapp:", /scheme:\/\//],
    ["https://u:p@shop.example", /credentials/],
  ])("refuses the entry %s", (entry, message) => {
    expect(parseReturnUrlRule(entry)).toEqual({ error: expect.stringMatching(message) })
  })
})
