/**
 * The Medusa app this repository boots for its integration tests and the demo: the plugin's own source
 * (`src/`) as the app, with provider registrations pointing at the local ePayment simulator.
 * Stores configure the published package instead: see README.md.
 */
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const apiBaseUrl = process.env.VIPPS_API_BASE_URL ?? "http://127.0.0.1:4010"
const storefrontUrl = process.env.STOREFRONT_URL ?? "http://localhost:8000"
const returnUrl =
  process.env.VIPPS_RETURN_URL ??
  `${storefrontUrl}/checkout/vipps/return?reference={reference}&cart_id={cart_id}`

const common = {
  apiBaseUrl,
  returnUrl,
  maxAttempts: 4,
  timeoutMs: 5_000,
}

/** The simulator's Norwegian sales unit (NOK) — or real test keys from the environment. */
const norway = {
  clientId: process.env.VIPPS_CLIENT_ID ?? "sim-client-id",
  clientSecret: process.env.VIPPS_CLIENT_SECRET ?? "sim-client-secret",
  subscriptionKey: process.env.VIPPS_SUBSCRIPTION_KEY ?? "sim-subscription-key",
  merchantSerialNumber: process.env.VIPPS_MSN ?? "123456",
}

/** The simulator's Danish/Finnish sales unit (DKK, EUR). */
const denmark = {
  clientId: process.env.MOBILEPAY_CLIENT_ID ?? "sim-dk-client-id",
  clientSecret: process.env.MOBILEPAY_CLIENT_SECRET ?? "sim-dk-client-secret",
  subscriptionKey: process.env.MOBILEPAY_SUBSCRIPTION_KEY ?? "sim-dk-subscription-key",
  merchantSerialNumber: process.env.MOBILEPAY_MSN ?? "654321",
}

/** One provider registration, `pp_vipps_<id>`. */
const registration = (id: string, options: Record<string, unknown>) => ({
  resolve: "./src/providers/vipps",
  id,
  options: { ...common, ...options },
})

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS ?? storefrontUrl,
      adminCors: process.env.ADMIN_CORS ?? "http://localhost:9000",
      authCors: process.env.AUTH_CORS ?? `${storefrontUrl},http://localhost:9000`,
      jwtSecret: process.env.JWT_SECRET ?? "supersecret",
      cookieSecret: process.env.COOKIE_SECRET ?? "supersecret",
    },
  },
  admin: { disable: process.env.MEDUSA_ADMIN_DISABLED !== "false" },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          // Norwegian sales unit: pp_vipps_vipps
          registration("vipps", {
            ...norway,
            referencePrefix: "test-no",
            webhookSecret: process.env.VIPPS_WEBHOOK_SECRET,
            storeName: "Demo Store",
            // The test store doubles as a till: push messages to a given phone number are allowed, and
            // the till says when the customer stands in front of it.
            storefrontUserFlows: ["WEB_REDIRECT", "NATIVE_REDIRECT", "QR", "PUSH_MESSAGE"],
            storefrontCustomerInteraction: true,
            // The storefront may pick its own return page, on its own origin or in its app.
            allowedReturnUrlOrigins: [new URL(storefrontUrl).origin, "demoshop://"],
            // Express with dynamic shipping options: where Vipps MobilePay asks for the options.
            expressCallbackUrl:
              process.env.VIPPS_EXPRESS_CALLBACK_URL ??
              `http://localhost:${process.env.PORT ?? 9000}/vipps/shipping/vipps`,
          }),
          // Danish / Finnish sales unit with its own credentials: pp_vipps_mobilepay
          registration("mobilepay", {
            ...denmark,
            referencePrefix: "test-dk",
            webhookSecret: process.env.MOBILEPAY_WEBHOOK_SECRET,
          }),
          // Norwegian sales unit, capturing at authorization (digital goods): pp_vipps_direct
          registration("direct", {
            ...norway,
            referencePrefix: "test-direct",
            webhookSecret: process.env.DIRECT_WEBHOOK_SECRET,
            autoCapture: true,
          }),
          // Norwegian sales unit with profile sharing: pp_vipps_profile
          registration("profile", {
            ...norway,
            referencePrefix: "test-profile",
            profileScope: "name email phoneNumber address",
          }),
          // Norwegian sales unit with the 2026 options: legal links, an age limit, a 30-character prefix
          // (64-character references): pp_vipps_legal
          registration("legal", {
            ...norway,
            referencePrefix: "test-legal-links-and-age-limit",
            termsOfSaleUrl: "https://shop.example.com/terms",
            privacyPolicyUrl: "https://shop.example.com/privacy",
            minimumUserAge: 18,
          }),
        ],
      },
    },
  ],
})
