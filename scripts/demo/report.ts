/** The demo's console output: numbered steps with their duration, and the checks they make. */

const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s)
export const green = paint(32)
export const red = paint(31)
export const dim = paint(2)
export const bold = paint(1)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`.padStart(6)

let stepNumber = 0

/** Runs one step and prints ✔/✘, its duration and, on success, `describe(result)`. */
export async function step<T>(
  title: string,
  run: () => Promise<T>,
  describe?: (result: T) => string,
): Promise<T> {
  const n = ++stepNumber
  const t0 = Date.now()
  try {
    const result = await run()
    const detail = describe ? describe(result) : ""
    console.log(
      `${green("✔")} ${dim(seconds(Date.now() - t0))}  ${String(n).padStart(2)}. ${title}${detail ? dim(` — ${detail}`) : ""}`,
    )
    return result
  } catch (error) {
    console.log(`${red("✘")} ${dim(seconds(Date.now() - t0))}  ${String(n).padStart(2)}. ${title}`)
    throw error
  }
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs` with the last error. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs / 1000}s${last ? ` (${String(last)})` : ""}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
