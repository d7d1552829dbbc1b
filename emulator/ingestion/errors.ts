// v1 error bodies are JSON string literals (docs/partner-center-api.md §1.13, recorded):
//   "ICH50400 - Unable to complete request. {\"faultCode\":50400,\"reasonPhrase\":\"Request validation failed.\",...}"
// 400 is recorded; the 401/403/404/405/409/412/429/5xx codes follow the same pattern (chosen).
import { newGuid, newOperationId } from '../ids.js'
import { jsonReply, type Reply } from '../http/reply.js'

const FAULTS: Record<number, { code: number; reason: string }> = {
  400: { code: 50400, reason: 'Request validation failed.' },
  401: { code: 40100, reason: 'Unauthorized.' },
  403: { code: 40300, reason: 'Forbidden.' },
  404: { code: 40400, reason: 'Resource not found.' },
  405: { code: 40500, reason: 'Method not allowed.' },
  409: { code: 40900, reason: 'Conflict.' },
  412: { code: 41200, reason: 'Precondition failed.' },
  413: { code: 41300, reason: 'Request entity too large.' },
  429: { code: 42900, reason: 'Request rate exceeds limit.' },
  500: { code: 50000, reason: 'Internal server error.' },
  502: { code: 50200, reason: 'Bad gateway.' },
  503: { code: 50300, reason: 'Service unavailable.' },
  // status × 100 would give 50400, which the recorded 400 already uses.
  504: { code: 50401, reason: 'Gateway timeout.' }
}

export type ErrorData = Record<string, string[]>

export function ichMessage(status: number, data: ErrorData = {}): string {
  const f = FAULTS[status] ?? { code: status * 100, reason: 'Unable to complete request.' }
  const detail = {
    faultCode: f.code,
    reasonPhrase: f.reason,
    correlationId: newGuid(),
    operationId: newOperationId(),
    data
  }
  return `ICH${f.code} - Unable to complete request. ${JSON.stringify(detail)}`
}

export function ichError(status: number, data: ErrorData = {}, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, ichMessage(status, data), headers)
}

/** Thrown by handlers; the ingestion dispatcher turns it into an ICH reply. */
export class IngestionError extends Error {
  constructor(
    readonly status: number,
    readonly data: ErrorData = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(`ingestion error ${status}: ${JSON.stringify(data)}`)
  }
}

export const badRequest = (field: string, message: string): IngestionError =>
  new IngestionError(400, { [field]: [message] })
export const notFound = (what: string, id: string): IngestionError =>
  new IngestionError(404, { [what]: [`The ${what} with id '${id}' was not found.`] })
export const conflict = (field: string, message: string): IngestionError =>
  new IngestionError(409, { [field]: [message] })
