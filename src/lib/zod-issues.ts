import type { z } from "zod"

/**
 * zod issues as short lines a developer can act on: the path and zod's message, which describes the
 * expected shape and never the received value (values may hold secrets or customer data). Unknown keys
 * are named with `unknownLabel` ("option", "field").
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], unknownLabel = "field"): string[] {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `unknown ${unknownLabel}(s) ${issue.keys.join(", ")}`
    const path = issue.path.join(".") || "(root)"
    return issue.message.startsWith(path) ? issue.message : `${path}: ${issue.message}`
  })
}
