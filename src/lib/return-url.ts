/**
 * Which return URLs a storefront may send (provider option `allowedReturnUrlOrigins`). Compares scheme
 * and host explicitly: `URL.origin` is "null" for every non-http(s) scheme, so an allow-list holding one
 * app scheme must not let `javascript:`, `data:` or another app's URL through.
 *
 * Entries: `https://shop.example` (scheme + host[:port]), or an app scheme `myapp://` (any host of that
 * scheme) / `myapp://checkout` (that host only).
 */

/** Schemes that run code or read local data: never a return URL, whatever the allow-list says. */
const NEVER = new Set([
  "javascript",
  "data",
  "vbscript",
  "file",
  "blob",
  "about",
  "filesystem",
  "view-source",
])
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/

export type ReturnUrlRule = { scheme: string; host: string | null }

/** An allow-list entry as a rule, or the reason it cannot be one. */
export function parseReturnUrlRule(entry: string): ReturnUrlRule | { error: string } {
  const scheme = SCHEME.exec(entry)?.[1]?.toLowerCase()
  if (!scheme) return { error: "must start with a scheme, e.g. https://shop.example or myapp://" }
  if (NEVER.has(scheme)) return { error: `the scheme ${scheme}: can never be a return URL` }
  if (!entry.slice(scheme.length + 1).startsWith("//")) {
    return { error: "must be scheme://host (https://shop.example) or an app scheme (myapp://)" }
  }
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return { error: "is not a URL" }
  }
  const http = scheme === "http" || scheme === "https"
  if (http && !url.host) return { error: "needs a host" }
  if (url.username || url.password) return { error: "must not hold credentials" }
  if ((url.pathname !== "" && url.pathname !== "/") || url.search || url.hash) {
    return { error: "must be an origin only (no path, query or fragment)" }
  }
  return { scheme, host: url.host ? url.host.toLowerCase() : null }
}

/** Whether a storefront's return URL is allowed by the rules (scheme and host compared explicitly). */
export function isAllowedReturnUrl(returnUrl: string, rules: readonly ReturnUrlRule[]): boolean {
  const scheme = SCHEME.exec(returnUrl)?.[1]?.toLowerCase()
  if (!scheme || NEVER.has(scheme)) return false
  if (!returnUrl.slice(scheme.length + 1).startsWith("//")) return false
  let url: URL
  try {
    url = new URL(returnUrl)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  const host = url.host.toLowerCase()
  return rules.some((rule) => rule.scheme === scheme && (rule.host === null ? true : rule.host === host))
}
