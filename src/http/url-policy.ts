import { InputError } from '../errors.js'

/**
 * Tokens and secrets may travel only over https, or to a loopback address (the emulator, a local
 * proxy). Checked once per URL input, before any request.
 */
export function parseServiceUrl(input: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(
      input,
      `'${value}' is not a valid URL.`,
      'Give an absolute URL such as https://host/path.'
    )
  }
  if (url.username || url.password) {
    throw new InputError(input, 'the URL must not contain credentials.')
  }
  if (isSecureUrl(url)) return url
  throw new InputError(
    input,
    `'${url.origin}' is not https. Tokens are sent only over https, or over http to a loopback address (127.0.0.1, ::1, localhost).`
  )
}

/**
 * Loopback for the purpose of sending tokens over plain http: `127.0.0.0/8`, `::1` and the literal
 * name `localhost`. Names under `.localhost` are not trusted: a resolver (or /etc/hosts, or a proxy)
 * may send them anywhere, and RFC 6761 only asks resolvers, not guarantees, to keep them local.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost') return true
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  return octets !== null && octets.slice(1).every(octet => Number(octet) <= 255)
}

/** Over https, or plain http to a loopback address: the only URLs a request may go to. */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))
}

/** Joins a base URL (which may have a path) and a relative path without losing either. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}
