import { joinUrl } from '../http/url-policy.js'

/**
 * Resolves a v1 `nextLink`. Real `/products` pages send a path relative to the service host,
 * `v1.0/ingestion/products?$skipToken=…` (docs/partner-center-api.md §1.4); the swagger promises an absolute
 * `@odata.nextLink`. Both, and origin-relative paths, resolve against the configured base URL so that
 * a base with its own path prefix (a proxy, the emulator) keeps working.
 */
export function resolveNextLink(baseUrl: string, link: string): string {
  if (/^https?:\/\//i.test(link)) return link
  const base = new URL(baseUrl)
  const basePath = base.pathname.replace(/\/+$/, '') // e.g. /v1.0/ingestion or /proxy/v1.0/ingestion
  const trimmed = link.replace(/^\/+/, '')
  // The link repeats the service's own path ("v1.0/ingestion/…"): keep what follows it.
  const servicePath = /(v\d+(\.\d+)?\/ingestion)(\/|$)/i.exec(basePath)?.[1]
  if (servicePath && trimmed.toLowerCase().startsWith(servicePath.toLowerCase())) {
    return joinUrl(`${base.origin}${basePath}`, trimmed.slice(servicePath.length))
  }
  if (link.startsWith('/')) return `${base.origin}${link}`
  return joinUrl(`${base.origin}${basePath}`, trimmed)
}
