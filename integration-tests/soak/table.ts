/** A Markdown table (the soak prints its results as the benchmarks do). */
export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "(no rows)"
  const cols = Object.keys(rows[0])
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)))
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`
  return [
    line(cols),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map((r) => line(cols.map((c) => String(r[c] ?? "")))),
  ].join("\n")
}
