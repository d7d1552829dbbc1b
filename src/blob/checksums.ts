import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** The block size uploads use unless told otherwise. */
export const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024

export interface FileChecksums {
  sizeBytes: number
  /** Base64 MD5 of the whole file (Content-MD5 of a Put Blob, x-ms-blob-content-md5 of a block list). */
  md5Base64: string
  /** The block size `blockMd5s` were computed for (0: none). */
  blockSizeBytes: number
  /** Base64 MD5 of each block, in order; empty when no block size was given. */
  blockMd5s: string[]
}

/**
 * MD5s of the whole data and of each `blockSizeBytes` block, fed chunk by chunk. They are needed
 * before each request is sent (they travel in headers), so they are computed in a pass before the
 * upload; the package check does that pass anyway (for its SHA-256) and hands them on.
 */
export class ChecksumAccumulator {
  private readonly whole = createHash('md5')
  private readonly blockMd5s: string[] = []
  private block: Hash | undefined
  private inBlock = 0
  private sizeBytes = 0

  constructor(private readonly blockSizeBytes = 0) {}

  update(chunk: Buffer): void {
    this.whole.update(chunk)
    this.sizeBytes += chunk.length
    if (!this.blockSizeBytes) return
    // A read chunk may straddle a block boundary: split it there.
    let offset = 0
    while (offset < chunk.length) {
      this.block ??= createHash('md5')
      const take = Math.min(chunk.length - offset, this.blockSizeBytes - this.inBlock)
      this.block.update(chunk.subarray(offset, offset + take))
      offset += take
      this.inBlock += take
      if (this.inBlock === this.blockSizeBytes) {
        this.blockMd5s.push(this.block.digest('base64'))
        this.block = undefined
        this.inBlock = 0
      }
    }
  }

  result(): FileChecksums {
    if (this.block) {
      this.blockMd5s.push(this.block.digest('base64'))
      this.block = undefined
    }
    return {
      sizeBytes: this.sizeBytes,
      md5Base64: this.whole.digest('base64'),
      blockSizeBytes: this.blockSizeBytes,
      blockMd5s: this.blockMd5s
    }
  }
}

/** The checksums of a file in one streaming pass; memory stays at one read chunk. */
export async function fileChecksums(filePath: string, blockSizeBytes?: number): Promise<FileChecksums> {
  const accumulator = new ChecksumAccumulator(blockSizeBytes)
  for await (const data of createReadStream(filePath)) accumulator.update(data as Buffer)
  return accumulator.result()
}
