import type { ExecArgs } from "@medusajs/framework/types"
import { EPAYMENT_WEBHOOK_EVENTS } from "../lib/vipps/schemas"
import { findRegistration } from "../providers/vipps/registration"

const USAGE = `Usage (from the store's folder):
  npx medusa exec <this file> register <provider id> <public webhook URL>
  npx medusa exec <this file> list <provider id>
  npx medusa exec <this file> delete <provider id> <webhook id>
<provider id> is the "id" of the registration in medusa-config (e.g. vipps); the URL is
https://<your store>/hooks/vipps/<provider id>.`

/**
 * Registers, lists and deletes the store's webhook at the Vipps MobilePay Webhooks API, for one provider
 * registration. `register` subscribes to every ePayment event and prints the secret once: put it in the
 * provider's `webhookSecret` option (e.g. through an environment variable) and restart.
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
      const { id: webhookId, secret } = await webhooks.register({
        url: argument,
        events: [...EPAYMENT_WEBHOOK_EVENTS],
      })
      console.log(`Registered webhook ${webhookId} for ${argument}`)
      console.log(`Secret (shown only now; set it as webhookSecret of provider "${id}"):\n${secret}`)
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
