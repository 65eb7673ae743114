/**
 * The ePayment error-code table (numeric code in `extraDetails` since 1.6.0, titles reworded over time, so
 * branch on the number): the HTTP status the API answers with and whether the same request may be repeated
 * under the same Idempotency-Key. Retry column per the official table (fact sheet 3.2): 6160, 6250 and 6280
 * yes (6250 and 6280 after a short wait); 6260 not immediately (funds may come back, do not ship); every
 * other 4xx no. Statuses of 6260/6280 are undocumented: domain errors are 400.
 */

export type ErrorCodeInfo = {
  title: string
  /** HTTP status the API answers with. */
  status: number
  /** Safe and useful to repeat with the same Idempotency-Key and body. */
  retry: boolean
  /** Least wait before that repeat ("try again later"). */
  minDelayMs?: number
}

const info = (title: string, status = 400): ErrorCodeInfo => ({ title, status, retry: false })
const later = (title: string, minDelayMs?: number): ErrorCodeInfo => ({
  title,
  status: 400,
  retry: true,
  ...(minDelayMs ? { minDelayMs } : {}),
})

export const EPAYMENT_ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = {
  3010: info("Internal error", 500),
  4010: info("Capture idempotency conflict", 409),
  4020: info("Idempotency key already used", 409),
  4040: info("Invalid amount"),
  4050: info("Invalid customer token"),
  4060: info("Invalid personal QR"),
  4070: info("Invalid phone number"),
  4080: info("Invalid scope"),
  4090: info("Invalid URL"),
  4100: info("Too many metadata entries"),
  4110: info("Metadata key too long"),
  4120: info("Metadata value too long"),
  4130: info("Invalid metadata"),
  4140: info("Missing required parameter"),
  4150: info("Reference already exists", 409),
  4160: info("Invalid payment method type"),
  5010: info("Blocking sources not applicable"),
  5020: info("Express payment not allowed"),
  5030: info("Illegal scope"),
  5040: info("Currency not valid for merchant"),
  5050: info("Long-living payments not allowed"),
  5060: info("Bank account not verified"),
  5070: info("Payment cannot be created", 422),
  5080: info("PUSH_MESSAGE flow not allowed"),
  5090: info("Reference not found"),
  5100: info("Refund not possible"),
  6010: info("Amount too small"),
  6020: info("Refund before reservation"),
  6030: info("Cancel period expired"),
  6040: info("Cannot cancel captured payment"),
  6050: info("Cannot cancel non-reserved payment"),
  6060: info("Cannot cancel authorized payment"),
  6070: info("Cannot capture cancelled payment"),
  6080: info("Capture before reservation"),
  6090: info("Capture amount too high"),
  6100: info("Capture period expired"),
  6110: info("ExpiresAt too late"),
  6120: info("ExpiresAt too soon"),
  6130: info("Long-living payment needs receipt"),
  6140: info("Must capture full amount"),
  6150: info("Not enough refundable amount"),
  6160: later("Order processing"),
  6170: info("Payment already captured"),
  6180: info("Payment already refunded"),
  6190: info("Payment cannot be cancelled"),
  6200: info("Payment cannot be captured"),
  6210: info("Payment cannot be refunded"),
  6220: info("Refund period expired"),
  6230: info("Payment already reserved"),
  6250: later("Cannot cancel processing payment", 1000),
  6260: info("Funds unavailable"),
  6280: later("Capture failed, please try again later", 1000),
  7010: info("Customer not found or not eligible"),
  10010: info("Test user not found"),
  10020: info("Customer does not match the payment"),
  10030: info("Invalid token"),
  10040: info("Force approve failed"),
  10050: info("Test user has no card"),
  10060: info("Payment cannot be approved"),
  10070: info("Force approve not possible"),
}

export function errorCodeInfo(code: number | undefined): ErrorCodeInfo | undefined {
  return code === undefined ? undefined : EPAYMENT_ERROR_CODES[code]
}
