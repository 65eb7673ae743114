import { defineMiddlewares } from "@medusajs/framework/http"
import { answerCompletedCart } from "./middlewares/completed-cart"
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
      // A cart the webhook completed (or is completing) is answered with its order, not completed twice.
      middlewares: [answerCompletedCart, profileBeforeComplete],
    },
  ],
})
