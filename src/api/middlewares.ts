import { defineMiddlewares } from "@medusajs/framework/http"
import { completeOnce } from "./middlewares/complete-once"
import { profileBeforeComplete } from "./middlewares/profile-before-complete"

export default defineMiddlewares({
  routes: [
    {
      // Vipps MobilePay signs the exact bytes it sends: the route reads and verifies the raw body itself.
      matcher: "/hooks/vipps/:id",
      methods: ["POST"],
      bodyParser: false,
    },
    {
      // Profile sharing must reach the cart before completeCartWorkflow reads it.
      matcher: "/store/carts/:id/complete",
      methods: ["POST"],
      // One completion per payment with the webhook's sync: whichever comes second is answered with the order.
      middlewares: [completeOnce, profileBeforeComplete],
    },
  ],
})
