import { ActionError } from '../errors.js'

/**
 * Put Block / Put Block List bookkeeping. Azure requires every block ID of a blob to have the same
 * length before base64 encoding, and at most 50,000 blocks per blob.
 */

export const MAX_BLOCKS = 50_000

export interface Block {
  /** 0-based position in the blob. */
  index: number
  /** Base64 block ID, as sent in `blockid=` and in the block list. */
  id: string
  /** First byte, inclusive. */
  start: number
  /** Last byte, inclusive (as fs.createReadStream's `end`). */
  end: number
  sizeBytes: number
  md5Base64: string
}

/** `block-000001` …: six digits cover MAX_BLOCKS, so every ID has the same length. */
export function blockId(index: number): string {
  return Buffer.from(`block-${String(index + 1).padStart(6, '0')}`).toString('base64')
}

/** Cuts `sizeBytes` into blocks of `blockSizeBytes` (the last one shorter), with their MD5s. */
export function planBlocks(sizeBytes: number, blockSizeBytes: number, md5s: readonly string[]): Block[] {
  const count = Math.ceil(sizeBytes / blockSizeBytes)
  if (md5s.length !== count) {
    throw new ActionError(
      `The package file changed while it was being read (expected ${count} blocks, hashed ${md5s.length}).`,
      {
        hint: 'Make sure no other step writes the package while it is uploaded.'
      }
    )
  }
  return Array.from({ length: count }, (_, index) => {
    const start = index * blockSizeBytes
    const end = Math.min(sizeBytes, start + blockSizeBytes) - 1
    return { index, id: blockId(index), start, end, sizeBytes: end - start + 1, md5Base64: md5s[index] }
  })
}

/** The Put Block List body. Base64 IDs hold no XML special characters; no escaping is needed. */
export function blockListXml(blocks: readonly Block[]): string {
  const latest = blocks.map(block => `<Latest>${block.id}</Latest>`).join('')
  return `<?xml version="1.0" encoding="utf-8"?><BlockList>${latest}</BlockList>`
}
