import type { Readable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import { systemClock, type Clock } from '../clock.js'
import { parseApiError } from './api-error.js'
import type { BodyWriter } from './body-writer.js'
import { HttpError } from './http-error.js'
import { checkRequestUrl, checkTokenOrigin } from './origin-policy.js'
import { answerProblem } from './answer-check.js'
import { sendOnce, type NetworkError } from './send.js'
import { redactUrl } from './redact.js'
import {
  backoffDelay,
  defaultRetryPolicy,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  type RetryMode,
  type RetryPolicy
} from './retry-policy.js'

/** Supplies bearer tokens; `invalidate` drops a token the service refused so the next is fresh. */
export interface TokenSource {
  getToken(): Promise<string>
  invalidate(): void
  /**
   * The one origin (scheme, host and port) its tokens may be sent to: that of the API URL input the
   * token is for. A request elsewhere (a `nextLink` or job URL the server made up) is refused.
   */
  readonly origin: string
  /** The input that origin comes from, for messages: `ingestion-api-url`. */
  readonly originInput: string
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD'
  url: string
  /** What the request does, for messages: "list products", "upload block 3". */
  operation: string
  retry: RetryMode
  headers?: Record<string, string>
  /** A JSON body; sets Content-Type. */
  json?: unknown
  /** A raw body, a factory that opens a fresh stream for each attempt, or a writer (large uploads). */
  body?: string | (() => Readable) | BodyWriter
  auth?: TokenSource
  /** Statuses returned to the caller instead of raised (e.g. 404 for "does it exist"). */
  allowStatus?: number[]
  /** Hint attached to the error when the request finally fails. */
  hint?: (error: HttpError) => string | undefined
  /**
   * What a successful answer must be: `json` (the default; an HTML page, truncated JSON or, for GET
   * and POST, an empty body is an error) or `any` (blob storage answers with empty bodies or XML).
   */
  answer?: 'json' | 'any'
  /** Whole-request limit for this request (sending, headers, body), instead of the transport's. */
  timeoutMs?: number
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string | undefined>
  text: string
  /** Parsed JSON body, or undefined for an empty or non-JSON body. */
  body: T
  requestId?: string
}

export interface TransportOptions {
  userAgent: string
  policy?: Partial<RetryPolicy>
  /** Socket inactivity limit; a silent connection is abandoned (and retried if idempotent). */
  socketTimeoutMs?: number
  /**
   * Whole-request limit, wall-clock ms: a request still sending, or still receiving its answer, this
   * long after it started is abandoned (and retried if idempotent), however busy its socket is.
   */
  requestTimeoutMs?: number
  /**
   * Wall-clock epoch ms of the run's end (`timeout-minutes`): a request still running then ends with
   * RUN_DEADLINE, and no retry starts after it.
   */
  deadlineAt?: number
  /** Largest answer read, in bytes (default 512 MiB); a longer one is an error, not memory spent. */
  maxResponseBytes?: number
  clock?: Clock
  random?: () => number
  debug?: (message: string) => void
  /** Called before each retry wait, e.g. to log "throttled, retrying in 4 s". */
  onRetry?: (info: { operation: string; attempt: number; delayMs: number; reason: string }) => void
}

/**
 * The one HTTP transport: JSON in and out, bearer tokens, retries by the rules in retry-policy.ts,
 * typed errors that carry the request and correlation ids.
 */
export class Transport {
  /** One client per protocol: http-client reuses its keep-alive agent for any URL it is given. */
  private readonly clients = new Map<string, HttpClient>()
  private readonly policy: RetryPolicy
  private readonly clock: Clock
  private readonly random: () => number
  private readonly debug: (message: string) => void
  private requestCount = 0

  constructor(private readonly options: TransportOptions) {
    this.policy = { ...defaultRetryPolicy, ...options.policy }
    this.clock = options.clock ?? systemClock
    this.random = options.random ?? Math.random
    this.debug = options.debug ?? (() => undefined)
  }

  /** The agent source only (keep-alive, proxy settings); requests go out through send.ts. */
  private client(url: string): HttpClient {
    const protocol = new URL(url).protocol
    let client = this.clients.get(protocol)
    if (!client) {
      client = new HttpClient(this.options.userAgent, [], {
        allowRetries: false,
        allowRedirects: false,
        keepAlive: true,
        socketTimeout: this.socketTimeoutMs
      })
      this.clients.set(protocol, client)
    }
    return client
  }

  /** Requests sent so far, retries included (for the benchmark and the summary). */
  get requestsSent(): number {
    return this.requestCount
  }

  async request<T = unknown>(spec: RequestSpec): Promise<HttpResponse<T>> {
    let attempt = 0
    let refreshedAuth = false
    for (;;) {
      attempt++
      // Request durations are wall-clock (performance.now), even when waits run on a scaled clock.
      const started = performance.now()
      let response: HttpResponse<T> | undefined
      let networkError: NetworkError | undefined
      this.checkTarget(spec)
      // Outside the try: a sign-in failure is its own error, not a network error of this request.
      const token = spec.auth ? await spec.auth.getToken() : undefined
      try {
        response = await this.send<T>(spec, token)
      } catch (error) {
        networkError = error as NetworkError
      }
      const elapsed = Math.round(performance.now() - started)
      const safeUrl = redactUrl(spec.url)

      if (response) {
        this.debug(
          `${spec.method} ${safeUrl} -> ${response.status} (${elapsed} ms${response.requestId ? `, request-id ${response.requestId}` : ''})`
        )
        if (spec.allowStatus?.includes(response.status)) return response
        if (response.status < 300) {
          const problem = answerProblem(spec, response.status, response.text, response.body !== undefined)
          if (problem) throw this.toError(spec, attempt, response, undefined, problem)
          return response
        }
        if (response.status === 401 && spec.auth && !refreshedAuth) {
          // A token may expire between being read from the cache and arriving; refresh once.
          refreshedAuth = true
          spec.auth.invalidate()
          attempt--
          continue
        }
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.clock.now())
        if (
          isRetryableStatus(spec.retry, response.status) &&
          attempt < this.policy.maxAttempts &&
          !this.pastDeadline()
        ) {
          if (retryAfter === undefined || retryAfter <= this.policy.maxRetryAfterMs) {
            const delay = retryAfter ?? backoffDelay(this.policy, attempt, this.random)
            await this.wait(spec, attempt, delay, `HTTP ${response.status}`)
            continue
          }
        }
        throw this.toError(spec, attempt, response, undefined)
      }

      const code = networkCode(networkError)
      this.debug(`${spec.method} ${safeUrl} -> ${code} (${elapsed} ms)`)
      if (
        isRetryableNetworkError(spec.retry, code) &&
        attempt < this.policy.maxAttempts &&
        !this.pastDeadline()
      ) {
        await this.wait(spec, attempt, backoffDelay(this.policy, attempt, this.random), code)
        continue
      }
      throw this.toError(spec, attempt, undefined, networkError)
    }
  }

  private async wait(spec: RequestSpec, attempt: number, delayMs: number, reason: string): Promise<void> {
    this.options.onRetry?.({ operation: spec.operation, attempt, delayMs, reason })
    this.debug(`${spec.operation}: ${reason}, retry ${attempt} in ${delayMs} ms`)
    await this.clock.sleep(delayMs)
  }

  private async send<T>(spec: RequestSpec, token: string | undefined): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json',
      ...spec.headers
    }
    let data: string | Readable | BodyWriter | null = null
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8'
      data = JSON.stringify(spec.json)
    } else if (typeof spec.body === 'function') {
      data = spec.body()
    } else if (spec.body !== undefined) {
      data = spec.body
    }
    if (typeof data === 'string') headers['content-length'] = String(Buffer.byteLength(data))
    if (token) headers.authorization = `Bearer ${token}`
    this.requestCount++
    const started = Date.now()
    const limit = spec.timeoutMs ?? this.requestTimeoutMs
    const requestLimit = started + limit
    // A request that starts after the run's deadline (a last status read once a wait has timed out)
    // still gets a short allowance, never more than its own limit.
    const deadlineAt = this.options.deadlineAt ?? Infinity
    const runDeadline = started < deadlineAt ? deadlineAt : started + Math.min(limit, LATE_REQUEST_MS)
    const raw = await sendOnce({
      url: spec.url,
      method: spec.method,
      headers,
      body: data,
      agent: this.client(spec.url).getAgent(spec.url),
      socketTimeoutMs: this.socketTimeoutMs,
      deadlineAt: Math.min(requestLimit, runDeadline),
      deadlineCode: runDeadline < requestLimit ? 'RUN_DEADLINE' : 'REQUEST_TIMEOUT',
      maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      noBody: spec.method === 'HEAD'
    })
    const responseHeaders: Record<string, string | undefined> = {}
    for (const [name, value] of Object.entries(raw.headers)) {
      responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
    return {
      status: raw.status,
      headers: responseHeaders,
      text: raw.text,
      body: parseJson(raw.text) as T,
      requestId: responseHeaders['request-id'] ?? responseHeaders['x-ms-request-id']
    }
  }

  /**
   * Refuses, before anything is sent, a URL that is neither https nor loopback, and a token bound for
   * an origin other than its own.
   */
  private checkTarget(spec: RequestSpec): void {
    checkRequestUrl(spec)
    if (spec.auth) checkTokenOrigin(spec, spec.auth)
  }

  /** True once the run's deadline has passed: no retry is started then. */
  private pastDeadline(): boolean {
    return this.options.deadlineAt !== undefined && Date.now() >= this.options.deadlineAt
  }

  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  }

  private get socketTimeoutMs(): number {
    return this.options.socketTimeoutMs ?? 100_000
  }

  private toError<T>(
    spec: RequestSpec,
    attempts: number,
    response: HttpResponse<T> | undefined,
    networkError: NetworkError | undefined,
    problem?: string
  ): HttpError {
    const api = parseApiError(response?.text ?? '')
    const headers = response?.headers ?? {}
    const error = new HttpError(
      {
        operation: spec.operation,
        method: spec.method,
        url: redactUrl(spec.url),
        status: response?.status,
        networkCode: response ? undefined : networkCode(networkError),
        requestId: response?.requestId,
        correlationId:
          api.correlationId ??
          headers['ms-correlationid'] ??
          headers['x-ms-correlation-id'] ??
          headers['client-request-id'],
        api: problem ? parseApiError('') : api,
        problem,
        // A create whose answer never came, came as a server error, or came without a readable
        // body (so without the new object's id) may still have happened.
        outcomeUnknown:
          spec.retry === 'create' && (!response || response.status >= 500 || problem !== undefined),
        redirectTo:
          response && response.status >= 300 && response.status < 400 ? response.headers.location : undefined,
        attempts
      },
      networkError
    )
    const hint = spec.hint?.(error)
    return hint ? new HttpError({ ...error.details, hint }, networkError) : error
  }
}

/** A request's whole life, unless the request says otherwise (an upload sets its own). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000
const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024
/** What a request started after the run's deadline may take. */
const LATE_REQUEST_MS = 30_000

function networkCode(error: NetworkError | undefined): string {
  if (!error) return 'UNKNOWN'
  if (error.code) return error.code
  if (/timeout/i.test(error.message)) return 'SOCKET_TIMEOUT'
  if (/socket hang up/i.test(error.message)) return 'ECONNRESET'
  return 'UNKNOWN'
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
