/**
 * Vipps MobilePay Express with @medusajs/js-sdk: a "Buy now with Vipps" button on the product page (a new
 * cart for one variant) and in the cart. The shopper picks the delivery address and the shipping option in
 * the app; the order is created with them. The return page is the one of vipps-checkout.ts
 * (`handleVippsReturn`): nothing else changes.
 */
import { sdk } from "./vipps-checkout"

type ExpressStart = {
  express: { cart_id: string; reference: string; redirect_url: string | null; payment_session_id: string }
}

/** Button text per market: "Buy now with Vipps" (Norway), "Buy now with MobilePay" (Denmark, Finland). */
export function expressButtonText(currencyCode: string): string {
  return currencyCode.toLowerCase() === "nok" ? "Buy now with Vipps" : "Buy now with MobilePay"
}

async function go(body: Record<string, unknown>): Promise<string> {
  const { express } = await sdk.client.fetch<ExpressStart>("/store/vipps/express", { method: "POST", body })
  if (!express.redirect_url) throw new Error("Vipps MobilePay Express could not be started")
  // A normal top-level navigation, URL unchanged: never an iframe or a web view.
  window.location.assign(express.redirect_url)
  return express.cart_id
}

/**
 * Product page: one variant and quantity become a new cart of the storefront's sales channel. Keep the
 * returned cart id (e.g. in localStorage) if the return page should find the cart without the URL.
 * `shipping: "dynamic"` asks Medusa for the options of the address chosen in the app (calculated prices
 * included; needs the provider option expressCallbackUrl); the default offers the region's flat rates.
 */
export function buyNowWithVipps(
  variantId: string,
  quantity: number,
  regionId: string,
  shipping: "fixed" | "dynamic" = "fixed",
): Promise<string> {
  return go({ variant_id: variantId, quantity, region_id: regionId, shipping })
}

/** Cart page: the cart as it is (no email, address or shipping method needed). */
export function expressCheckout(cartId: string, shipping: "fixed" | "dynamic" = "fixed"): Promise<string> {
  return go({ cart_id: cartId, shipping })
}

/** Wires a button: `<button id="vipps-express" data-variant-id="variant_…" data-region-id="reg_…">`. */
export function mountExpressButton(button: HTMLButtonElement, currencyCode: string): void {
  button.textContent = expressButtonText(currencyCode)
  button.addEventListener("click", async () => {
    button.disabled = true
    try {
      const { variantId, regionId, cartId } = button.dataset
      if (cartId) await expressCheckout(cartId)
      else if (variantId && regionId) await buyNowWithVipps(variantId, 1, regionId)
    } catch (error) {
      button.disabled = false
      // The store route answers plain words (e.g. "No shipping option of this store can deliver this cart").
      alert(error instanceof Error ? error.message : "Vipps MobilePay Express is not available right now")
    }
  })
}
