import * as http from 'node:http'
import * as https from 'node:https'
import type { Writable } from 'node:stream'

/**
 * A request body written by its producer rather than piped from a stream: the producer learns when
 * each chunk has left (the write callback) and can reuse its buffers. Large uploads use it so that
 * memory stays a few fixed buffers, instead of a stream of fresh buffers that the garbage collector
 * frees late (Node 24's larger young generation kept ~50 MiB of them; docs/performance.md).
 */
export interface BodyWriter {
  /** Writes the whole body to `sink`; the caller ends the request. Called again for each attempt. */
  write(sink: Writable): Promise<void>
}

export function isBodyWriter(body: unknown): body is BodyWriter {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Buffer.isBuffer(body) &&
    typeof (body as BodyWriter).write === 'function'
  )
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

/**
 * Sends one request whose body a BodyWriter produces, through `agent` (the HTTP client's agent for
 * this URL: keep-alive and proxy settings stay the same as for every other request).
 */
export function sendWithWriter(
  url: string,
  method: string,
  headers: Record<string, string>,
  writer: BodyWriter,
  agent: http.Agent,
  socketTimeoutMs: number
): Promise<RawResponse> {
  const target = new URL(url)
  const transport = target.protocol === 'https:' ? https : http
  return new Promise<RawResponse>((resolve, reject) => {
    const request = transport.request(target, { method, headers, agent })
    request.setTimeout(socketTimeoutMs, () => {
      request.destroy(
        Object.assign(new Error(`Request timeout: ${target.pathname}`), { code: 'SOCKET_TIMEOUT' })
      )
    })
    request.on('error', reject)
    request.on('response', response => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8')
        })
      )
    })
    writer.write(request).then(
      () => request.end(),
      error => request.destroy(error as Error)
    )
  })
}
