import * as http from 'node:http'
import * as https from 'node:https'
import type { Readable } from 'node:stream'
import type { BodyWriter } from './body-writer.js'

/** One HTTP exchange's answer, body read in full. */
export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

export interface SendOptions {
  url: string
  method: string
  headers: Record<string, string>
  body: string | Buffer | Readable | BodyWriter | null
  /** The HTTP client's agent for this URL (keep-alive and proxy settings). */
  agent: http.Agent
  /** Silence on the socket for this long ends the request (SOCKET_TIMEOUT). */
  socketTimeoutMs: number
  /**
   * Wall-clock epoch ms by which the whole exchange (sending, headers and every byte of the body)
   * must be over: a server that trickles its answer cannot keep a request alive past it.
   */
  deadlineAt: number
  /** Code of the error raised at the deadline (REQUEST_TIMEOUT, or RUN_DEADLINE for timeout-minutes). */
  deadlineCode: string
  /** Largest answer read; a longer one ends the request (RESPONSE_TOO_LARGE). */
  maxResponseBytes: number
  /** Skip the body (HEAD). */
  noBody?: boolean
}

export type NetworkError = Error & { code?: string }

function networkError(message: string, code: string): NetworkError {
  return Object.assign(new Error(message), { code })
}

/**
 * Sends one request with Node's http/https and reads the whole answer. Redirects are never followed
 * (Node does not; a 3xx comes back as it is), so no credential travels to a place the caller did not
 * choose. The promise always settles: on the answer, on a socket error or close, on socket silence,
 * or at `deadlineAt` — there is no way for a server to leave it pending.
 */
export function sendOnce(options: SendOptions): Promise<RawResponse> {
  const target = new URL(options.url)
  const transport = target.protocol === 'https:' ? https : http
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false
    const request = transport.request(target, {
      method: options.method,
      headers: options.headers,
      agent: options.agent
    })
    const finish = (error: NetworkError | undefined, response?: RawResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      if (error) {
        // Ends the exchange (and frees its socket) when we, not the socket, decided it is over.
        if (!request.destroyed) request.destroy()
        reject(error)
      } else resolve(response!)
    }
    const remaining = Math.max(0, options.deadlineAt - Date.now())
    const deadline = setTimeout(
      () =>
        finish(
          networkError(
            `the request did not finish within its deadline (${Math.round(remaining / 1000)} s)`,
            options.deadlineCode
          )
        ),
      remaining
    )
    request.setTimeout(options.socketTimeoutMs, () =>
      finish(networkError(`no data for ${options.socketTimeoutMs} ms`, 'SOCKET_TIMEOUT'))
    )
    request.on('error', error => finish(error as NetworkError))
    let answered = false
    request.on('close', () => {
      if (!answered) finish(networkError('the connection closed before an answer came', 'ECONNRESET'))
    })
    request.on('response', response => {
      answered = true
      if (options.noBody) {
        response.resume()
        finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, text: '' })
        return
      }
      const declared = Number(response.headers['content-length'])
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        finish(tooLarge(options.maxResponseBytes))
        return
      }
      // Chunks are kept and joined once at the end: linear in the size of the answer.
      const chunks: Buffer[] = []
      let length = 0
      response.on('data', (chunk: Buffer) => {
        length += chunk.length
        if (length > options.maxResponseBytes) finish(tooLarge(options.maxResponseBytes))
        else chunks.push(chunk)
      })
      response.on('error', error => finish(error as NetworkError))
      response.on('aborted', () =>
        finish(networkError('the server stopped sending the answer', 'ECONNRESET'))
      )
      // 'close' follows 'end' on a complete answer (then this does nothing): alone, the answer was cut.
      response.on('close', () =>
        finish(networkError('the connection closed before the answer was complete', 'ECONNRESET'))
      )
      response.on('end', () => {
        if (!response.complete) {
          finish(networkError('the answer ended before its declared length', 'ECONNRESET'))
          return
        }
        finish(undefined, {
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks, length).toString('utf8')
        })
      })
    })
    writeBody(request, options.body).catch((error: unknown) => finish(error as NetworkError))
  })
}

function tooLarge(limit: number): NetworkError {
  return networkError(`the answer is larger than ${limit} bytes`, 'RESPONSE_TOO_LARGE')
}

async function writeBody(
  request: http.ClientRequest,
  body: string | Buffer | Readable | BodyWriter | null
): Promise<void> {
  if (body === null) {
    request.end()
  } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
    request.end(body)
  } else if ('pipe' in body && typeof body.pipe === 'function') {
    const stream = body
    stream.on('error', error => request.destroy(error))
    stream.pipe(request)
  } else {
    await (body as BodyWriter).write(request)
    request.end()
  }
}
