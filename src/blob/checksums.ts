import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export interface FileChecksums {
  sizeBytes: number
  /** Base64 MD5 of the whole file (Content-MD5 of a Put Blob, x-ms-blob-content-md5 of a block list). */
  md5Base64: string
  /** Base64 MD5 of each block, in order; empty when no block size was given. */
  blockMd5s: string[]
}

/**
 * MD5s of the whole file and of each `blockSizeBytes` block, in one streaming pass. They are needed
 * before each request is sent (they travel in headers), hence a pass of their own; the upload then
 * streams the file a second time. Memory stays at one read chunk.
 */
export async function fileChecksums(filePath: string, blockSizeBytes?: number): Promise<FileChecksums> {
  const whole = createHash('md5')
  const blockMd5s: string[] = []
  let block: Hash | undefined
  let inBlock = 0
  let sizeBytes = 0
  for await (const data of createReadStream(filePath)) {
    const chunk = data as Buffer
    whole.update(chunk)
    sizeBytes += chunk.length
    if (!blockSizeBytes) continue
    // A read chunk may straddle a block boundary: split it there.
    let offset = 0
    while (offset < chunk.length) {
      block ??= createHash('md5')
      const take = Math.min(chunk.length - offset, blockSizeBytes - inBlock)
      block.update(chunk.subarray(offset, offset + take))
      offset += take
      inBlock += take
      if (inBlock === blockSizeBytes) {
        blockMd5s.push(block.digest('base64'))
        block = undefined
        inBlock = 0
      }
    }
  }
  if (block) blockMd5s.push(block.digest('base64'))
  return { sizeBytes, md5Base64: whole.digest('base64'), blockMd5s }
}
