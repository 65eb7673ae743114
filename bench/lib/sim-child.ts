import { startSimulator } from "../../src/simulator"
import type { ChildReply, ChildRequest, SimProcessOptions } from "./sim-process"

/** Child-process entry of sim-process.ts: one simulator, controlled over IPC. */

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as SimProcessOptions
  const sim = await startSimulator(options)
  const reply = (message: ChildReply) => process.send?.(message)
  process.on("message", (message) => {
    const request = message as ChildRequest
    try {
      if (request.op === "approve") {
        sim.control.approve(request.reference)
        reply({ id: request.id, ok: true })
      } else if (request.op === "count") {
        reply({
          id: request.id,
          ok: true,
          value: sim.control.requests({ operation: request.operation }).length,
        })
      } else {
        sim.control.reset()
        reply({ id: request.id, ok: true })
      }
    } catch (error) {
      reply({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) })
    }
  })
  // The parent going away ends the child too.
  process.on("disconnect", () => void sim.stop().then(() => process.exit(0)))
  process.on("SIGTERM", () => void sim.stop().then(() => process.exit(0)))
  process.send?.({ url: sim.url })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
