/**
 * The compatibility store's configuration, as a merchant writes it from the README: the plugin and its
 * provider from the installed tarball, pointed at the simulator (VIPPS_API_BASE_URL) with its test sales unit.
 */
const { defineConfig } = require("@medusajs/framework/utils")

/** One registration of the simulator's Norwegian test sales unit. */
const vipps = (id, options) => ({
  resolve: "medusa-payment-vipps-mobilepay/providers/vipps",
  id,
  options: {
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    subscriptionKey: "sim-subscription-key",
    merchantSerialNumber: "123456",
    apiBaseUrl: process.env.VIPPS_API_BASE_URL,
    testMode: true,
    returnUrl: "http://localhost:8000/checkout/vipps?reference={reference}&cart_id={cart_id}",
    ...options,
  },
})

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: "compat-jwt-secret",
      cookieSecret: "compat-cookie-secret",
    },
  },
  admin: { disable: process.env.COMPAT_ADMIN !== "true" },
  plugins: [{ resolve: "medusa-payment-vipps-mobilepay", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          // Reserve at checkout, capture from the admin: pp_vipps_vipps
          vipps("vipps", { webhookSecret: process.env.VIPPS_WEBHOOK_SECRET }),
          // Captured at authorization (digital goods): pp_vipps_direct
          vipps("direct", { webhookSecret: process.env.DIRECT_WEBHOOK_SECRET, autoCapture: true }),
        ],
      },
    },
  ],
})
