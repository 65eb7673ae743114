import { z } from "zod"
import { MSISDN_PATTERN } from "../../../../lib/vipps/schemas"
import { REQUEST_METHODS } from "./request-view"

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** What staff send to request a payment; every field checked before anything is created. */
export const PaymentRequestInput = z
  .strictObject({
    /** The registration (sales unit) id, e.g. "vipps". */
    registration: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "registration must be a registration id" }),
    method: z.enum(REQUEST_METHODS, { error: `method must be one of ${REQUEST_METHODS.join(", ")}` }),
    phone_number: z
      .string()
      .transform((s) => s.replace(/[\s+()-]/g, ""))
      .pipe(
        z.string().regex(MSISDN_PATTERN, {
          error: "phone_number must be country code and number, e.g. 47 91234567",
        }),
      )
      .optional(),
    /** Major units as a decimal string or number; default: everything outstanding. */
    amount: z
      .union([z.string(), z.number()])
      .refine((a) => /^\d+(\.\d{1,2})?$/.test(String(a)) && Number(a) > 0, {
        error: "amount must be a positive amount with at most 2 decimals, e.g. 149.50",
      })
      .transform(String)
      .optional(),
    /** Long-living request (push or QR code/link): when it expires, 10 minutes to 60 days ahead. */
    expires_at: z.iso
      .datetime({ offset: true, error: "expires_at must be an RFC 3339 date and time" })
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.method === "push" && !input.phone_number) {
      ctx.addIssue({
        code: "custom",
        path: ["phone_number"],
        message: "A push request needs the customer's phone_number",
      })
    }
    if (input.method !== "push" && input.phone_number) {
      ctx.addIssue({
        code: "custom",
        path: ["phone_number"],
        message: "phone_number is only for push requests",
      })
    }
    if (input.expires_at) {
      const ahead = Date.parse(input.expires_at) - Date.now()
      if (ahead < 10 * MINUTE || ahead > 60 * DAY) {
        ctx.addIssue({
          code: "custom",
          path: ["expires_at"],
          message: "expires_at must be between 10 minutes and 60 days ahead",
        })
      }
    }
  })
export type PaymentRequestInput = z.infer<typeof PaymentRequestInput>

/** The input, or a 400-style message naming every problem. */
export function parsePaymentRequest(body: unknown): { input: PaymentRequestInput } | { error: string } {
  const parsed = PaymentRequestInput.safeParse(body ?? {})
  if (parsed.success) return { input: parsed.data }
  return {
    error: parsed.error.issues
      .map((i) =>
        i.code === "unrecognized_keys"
          ? `unknown field(s) ${i.keys.join(", ")}`
          : `${i.path.join(".") || "body"}: ${i.message}`,
      )
      .join("; "),
  }
}
