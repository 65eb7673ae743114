import { defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    {
      // Vipps MobilePay signs the exact bytes it sends: the route reads and verifies the raw body itself.
      matcher: "/hooks/vipps/:id",
      methods: ["POST"],
      bodyParser: false,
    },
  ],
})
