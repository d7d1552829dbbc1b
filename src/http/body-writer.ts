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
