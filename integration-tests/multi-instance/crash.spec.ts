/**
 * The webhook route answers 2xx as soon as the event is in the inbox. If the process dies right after that
 * answer, before the work is done, the payment must still become an order: the reconciliation job of the
 * restarted process picks it up (with Medusa's Redis event bus the inbox itself would survive too).
 */
import axios from "axios"
import { MultiInstanceStore, WEBHOOK_PATH } from "./scenario"

jest.setTimeout(300_000)

describe("a process killed right after answering a webhook", () => {
  const store = new MultiInstanceStore({
    label: "crash",
    modules: "memory",
    processes: [
      { name: "shop", mode: "shared" },
      { name: "spare", mode: "server" },
    ],
    reconcileEverySeconds: 3,
    reconcileAfterSeconds: 1,
  })

  beforeAll(async () => {
    await store.start()
    await store.createSentinel()
  }, 240_000)
  afterAll(() => store.stop())

  it("still turns the approved payment into an order after a restart", async () => {
    const prepared = await store.preparePayment(store.a)
    store.approveWithoutWebhook(prepared.reference)
    const webhook = await store.signedAuthorizedWebhook(prepared.reference, store.a)
    // The sync's read of the payment is slow: the process dies while the work is in flight.
    store.simulator.control.addLatency("getPayment", 5000, { times: 1 })
    const answer = await axios.post(`${store.a.url}${WEBHOOK_PATH}`, webhook.body, {
      headers: webhook.headers,
      transformRequest: [(d) => d],
      validateStatus: () => true,
    })
    expect(answer.status).toBe(200)
    expect(answer.data.outcome).toBe("queued")
    await store.a.kill()
    expect(await store.ordersOf(prepared.cartId)).toBe(0)

    await store.a.start(150_000)
    const [check] = await store.awaitOrders([prepared], 90_000)
    expect(check.problems).toEqual([])
    expect(await store.ordersOf(prepared.cartId)).toBe(1)
  })
})
