import { once } from 'node:events'
import { open } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import type { BodyWriter } from '../http/body-writer.js'

/** Read size, and buffers per request: 4 × 64 KiB, reused, whatever the block size. */
export const READ_CHUNK_BYTES = 64 * 1024
export const BUFFERS_PER_REQUEST = 4

/**
 * Writes bytes start..end (inclusive) of a file as a request body, through a few buffers that are
 * reused once the socket has taken them (the write callback). Each attempt reads the range afresh,
 * so a retry resends it from its start; `onBytes` counts what was read, for progress.
 */
export function fileRangeWriter(
  filePath: string,
  start: number,
  end: number,
  onAttempt: () => (bytes: number) => void
): BodyWriter {
  return {
    async write(sink: Writable): Promise<void> {
      const onBytes = onAttempt()
      if (end < start) return
      const file = await open(filePath, 'r')
      const buffers = new BufferPool(BUFFERS_PER_REQUEST, READ_CHUNK_BYTES)
      // A request that fails or is destroyed may never call back for its writes: stop waiting then.
      const closed = once(sink, 'close').then(() => {
        throw new Error('The request closed while its body was being written.')
      })
      closed.catch(() => undefined)
      try {
        for (let position = start; position <= end;) {
          const buffer = await Promise.race([buffers.take(), closed])
          const { bytesRead } = await file.read(
            buffer,
            0,
            Math.min(buffer.length, end - position + 1),
            position
          )
          if (bytesRead === 0) throw new Error(`${filePath} ended at byte ${position}, before ${end + 1}.`)
          position += bytesRead
          onBytes(bytesRead)
          const flowing = sink.write(buffer.subarray(0, bytesRead), () => buffers.give(buffer))
          if (!flowing) await Promise.race([once(sink, 'drain'), closed])
        }
      } finally {
        await file.close()
      }
    }
  }
}

/** A fixed set of buffers: `take` waits until one is given back. */
class BufferPool {
  private readonly free: Buffer[]
  private readonly waiting: Array<(buffer: Buffer) => void> = []

  constructor(count: number, size: number) {
    this.free = Array.from({ length: count }, () => Buffer.allocUnsafeSlow(size))
  }

  take(): Promise<Buffer> {
    const buffer = this.free.pop()
    return buffer ? Promise.resolve(buffer) : new Promise(resolve => this.waiting.push(resolve))
  }

  give(buffer: Buffer): void {
    const next = this.waiting.shift()
    if (next) next(buffer)
    else this.free.push(buffer)
  }
}
