import axios from "axios"

/**
 * What a shopper does on the Vipps MobilePay landing page: open the redirectUrl, press Approve or Reject.
 * Returns where the browser is sent next (the store's returnUrl).
 */
export async function answerOnLandingPage(
  redirectUrl: string,
  choice: "approve" | "reject",
): Promise<string> {
  const page = await axios.get<string>(redirectUrl, { responseType: "text" })
  const form = new RegExp(
    `<form method="post" action="([^"]+)"><input type="hidden" name="token" value="([^"]+)"><button id="${choice}"`,
  ).exec(page.data)
  if (!form) throw new Error(`no ${choice} button on the landing page`)
  const response = await axios.post(
    new URL(form[1], redirectUrl).toString(),
    new URLSearchParams({ token: form[2] }),
    {
      maxRedirects: 0,
      validateStatus: (s) => s === 303,
    },
  )
  return response.headers.location as string
}
