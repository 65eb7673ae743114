import { z } from "zod"
import { describeIssues } from "../../lib/zod-issues"
import {
  BLOCKED_SOURCES,
  CUSTOMER_INTERACTIONS,
  MINIMUM_USER_AGE_MAX,
  PAYMENT_METHOD_TYPES,
  PROFILE_SCOPES,
  USER_FLOWS,
} from "../../lib/vipps/schemas"
import { REFERENCE_PREFIX_PATTERN } from "../../lib/reference"
import { parseReturnUrlRule } from "../../lib/return-url"
import { DEFAULT_PAYMENT_DESCRIPTION } from "./payment-description"

/**
 * Options of one provider registration (`providers: [{ resolve, id, options }]`). Validated at startup:
 * a bad value stops Medusa with a message that names the option and never echoes its value.
 */
const required = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, { error: `${name} is required` })

const urlTemplate = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/?\S+$/, {
    error: "must be an absolute URL (https:// or an app scheme)",
  })

const httpsUrl = (name: string) =>
  z
    .string()
    .trim()
    .max(2048)
    .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", {
      error: `${name} must be an absolute https:// URL`,
    })

export const VippsOptionsSchema = z
  .strictObject({
    clientId: required("clientId"),
    clientSecret: required("clientSecret"),
    subscriptionKey: required("subscriptionKey"),
    merchantSerialNumber: z
      .string({ error: "merchantSerialNumber is required" })
      .regex(/^\d{4,7}$/, { error: "merchantSerialNumber must be the 4-7 digit MSN of the sales unit" }),
    /** Vipps MobilePay's test environment instead of production. */
    testMode: z.boolean().default(false),
    /** Explicit API base URL, e.g. the local simulator; wins over testMode. */
    apiBaseUrl: z.url({ protocol: /^https?$/, error: "apiBaseUrl must be an http(s) URL" }).optional(),
    /**
     * Where the shopper returns after the app; placeholders {reference}, {session_id}, {cart_id}.
     * Required unless every payment is PUSH_MESSAGE or QR.
     */
    returnUrl: urlTemplate.optional(),
    /**
     * Where the storefront may send shoppers back with its own `returnUrl` in session data (default: nowhere):
     * `https://shop.example` (scheme and host) or an app scheme `myapp://` / `myapp://host`.
     */
    allowedReturnUrlOrigins: z
      .array(
        z.string().superRefine((entry, ctx) => {
          const rule = parseReturnUrlRule(entry.trim())
          if ("error" in rule) ctx.addIssue({ code: "custom", message: rule.error })
        }),
      )
      .default([]),
    userFlow: z.enum(USER_FLOWS).default("WEB_REDIRECT"),
    /**
     * Flows the storefront may pick per session, besides `userFlow`. PUSH_MESSAGE is left out by default:
     * it sends a payment request to any phone number given, which only a till or call centre should do.
     */
    storefrontUserFlows: z.array(z.enum(USER_FLOWS)).default(["WEB_REDIRECT", "NATIVE_REDIRECT", "QR"]),
    paymentMethod: z.enum(PAYMENT_METHOD_TYPES).default("WALLET"),
    customerInteraction: z.enum(CUSTOMER_INTERACTIONS).default("CUSTOMER_NOT_PRESENT"),
    /** Let the storefront set `customerInteraction` per session (a till or kiosk); a web shop leaves it off. */
    storefrontCustomerInteraction: z.boolean().default(false),
    /** Capture at authorization (only for goods delivered at once: tickets, digital goods, in-store). */
    autoCapture: z.boolean().default(false),
    /**
     * Shown in the app, the business portal and settlement files; placeholders {store_name}, {items} (e.g.
     * "2 × T-shirt, 1 more"), {cart_id}, {reference}. Cut to 100 characters after filling.
     */
    paymentDescription: z.string().min(1).max(100).default(DEFAULT_PAYMENT_DESCRIPTION),
    /** Fills {store_name}: the name shoppers know the shop by. */
    storeName: z.string().max(60).optional(),
    /** Prepended to every reference so several shops can share one sales unit. */
    referencePrefix: z
      .string()
      .regex(REFERENCE_PREFIX_PATTERN, {
        error: "referencePrefix must be 1-30 characters a-z A-Z 0-9 - (not starting or ending with -)",
      })
      .optional(),
    /** Secret returned when the webhook was registered; needed to accept webhooks. */
    webhookSecret: z.string().min(1).optional(),
    /**
     * The public webhook URL as registered at Vipps MobilePay (e.g. https://shop.example/hooks/vipps/vipps).
     * Its host and path are what Vipps signs; set it when a proxy rewrites the Host header or the path.
     */
    webhookUrl: z.url({ protocol: /^https?$/, error: "webhookUrl must be an http(s) URL" }).optional(),
    /** Largest accepted difference between a webhook's x-ms-date and now. */
    webhookToleranceSeconds: z.number().int().positive().default(300),
    /** Reconciliation: sessions younger than this are left to the storefront and webhooks. */
    reconcileAfterSeconds: z.number().int().min(0).default(60),
    /** Reconciliation: how often an approved payment with money still reserved is read back (portal actions, lost webhooks). */
    reconcileAuthorizedEverySeconds: z.number().int().min(60).default(3600),
    /** An approved payment whose cart fails to become an order this many times is released. */
    maxCompletionAttempts: z.number().int().min(1).max(50).default(5),
    /** Profile sharing scope, e.g. "name email phoneNumber address". */
    profileScope: z
      .string()
      .refine((scope) => scope.split(" ").every((s) => (PROFILE_SCOPES as readonly string[]).includes(s)), {
        error: `profileScope must be space-separated values of: ${PROFILE_SCOPES.join(", ")}`,
      })
      .optional(),
    // ── ePayment 2026 features (legal links, age limit, blocked sources) ──
    /** Terms of sale shown in the app; the customer accepts them before paying (https). */
    termsOfSaleUrl: httpsUrl("termsOfSaleUrl").optional(),
    /** Privacy policy shown in the app next to the terms (https). */
    privacyPolicyUrl: httpsUrl("privacyPolicyUrl").optional(),
    /** Lowest customer age for every payment; product or variant metadata `vipps_minimum_user_age` can raise it. */
    minimumUserAge: z
      .number({ error: `minimumUserAge must be a whole number of years, 0-${MINIMUM_USER_AGE_MAX}` })
      .int({ error: `minimumUserAge must be a whole number of years, 0-${MINIMUM_USER_AGE_MAX}` })
      .min(0)
      .max(MINIMUM_USER_AGE_MAX)
      .optional(),
    /** Danish and Finnish sales units, WALLET only: refuse these sources (e.g. company cards). */
    blockedSources: z.array(z.enum(BLOCKED_SOURCES)).min(1).optional(),
    // ── Express checkout ──
    /**
     * The public URL of this registration's shipping callback (`https://shop.example/vipps/shipping/<id>`):
     * needed for Express with dynamic options (prices computed for the address chosen in the app).
     */
    expressCallbackUrl: z
      .url({ protocol: /^https?$/, error: "expressCallbackUrl must be an http(s) URL" })
      .optional(),

    /** Per-attempt HTTP timeout and retry budget of calls to Vipps MobilePay. */
    timeoutMs: z.number().int().positive().default(10_000),
    maxAttempts: z.number().int().min(1).max(10).default(4),
  })
  .superRefine((options, ctx) => {
    if (
      !options.returnUrl &&
      (options.userFlow === "WEB_REDIRECT" || options.userFlow === "NATIVE_REDIRECT")
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["returnUrl"],
        message: `returnUrl is required for userFlow ${options.userFlow}`,
      })
    }
    if (options.blockedSources && options.paymentMethod !== "WALLET") {
      ctx.addIssue({
        code: "custom",
        path: ["blockedSources"],
        message: "blockedSources needs paymentMethod WALLET",
      })
    }
    if (options.paymentMethod === "CARD" && options.userFlow !== "WEB_REDIRECT") {
      ctx.addIssue({
        code: "custom",
        path: ["paymentMethod"],
        message: "paymentMethod CARD needs userFlow WEB_REDIRECT",
      })
    }
  })

export type VippsOptionsInput = z.input<typeof VippsOptionsSchema>
export type VippsOptions = z.output<typeof VippsOptionsSchema>

export class VippsOptionsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "VippsOptionsError"
  }
}

export function parseOptions(options: unknown): VippsOptions {
  const parsed = VippsOptionsSchema.safeParse(options ?? {})
  if (parsed.success) return parsed.data
  const problems = describeIssues(parsed.error.issues, "option")
  throw new VippsOptionsError(`Invalid Vipps MobilePay provider options: ${problems.join("; ")}`)
}
