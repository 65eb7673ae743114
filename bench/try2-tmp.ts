import { runTokenSharing, tokenTables } from "./token-sharing"
runTokenSharing().then((r) => {
  console.log(tokenTables(r))
  console.log(JSON.stringify(r.day.map((d) => d.perHour)))
})
