import { ActionError } from '../errors.js'
import { redactUrl } from './redact.js'
import { isSecureUrl } from './url-policy.js'

/** What the checks need of a request (a subset of RequestSpec, to keep this module free of it). */
interface Target {
  url: string
  operation: string
}

/** `scheme://host:port` with the default port written out, so that `:443` and no port compare equal. */
export function originOf(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '')
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}:${port}`
}

/**
 * Every request goes over https, or over plain http to a loopback address, whoever chose the URL:
 * the inputs are checked when read (url-policy.ts), and this catches URLs a server hands out
 * (`nextLink`, a job or upload URL) before a byte is sent.
 */
export function checkRequestUrl(target: Target): void {
  let url: URL
  try {
    url = new URL(target.url)
  } catch {
    throw new ActionError(`${target.operation}: '${redactUrl(target.url)}' is not a valid URL.`)
  }
  if (!isSecureUrl(url)) {
    throw new ActionError(
      `${target.operation}: refused to send a request to ${url.origin}: it is not https (plain http is allowed only to 127.0.0.0/8, [::1] and localhost).`,
      { hint: 'The URL came from the service or an input; nothing was sent to it.' }
    )
  }
}

/**
 * A bearer token goes only to the origin of the API URL input it was asked for. A link on another
 * origin (even one the service itself put in a `nextLink`) is refused rather than followed without
 * the token: every URL of these APIs lives on the API's own host, so a foreign one is a fault or an
 * attack, and failing says so where an unauthenticated request would fail later and less clearly.
 */
export function checkTokenOrigin(
  target: Target,
  source: { readonly origin: string; readonly originInput: string }
): void {
  const origin = originOf(target.url)
  if (origin === originOf(source.origin)) return
  throw new ActionError(
    `${target.operation}: refused to send the access token to ${new URL(target.url).origin}: it is not the origin of ${source.originInput} (${new URL(source.origin).origin}).`,
    {
      hint: `The service answered with a link to another host, scheme or port; tokens are sent only to the origin of ${source.originInput}. Nothing was sent.`
    }
  )
}
