import { runClientOverhead, overheadTable } from "./client-overhead"
runClientOverhead({
  iterations: Number(process.env.N ?? 500),
  simulator: (process.env.MODE as "child") ?? "child",
  log: console.log,
}).then((r) => {
  console.log(JSON.stringify(r.byteIdentical, null, 1).slice(0, 3000))
  console.log(overheadTable(r))
  console.log(r.wallSeconds)
})
