import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { Transform, type TransformCallback } from 'node:stream'
import { ChecksumAccumulator, DEFAULT_BLOCK_BYTES, type FileChecksums } from '../blob/checksums.js'

/** Size and checksums of a package file, as Partner Center and Azure Storage want them. */
export interface Digest {
  sizeBytes: number
  /** Hex, for logs and the summary (what users compare with `sha256sum`). */
  sha256: string
  /** Base64 MD5, the form Azure Storage takes in Content-MD5 / x-ms-blob-content-md5. */
  md5Base64: string
  /** MD5s for the upload (whole file and per block), so the upload needs no pass of its own. */
  checksums: FileChecksums
}

/** Accumulates SHA-256 and MD5 over chunks as they pass, so a file is never held whole in memory. */
export class Digester {
  private readonly sha256 = createHash('sha256')
  private readonly md5 = new ChecksumAccumulator(DEFAULT_BLOCK_BYTES)
  private bytes = 0

  update(chunk: Buffer): void {
    this.sha256.update(chunk)
    this.md5.update(chunk)
    this.bytes += chunk.length
  }

  get sizeBytes(): number {
    return this.bytes
  }

  digest(): Digest {
    const checksums = this.md5.result()
    return {
      sizeBytes: this.bytes,
      sha256: this.sha256.digest('hex'),
      md5Base64: checksums.md5Base64,
      checksums
    }
  }
}

/**
 * A pass-through stream that hashes what flows through it, and fails once more than `maxBytes`
 * have passed (so a folder that zips to more than the limit stops early instead of filling the disk).
 */
export class DigestStream extends Transform {
  readonly digester = new Digester()

  constructor(
    private readonly maxBytes: number,
    private readonly onTooLarge: (bytes: number) => Error
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.digester.update(chunk)
    if (this.digester.sizeBytes > this.maxBytes) {
      callback(this.onTooLarge(this.digester.sizeBytes))
      return
    }
    callback(null, chunk)
  }
}

/**
 * Hashes a file in one pass through a single reused buffer: hashing is synchronous, so the buffer is
 * free again at once, and a 1 GiB package leaves no trail of read buffers for the collector.
 */
export async function digestFile(filePath: string): Promise<Digest> {
  const digester = new Digester()
  const buffer = Buffer.allocUnsafeSlow(1024 * 1024)
  const file = await open(filePath, 'r')
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      digester.update(buffer.subarray(0, bytesRead))
    }
  } finally {
    await file.close()
  }
  return digester.digest()
}
