import axios, { AxiosInstance, AxiosResponse } from "axios"
import { describeIssues } from "../zod-issues"
import { safeParser } from "./compiled-check"
import http from "node:http"
import https from "node:https"
import { z } from "zod"
import { ResolvedClientConfig, systemHeaders } from "./config"
import { VippsApiError, VippsError, VippsNetworkError, VippsResponseValidationError } from "./errors"
import { nextDelay, parseRetryAfter } from "./retry-policy"
import { TokenCache, tokenExpiry } from "./token-cache"
import { AccessTokenResponse, Problem } from "./schemas"

/** How a call authenticates: the token endpoint itself, a normal API call, or Userinfo (no subscription key). */
type AuthMode = "credentials" | "bearer" | "userinfo"

export type ApiRequest<T> = {
  /** Name used in errors and logs, e.g. "epayment.capture". */
  operation: string
  method: "GET" | "POST" | "PUT" | "DELETE"
  path: string
  body?: unknown
  /** Sent on every attempt of this operation unchanged, so a retry never repeats its effect. */
  idempotencyKey?: string
  auth?: AuthMode
  /** Fewer attempts than configured, for calls that are not safe to repeat. */
  maxAttempts?: number
  /** Response body schema; `null` for bodiless answers (204). */
  schema: z.ZodType<T> | null
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The request pipeline shared by every resource: one axios instance with keep-alive, per-attempt
 * timeouts, access tokens, the Vipps-System headers, retries with backoff, typed errors.
 * Axios errors are never re-thrown: their `config` carries our credential headers.
 */
export class VippsHttp {
  private readonly axios: AxiosInstance
  private readonly tokenKey: string
  /** The headers that never change, per auth mode, built once (same order, so the bytes stay the same). */
  private readonly staticHeaders: Record<AuthMode, Readonly<Record<string, string>>>

  constructor(
    private readonly config: ResolvedClientConfig,
    private readonly tokens: TokenCache,
  ) {
    this.axios = axios.create({
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      // We interpret every status ourselves.
      validateStatus: () => true,
      // The body is serialised once, so every retry sends identical bytes.
      transformRequest: [(data) => data],
      transformResponse: [(data) => data],
      responseType: "text",
      maxRedirects: 0,
    })
    this.tokenKey = TokenCache.key(config.baseUrl, config.clientId, config.merchantSerialNumber)
    const common = {
      ...systemHeaders(config.systemInfo),
      "Merchant-Serial-Number": config.merchantSerialNumber,
      Accept: "application/json",
    }
    const bearer = { ...common, "Ocp-Apim-Subscription-Key": config.subscriptionKey }
    this.staticHeaders = {
      bearer,
      userinfo: common,
      credentials: { ...bearer, client_id: config.clientId, client_secret: config.clientSecret },
    }
  }

  async request<T>(request: ApiRequest<T>): Promise<T> {
    const started = Date.now()
    const serialized = request.body === undefined ? undefined : JSON.stringify(request.body)
    let refreshedAfter401 = false
    for (let attempt = 1; ; attempt++) {
      let token: string | undefined
      try {
        token =
          request.auth === "credentials"
            ? undefined
            : (this.tokens.peek(this.tokenKey) ?? (await this.accessToken()))
        return await this.attempt(request, serialized, token)
      } catch (caught) {
        const error = caught instanceof VippsError ? caught : this.unexpected(request.operation, caught)
        if (error instanceof VippsApiError && error.status === 401 && token && !refreshedAfter401) {
          // A token can be revoked or expire early: refresh once and repeat the same request.
          refreshedAfter401 = true
          this.tokens.invalidate(this.tokenKey, token)
          attempt--
          continue
        }
        const retry = request.maxAttempts
          ? {
              ...this.config.retry,
              maxAttempts: Math.min(request.maxAttempts, this.config.retry.maxAttempts),
            }
          : this.config.retry
        const delay = nextDelay(error, attempt, Date.now() - started, retry)
        if (delay === null) throw error
        this.config.logger?.warn(
          `Vipps MobilePay ${request.operation} attempt ${attempt} failed (${describe(error)}); retrying in ${delay} ms`,
        )
        await sleep(delay)
      }
    }
  }

  private async attempt<T>(request: ApiRequest<T>, body: string | undefined, token: string | undefined) {
    const headers: Record<string, string> = { ...this.staticHeaders[request.auth ?? "bearer"] }
    if (token) headers["Authorization"] = `Bearer ${token}`
    if (body !== undefined) headers["Content-Type"] = "application/json"
    if (request.idempotencyKey) headers["Idempotency-Key"] = request.idempotencyKey

    let response: AxiosResponse<string>
    try {
      response = await this.axios.request<string>({
        method: request.method,
        url: request.path,
        data: body,
        headers,
      })
    } catch (error) {
      throw toNetworkError(request.operation, error)
    }
    if (response.status >= 200 && response.status < 300) {
      return this.parse(request, response)
    }
    throw toApiError(request.operation, response)
  }

  private parse<T>(request: ApiRequest<T>, response: AxiosResponse<string>): T {
    if (request.schema === null) return undefined as T
    let json: unknown
    try {
      json = response.data === "" ? undefined : JSON.parse(response.data)
    } catch {
      throw new VippsResponseValidationError(request.operation, ["body is not JSON"])
    }
    const parsed = safeParser(request.schema)(json)
    if (!parsed.success) {
      // Paths and messages only: values may hold customer data.
      throw new VippsResponseValidationError(request.operation, describeIssues(parsed.error.issues))
    }
    return parsed.data
  }

  private accessToken(): Promise<string> {
    return this.tokens.get(this.tokenKey, async () => {
      // Stamped with the cache's clock, the one it compares expiry against.
      const fetchedAt = this.tokens.now()
      const response = await this.request({
        operation: "accesstoken.get",
        method: "POST",
        path: "/accesstoken/get",
        auth: "credentials",
        schema: AccessTokenResponse,
      })
      return {
        accessToken: response.access_token,
        expiresAt: tokenExpiry(fetchedAt, Number(response.expires_in)),
      }
    })
  }

  private unexpected(operation: string, error: unknown): VippsError {
    const reason = error instanceof Error ? error.name : typeof error
    return new VippsError(`Vipps MobilePay ${operation} failed unexpectedly (${reason})`, operation)
  }
}

function describe(error: VippsError): string {
  if (error instanceof VippsApiError) {
    return `HTTP ${error.status}${error.code ? ` code ${error.code}` : ""}${error.traceId ? ` traceId ${error.traceId}` : ""}`
  }
  if (error instanceof VippsNetworkError) return error.code ?? "network error"
  return error.name
}

function toNetworkError(operation: string, error: unknown): VippsNetworkError {
  if (axios.isAxiosError(error)) {
    const code = error.code
    const reason =
      code === "ECONNABORTED" || code === "ETIMEDOUT" ? "timed out" : (code ?? "connection failed")
    return new VippsNetworkError(operation, code, reason)
  }
  return new VippsNetworkError(operation, undefined, "connection failed")
}

function toApiError(operation: string, response: AxiosResponse<string>): VippsApiError {
  let problem: Problem = {}
  try {
    const parsed = Problem.safeParse(JSON.parse(response.data))
    if (parsed.success) problem = parsed.data
  } catch {
    // Not JSON (e.g. a gateway's HTML page): the status alone has to do.
  }
  return new VippsApiError({
    operation,
    status: response.status,
    title: problem.title,
    detail: problem.detail ?? undefined,
    traceId: problem.traceId ?? headerValue(response.headers["request-id"]) ?? undefined,
    instance: problem.instance ?? undefined,
    extraDetails: problem.extraDetails ?? undefined,
    retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]),
  })
}

function headerValue(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined
}
