import type { ExecArgs } from "@medusajs/framework/types"
import { EPAYMENT_WEBHOOK_EVENTS } from "../lib/vipps/schemas"
import { judgeWebhookRegistrations } from "../lib/vipps/webhook-check"
import { findRegistration } from "../providers/vipps/registration"

const USAGE = `Usage (from the store's folder):
  npx medusa exec <this file> register <provider id> <public webhook URL>
  npx medusa exec <this file> check <provider id> <public webhook URL>
  npx medusa exec <this file> list <provider id>
  npx medusa exec <this file> delete <provider id> <webhook id>
<provider id> is the "id" of the registration in medusa-config (e.g. vipps); the URL is
https://<your store>/hooks/vipps/<provider id>.`

/**
 * Registers, checks, lists and deletes the store's webhook at the Vipps MobilePay Webhooks API, for one
 * provider registration. `register` is idempotent: a URL already registered for every ePayment event is left
 * as it is (its secret stays valid); a missing one (Vipps MobilePay deletes registrations unresponsive for two
 * weeks) or an incomplete one is registered anew and the new secret printed once: put it in the provider's
 * `webhookSecret` option (e.g. through an environment variable) and restart. `check` exits 1 unless registered.
 */
export default async function vippsWebhooks({ container, args }: ExecArgs) {
  const [command, id, argument] = args ?? []
  const registration = id ? findRegistration(container, id) : undefined
  if (!command || !registration) {
    console.error(id ? `No Vipps MobilePay provider registered with id "${id}".\n\n${USAGE}` : USAGE)
    process.exitCode = 1
    return
  }
  const webhooks = registration.client.webhooks

  switch (command) {
    case "register": {
      if (!argument || !/^https?:\/\//.test(argument)) {
        console.error(`register needs the public webhook URL.\n\n${USAGE}`)
        process.exitCode = 1
        return
      }
      const current = judgeWebhookRegistrations(await webhooks.list(), argument, new Date())
      if (current.status === "registered") {
        console.log(
          `Already registered for every ePayment event (${current.registrationIds.join(", ")}); nothing changed, the configured webhookSecret stays valid.`,
        )
        return
      }
      // A partial registration has its own secret: replace it, so one secret verifies every event.
      for (const stale of current.registrationIds) await webhooks.delete(stale)
      const { id: webhookId, secret } = await webhooks.register({
        url: argument,
        events: [...EPAYMENT_WEBHOOK_EVENTS],
      })
      console.log(`Registered webhook ${webhookId} for ${argument}`)
      console.log(`Secret (shown only now; set it as webhookSecret of provider "${id}"):\n${secret}`)
      return
    }
    case "check": {
      if (!argument || !/^https?:\/\//.test(argument)) {
        console.error(`check needs the public webhook URL.\n\n${USAGE}`)
        process.exitCode = 1
        return
      }
      const current = judgeWebhookRegistrations(await webhooks.list(), argument, new Date())
      if (current.status === "registered") {
        console.log(`Registered for every ePayment event (${current.registrationIds.join(", ")}).`)
        return
      }
      console.error(
        current.status === "missing"
          ? `Not registered: Vipps MobilePay deletes a webhook unresponsive for two weeks. Run "register" again.`
          : `Registered without ${current.missingEvents.join(", ")}. Run "register" again.`,
      )
      process.exitCode = 1
      return
    }
    case "list": {
      const list = await webhooks.list()
      if (list.length === 0) console.log("No webhooks registered for this sales unit.")
      for (const webhook of list)
        console.log(`${webhook.id}  ${webhook.url}  (${webhook.events.length} events)`)
      return
    }
    case "delete": {
      if (!argument) {
        console.error(`delete needs the webhook id (see list).\n\n${USAGE}`)
        process.exitCode = 1
        return
      }
      await webhooks.delete(argument)
      console.log(`Deleted webhook ${argument}`)
      return
    }
    default:
      console.error(USAGE)
      process.exitCode = 1
  }
}
