/**
 * A SAS URI of a VM disk (VHD) that Partner Center copies the image from (docs/partner-center-api.md §9):
 * `https://<account>.blob.core.windows.net/<container>/<blob>.vhd?sv=…&sp=r…&se=…&sig=…`. The service reads
 * it during the configure job and again during certification, so a URI it cannot read is refused here,
 * before anything is written: not https, no read permission in `sp`, or an expiry `se` in the past.
 */
import { InputError } from '../errors.js'

export interface DiskSasUri {
  /** The URI as given (it goes into the configure request unchanged: the signature covers its query). */
  uri: string
  /** `host/container/blob`, for log lines: everything but the query. */
  display: string
  expiresOn: Date
  permissions: string
}

/** Checks one disk SAS URI; `input` names the input in the error (e.g. `data-disk-uris` line 2). */
export function parseDiskSasUri(input: string, value: string, now: Date, where = ''): DiskSasUri {
  const fail = (message: string, hint?: string): InputError => new InputError(input, where + message, hint)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw fail(`is not a URL. Give the SAS URI of the disk (https://…/disk.vhd?sv=…&sig=…).`)
  }
  const display = `${url.host}${url.pathname}`
  if (url.protocol !== 'https:') {
    throw fail(
      `'${display}' is not an https URI (${url.protocol.replace(':', '')}): Partner Center reads disks over https only.`,
      'Generate the SAS URI with "Allowed protocols: HTTPS only".'
    )
  }
  if (url.pathname === '/' || url.pathname === '') {
    throw fail(`'${display}' names no blob: give the SAS URI of the disk itself.`)
  }
  // The query is read as written: URLSearchParams would decode it, which is fine for reading values.
  const params = url.searchParams
  if (!params.get('sig')) {
    throw fail(
      `'${display}' carries no SAS signature (sig=): Partner Center cannot read a private disk without one.`,
      'Generate a SAS URI for the blob (or the container) with read and list permissions.'
    )
  }
  const permissions = params.get('sp') ?? ''
  if (!permissions.includes('r')) {
    throw fail(
      permissions
        ? `'${display}' grants '${permissions}' (sp=), without read (r): Partner Center could not copy the disk.`
        : `'${display}' states no permissions (sp=): a disk SAS URI needs read (r).`,
      'Generate the SAS URI with read (and list) permissions.'
    )
  }
  const expiry = params.get('se')
  const expiresOn = expiry ? new Date(expiry) : undefined
  if (!expiresOn || Number.isNaN(expiresOn.getTime())) {
    throw fail(
      expiry
        ? `'${display}' has an expiry (se=) that is not a date: '${expiry}'.`
        : `'${display}' states no expiry (se=).`,
      'Generate the SAS URI again with an expiry date.'
    )
  }
  if (expiresOn.getTime() <= now.getTime()) {
    throw fail(
      `'${display}' expired on ${expiresOn.toISOString()} (se=): Partner Center could not read the disk.`,
      'Generate a new SAS URI that stays valid until the offer has been certified (a few weeks).'
    )
  }
  return { uri: value, display, expiresOn, permissions }
}

/** The `sig` value of a SAS URI, raw and decoded: both must be masked wherever text goes out. */
export function sasSignatureValues(uri: string): string[] {
  const raw = /[?&]sig=([^&#]+)/i.exec(uri)?.[1]
  if (!raw) return []
  let decoded = raw
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    // A malformed escape: the raw form is all there is.
  }
  return decoded === raw ? [raw] : [raw, decoded]
}
