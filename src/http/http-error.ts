import { ActionError } from '../errors.js'
import { describeApiError, type ParsedApiError } from './api-error.js'

export interface HttpErrorDetails {
  operation: string
  method: string
  /** Redacted URL. */
  url: string
  status?: number
  /** Network error code when no response arrived (ECONNRESET, SOCKET_TIMEOUT, …). */
  networkCode?: string
  requestId?: string
  correlationId?: string
  api: ParsedApiError
  /** True when a create may have been carried out although no success was seen. */
  outcomeUnknown: boolean
  attempts: number
  hint?: string
  /** Why a successful status still could not be used (HTML, truncated JSON, empty body). */
  problem?: string
  /** A 3xx answer's Location: redirects are never followed. */
  redirectTo?: string
}

/** A request that failed: the service said no, or no answer came. */
export class HttpError extends ActionError {
  readonly details: HttpErrorDetails
  constructor(details: HttpErrorDetails, cause?: unknown) {
    super(formatMessage(details), { hint: details.hint, cause })
    this.name = 'HttpError'
    this.details = details
  }
  get status(): number | undefined {
    return this.details.status
  }
}

function formatMessage(d: HttpErrorDetails): string {
  const answer =
    d.status !== undefined ? `HTTP ${d.status}` : `no response (${d.networkCode ?? 'network error'})`
  const reason =
    d.problem ?? (d.redirectTo !== undefined ? redirectReason(d.redirectTo) : describeApiError(d.api))
  const ids = [
    d.requestId && `request-id ${d.requestId}`,
    d.correlationId && `correlation-id ${d.correlationId}`
  ]
    .filter(Boolean)
    .join(', ')
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : ''
  return `${d.operation} failed${tries}: ${answer}${reason ? ` - ${reason}` : ''} [${d.method} ${d.url}${ids ? `; ${ids}` : ''}]`
}

/** Only the origin of a Location is shown: its path and query may carry what it was redirected with. */
function redirectReason(location: string): string {
  let where = 'another location'
  try {
    where = new URL(location).origin
  } catch {
    // A relative or malformed Location: say nothing more of it.
  }
  return `a redirect to ${where}, which is not followed (redirects are not part of these APIs, and would carry credentials elsewhere)`
}
