import { randomBytes, randomUUID } from "node:crypto"
import type { SimulatorClock } from "./clock"
import { ApiError, badRequest, unauthorized } from "./problems"
import type { SimulatorMerchant } from "./types"

/**
 * The Access Token API: issues JWT-looking opaque tokens bound to one merchant (MSN + subscription key),
 * valid for a configurable lifetime on the simulator clock.
 */

export type IssuedToken = {
  accessToken: string
  msn: string
  clientId: string
  subscriptionKey: string
  issuedAt: number
  expiresAt: number
}

export type AccessTokenBody = {
  token_type: "Bearer"
  expires_in: string
  ext_expires_in: string
  expires_on: string
  not_before: string
  resource: string
  access_token: string
}

type Headers = Record<string, string | string[] | undefined>

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url")
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>()

  constructor(
    private readonly clock: SimulatorClock,
    private readonly merchants: () => SimulatorMerchant[],
    private readonly lifetimeSeconds: number,
  ) {}

  /** `POST /accesstoken/get`: checks the credential headers and returns the token response. */
  handleTokenRequest(headers: Headers): AccessTokenBody {
    const clientId = header(headers, "client_id")
    const clientSecret = header(headers, "client_secret")
    const subscriptionKey = header(headers, "ocp-apim-subscription-key")
    const msn = header(headers, "merchant-serial-number")
    const missing = [
      ["client_id", clientId],
      ["client_secret", clientSecret],
      ["Ocp-Apim-Subscription-Key", subscriptionKey],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name as string)
    if (missing.length > 0) {
      throw badRequest(
        undefined,
        `Missing required header(s): ${missing.join(", ")}`,
        missing.map((name) => ({ name, reason: "The header is required." })),
      )
    }
    const merchant = this.merchants().find((m) => m.clientId === clientId)
    if (!merchant || merchant.clientSecret !== clientSecret) {
      throw unauthorized("Invalid client_id or client_secret.")
    }
    if (merchant.subscriptionKey !== subscriptionKey) {
      throw unauthorized("Access denied due to invalid subscription key.")
    }
    if (msn !== undefined && msn !== merchant.msn) {
      throw new ApiError({
        status: 401,
        detail: "The Merchant-Serial-Number does not belong to this client.",
      })
    }
    return this.issueBody(merchant)
  }

  /** Issues a token for a merchant directly (the in-process control API uses this). */
  issue(merchant: SimulatorMerchant): IssuedToken {
    const issuedAt = this.clock.now()
    const expiresAt = issuedAt + this.lifetimeSeconds * 1000
    const accessToken = this.mint(merchant, issuedAt, expiresAt)
    const record: IssuedToken = {
      accessToken,
      msn: merchant.msn,
      clientId: merchant.clientId,
      subscriptionKey: merchant.subscriptionKey,
      issuedAt,
      expiresAt,
    }
    this.tokens.set(accessToken, record)
    return record
  }

  issueBody(merchant: SimulatorMerchant): AccessTokenBody {
    const token = this.issue(merchant)
    const seconds = String(this.lifetimeSeconds)
    return {
      token_type: "Bearer",
      expires_in: seconds,
      ext_expires_in: seconds,
      expires_on: String(Math.floor(token.expiresAt / 1000)),
      not_before: String(Math.floor(token.issuedAt / 1000)),
      resource: "00000002-0000-0000-c000-000000000000",
      access_token: token.accessToken,
    }
  }

  /** Validates `Authorization: Bearer <token>`; 401 when missing, not Bearer, unknown or expired. */
  authenticate(headers: Headers): IssuedToken {
    const authorization = header(headers, "authorization")
    if (!authorization) throw unauthorized("Missing Authorization header.")
    const match = /^Bearer\s+(\S+)\s*$/.exec(authorization)
    if (!match) throw unauthorized("The Authorization header must use the Bearer scheme.")
    const token = this.tokens.get(match[1])
    if (!token) throw unauthorized("Invalid access token.")
    if (this.clock.now() >= token.expiresAt) throw unauthorized("The access token has expired.")
    return token
  }

  /** Makes every issued token invalid. */
  clear(): void {
    this.tokens.clear()
  }

  get size(): number {
    return this.tokens.size
  }

  private mint(merchant: SimulatorMerchant, issuedAt: number, expiresAt: number): string {
    const head = base64url(
      JSON.stringify({ typ: "JWT", alg: "RS256", x5t: randomBytes(20).toString("base64url") }),
    )
    const payload = base64url(
      JSON.stringify({
        aud: "00000002-0000-0000-c000-000000000000",
        iss: "https://sts.windows.net/vipps-mobilepay-simulator/",
        iat: Math.floor(issuedAt / 1000),
        nbf: Math.floor(issuedAt / 1000),
        exp: Math.floor(expiresAt / 1000),
        appid: merchant.clientId,
        msn: merchant.msn,
        jti: randomUUID(),
        tid: randomUUID(),
        oid: randomUUID(),
        ver: "1.0",
        sim: "vipps-mobilepay-simulator",
      }),
    )
    const signature = randomBytes(256).toString("base64url")
    return `${head}.${payload}.${signature}`
  }
}
