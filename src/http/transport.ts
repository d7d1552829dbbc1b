import { Readable } from 'node:stream'
import { HttpClient, HttpClientResponse } from '@actions/http-client'
import { systemClock, type Clock } from '../clock.js'
import { parseApiError } from './api-error.js'
import { isBodyWriter, sendWithWriter, type BodyWriter } from './body-writer.js'
import { HttpError } from './http-error.js'
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
  body?: string | Buffer | (() => Readable) | BodyWriter
  auth?: TokenSource
  /** Statuses returned to the caller instead of raised (e.g. 404 for "does it exist"). */
  allowStatus?: number[]
  /** Hint attached to the error when the request finally fails. */
  hint?: (error: HttpError) => string | undefined
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

  private client(url: string): HttpClient {
    const protocol = new URL(url).protocol
    let client = this.clients.get(protocol)
    if (!client) {
      client = new HttpClient(this.options.userAgent, [], {
        allowRetries: false,
        keepAlive: true,
        socketTimeout: this.socketTimeoutMs,
        allowRedirectDowngrade: false
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
      let networkError: (Error & { code?: string }) | undefined
      // Outside the try: a sign-in failure is its own error, not a network error of this request.
      const token = spec.auth ? await spec.auth.getToken() : undefined
      try {
        response = await this.send<T>(spec, token)
      } catch (error) {
        networkError = error as Error & { code?: string }
      }
      const elapsed = Math.round(performance.now() - started)
      const safeUrl = redactUrl(spec.url)

      if (response) {
        this.debug(
          `${spec.method} ${safeUrl} -> ${response.status} (${elapsed} ms${response.requestId ? `, request-id ${response.requestId}` : ''})`
        )
        if (response.status < 300 || spec.allowStatus?.includes(response.status)) return response
        if (response.status === 401 && spec.auth && !refreshedAuth) {
          // A token may expire between being read from the cache and arriving; refresh once.
          refreshedAuth = true
          spec.auth.invalidate()
          attempt--
          continue
        }
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.clock.now())
        if (isRetryableStatus(spec.retry, response.status) && attempt < this.policy.maxAttempts) {
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
      if (isRetryableNetworkError(spec.retry, code) && attempt < this.policy.maxAttempts) {
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
    const headers: Record<string, string> = { accept: 'application/json', ...spec.headers }
    let data: string | Readable | null = null
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8'
      data = JSON.stringify(spec.json)
    } else if (typeof spec.body === 'function') {
      data = spec.body()
    } else if (typeof spec.body === 'string') {
      data = spec.body
    } else if (Buffer.isBuffer(spec.body)) {
      // http-client takes strings or streams; a Buffer goes as a one-chunk stream, bytes untouched.
      data = Readable.from([spec.body])
      headers['content-length'] = String(spec.body.length)
    }
    if (typeof data === 'string') headers['content-length'] = String(Buffer.byteLength(data))
    if (token) headers.authorization = `Bearer ${token}`
    this.requestCount++
    const client = this.client(spec.url)
    let raw: { status: number; headers: Record<string, string | string[] | undefined>; text: string }
    if (isBodyWriter(spec.body)) {
      headers['user-agent'] = this.options.userAgent
      raw = await sendWithWriter(
        spec.url,
        spec.method,
        headers,
        spec.body,
        client.getAgent(spec.url),
        this.socketTimeoutMs
      )
    } else {
      const res: HttpClientResponse = await client.request(spec.method, spec.url, data, headers)
      raw = {
        status: res.message.statusCode ?? 0,
        headers: res.message.headers,
        text: spec.method === 'HEAD' ? '' : await res.readBody()
      }
    }
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

  private get socketTimeoutMs(): number {
    return this.options.socketTimeoutMs ?? 100_000
  }

  private toError<T>(
    spec: RequestSpec,
    attempts: number,
    response: HttpResponse<T> | undefined,
    networkError: (Error & { code?: string }) | undefined
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
        api,
        // A create whose answer never came, or came as a server error, may still have happened.
        outcomeUnknown: spec.retry === 'create' && (!response || response.status >= 500),
        attempts
      },
      networkError
    )
    const hint = spec.hint?.(error)
    return hint ? new HttpError({ ...error.details, hint }, networkError) : error
  }
}

function networkCode(error: (Error & { code?: string }) | undefined): string {
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
