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
  const reason = describeApiError(d.api)
  const ids = [
    d.requestId && `request-id ${d.requestId}`,
    d.correlationId && `correlation-id ${d.correlationId}`
  ]
    .filter(Boolean)
    .join(', ')
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : ''
  return `${d.operation} failed${tries}: ${answer}${reason ? ` - ${reason}` : ''} [${d.method} ${d.url}${ids ? `; ${ids}` : ''}]`
}
