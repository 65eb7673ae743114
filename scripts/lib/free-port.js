/**
 * Ports for the processes the tests, the demo and the bench start: `freePort()` asks the OS for a free
 * one; `freePort(preferred)` keeps `preferred` when nothing listens on it (the demo's familiar 9000).
 */
const net = require("node:net")

function listen(port, host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once("error", reject)
    server.listen(port, host, () => {
      const { port: bound } = server.address()
      server.close(() => resolve(bound))
    })
  })
}

async function freePort(preferred) {
  if (preferred) {
    // No host: the port must be free on every interface, as Medusa and the simulator bind it.
    const kept = await listen(preferred).catch(() => undefined)
    if (kept) return kept
  }
  return listen(0, "127.0.0.1")
}

/** Distinct free ports (the OS may hand the same port out twice when asked one at a time). */
async function freePorts(count) {
  const ports = new Set()
  while (ports.size < count) ports.add(await freePort())
  return [...ports]
}

module.exports = { freePort, freePorts }
