/**
 * When a request may be sent again, and after how long. Written down in the README's transport
 * table; keep the two in step.
 *
 * - `idempotent` requests (GET, HEAD, DELETE, PUT with an ETag or to a blob, token requests) are
 *   retried on 408, 429, 500, 502, 503, 504, connection resets, refused connections, socket
 *   timeouts and whole-request timeouts (never past the run's deadline).
 * - `create` requests (POST of a package or a submission, configure) are retried only when the
 *   service cannot have acted on them: 429 (throttled before processing) and a refused connection.
 *   Any other failure leaves the outcome unknown; the caller reads the state back instead.
 */

export type RetryMode = 'idempotent' | 'create'

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504])
const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'SOCKET_TIMEOUT',
  'REQUEST_TIMEOUT'
])

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** A Retry-After longer than this is not waited for: the request fails with the service's answer. */
  maxRetryAfterMs: number
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000
}

// Only a request declared idempotent is sent again after an answer that leaves its outcome open;
// anything else gets the cautious treatment of a create.
export function isRetryableStatus(mode: RetryMode, status: number): boolean {
  if (mode === 'idempotent') return RETRYABLE_STATUS.has(status)
  return status === 429
}

export function isRetryableNetworkError(mode: RetryMode, code: string | undefined): boolean {
  if (!code) return false
  if (mode === 'idempotent') return RETRYABLE_NETWORK.has(code)
  return code === 'ECONNREFUSED'
}

/** Exponential backoff with full jitter; `random` is injectable for tests. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  // Never less than half the ceiling, so that a storm of retries still spreads out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
