import { check } from "./report"

/** Medusa's JSON answers, read loosely: the demo checks the fields it relies on itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = { [key: string]: any }

type Init = { method?: string; body?: unknown; headers?: Record<string, string> }

export async function http(url: string, init: Init = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  let body: Json = {}
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    body = { text }
  }
  return { status: response.status, body }
}

/** The JSON body of a successful answer; throws with the route and Medusa's message otherwise. */
export async function ok(url: string, init: Init = {}): Promise<Json> {
  const { status, body } = await http(url, init)
  if (status >= 400) {
    throw new Error(
      `${init.method ?? (init.body === undefined ? "GET" : "POST")} ${new URL(url).pathname} answered ${status}: ${body.message ?? body.text ?? ""}`,
    )
  }
  return body
}

/** What a browser does on the simulator's landing page: load it, submit Approve, follow nothing. */
export async function approveOnLandingPage(redirectUrl: string): Promise<string> {
  const page = await (await fetch(redirectUrl)).text()
  const form =
    /<form method="post" action="([^"]+)"><input type="hidden" name="token" value="([^"]+)"><button id="approve"/.exec(
      page,
    )
  check(form, "the landing page has no Approve button")
  const response = await fetch(new URL(form[1], redirectUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: form[2] }).toString(),
    redirect: "manual",
  })
  check(response.status === 303, `the landing page answered ${response.status} to Approve`)
  return response.headers.get("location") ?? ""
}
