import Medusa from "@medusajs/js-sdk"

/**
 * The admin API client of this plugin's widgets: Medusa's JS SDK, configured as the dashboard configures
 * its own. The dashboard's build defines these constants from `backendUrl` (admin config) and
 * ADMIN_AUTH_TYPE / ADMIN_JWT_TOKEN_STORAGE_KEY; where a build leaves them undefined, the defaults are
 * the dashboard's: same origin, cookie session — or the JWT the dashboard stored when it logged in with one.
 */
declare const __BACKEND_URL__: string | undefined
declare const __AUTH_TYPE__: "session" | "jwt" | undefined
declare const __JWT_TOKEN_STORAGE_KEY__: string | undefined

const DEFAULT_JWT_STORAGE_KEY = "medusa_auth_token"

function defined<T>(read: () => T): T | undefined {
  try {
    return read() ?? undefined
  } catch {
    return undefined // not defined by this build
  }
}

function storedJwt(key: string): boolean {
  try {
    return !!window.localStorage.getItem(key)
  } catch {
    return false
  }
}

const jwtTokenStorageKey = defined(() => __JWT_TOKEN_STORAGE_KEY__) || DEFAULT_JWT_STORAGE_KEY
const authType = defined(() => __AUTH_TYPE__) ?? (storedJwt(jwtTokenStorageKey) ? "jwt" : "session")

export const sdk = new Medusa({
  baseUrl: defined(() => __BACKEND_URL__) || "/",
  auth: { type: authType, jwtTokenStorageKey },
})
