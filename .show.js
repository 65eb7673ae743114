require("/work/main/node_modules/ts-node").register({ transpileOnly: true })
const { anchorTable } = require("/work/main/bench/lib/anchor")
const r = require(process.argv[2])
console.log(anchorTable(r.results))
for (const b of r.breakdowns ?? []) { console.log(b.flow, b.shoppers); for (const s of b.segments) console.log("  ", s.segment, s.p50, s.p95, s.checkouts) }
