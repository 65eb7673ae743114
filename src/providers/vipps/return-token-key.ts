import { deriveReturnTokenKey } from "../../lib/return-token"

/**
 * The return-token key of a registration, for the store routes. A registration that carries
 * `returnTokenKey` gives it directly; otherwise it is derived from the provider instance's client secret
 * (never exposed: only the derived key leaves this function).
 */
export function returnTokenKeyOf(registration: object): Buffer | undefined {
  const source = registration as {
    returnTokenKey?: Buffer
    provider?: { options_?: { clientSecret?: string } }
  }
  if (source.returnTokenKey) return source.returnTokenKey
  const secret = source.provider?.options_?.clientSecret
  return secret ? deriveReturnTokenKey(secret) : undefined
}
