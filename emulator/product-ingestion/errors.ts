// Product Ingestion error bodies (docs/partner-center-api.md §2.9): {"error":{"code","message","details":[inner]}}.
// Top-level codes are camelCase HTTP names; inner codes (schemaValidationError, resourceNotFound, …)
// name the resource they concern.
import { jsonReply, type Reply } from '../http/reply.js'
import { newGuid } from '../ids.js'

export interface InnerError {
  code: string
  message: string
  resourceId?: unknown
  details: InnerError[]
}

const CODES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  409: 'conflict',
  429: 'tooManyRequests',
  500: 'internalServerError',
  503: 'serviceUnavailable'
}

/** Thrown by handlers; the gate turns it into a reply. */
export class PiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** null: the body has no `details` at all (some real answers, e.g. docs/partner-center-api.md §7.6). */
    readonly details: InnerError[] | null = [],
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

export function piErrorReply(
  status: number,
  message: string,
  details: InnerError[] | null = [],
  headers: Record<string, string> = {}
): Reply {
  return jsonReply(
    status,
    { error: { code: CODES[status] ?? 'badRequest', message, ...(details ? { details } : {}) } },
    { 'request-id': newGuid(), ...headers }
  )
}

export const inner = (code: string, message: string, resourceId?: unknown): InnerError =>
  resourceId === undefined ? { code, message, details: [] } : { code, message, resourceId, details: [] }
