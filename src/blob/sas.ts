/**
 * Blob SAS URLs (`https://<account>.blob.core.windows.net/<container>/<blob>?sv=…&se=…&sp=…&sig=…`).
 * The `sig` is a bearer credential for the blob: anyone holding the URL may write it until `se`.
 */

/** What can be said about a SAS URL in a log line: everything but the signature. */
export interface SasDescription {
  host: string
  container: string
  /** Blob name, decoded; may contain `/`. */
  blob: string
  /** `se`, when present and a valid date. */
  expiresOn?: Date
  /** `sp`, e.g. `rwl`. */
  permissions?: string
}

export function describeSas(url: string): SasDescription {
  const parsed = new URL(url)
  const [container = '', ...blob] = parsed.pathname.replace(/^\/+/, '').split('/')
  const expiry = parsed.searchParams.get('se')
  const expiresOn = expiry ? new Date(expiry) : undefined
  const permissions = parsed.searchParams.get('sp') ?? undefined
  return {
    host: parsed.host,
    container: decodeURIComponent(container),
    blob: blob.map(part => decodeURIComponent(part)).join('/'),
    ...(expiresOn && !Number.isNaN(expiresOn.getTime()) ? { expiresOn } : {}),
    ...(permissions ? { permissions } : {})
  }
}

/** "host/container/blob (expires 2025-01-01T00:00:00.000Z, permissions rwl)". */
export function formatSas(sas: SasDescription): string {
  const facts = [
    sas.expiresOn && `expires ${sas.expiresOn.toISOString()}`,
    sas.permissions && `permissions ${sas.permissions}`
  ].filter(Boolean)
  return `${sas.host}/${sas.container}/${sas.blob}${facts.length ? ` (${facts.join(', ')})` : ''}`
}

/** The `sig` parameter, raw (as written in the URL) and decoded; both may show up in text. */
export function sasSignatures(url: string): string[] {
  const raw = /[?&]sig=([^&#]+)/i.exec(url)?.[1]
  if (!raw) return []
  let decoded = raw
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    // A malformed escape: the raw form is all there is.
  }
  return decoded === raw ? [raw] : [raw, decoded]
}

/**
 * The SAS URL with more query parameters (`comp=block&blockid=…`). Appended as text rather than
 * through URLSearchParams, which would re-encode the signed parameters and could change what the
 * signature covers.
 */
export function withQuery(sasUrl: string, params: Record<string, string>): string {
  const hash = sasUrl.indexOf('#')
  const base = hash >= 0 ? sasUrl.slice(0, hash) : sasUrl
  const query = Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'
  return `${base}${separator}${query}`
}
