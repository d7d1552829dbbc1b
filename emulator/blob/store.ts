// Blob files on disk. Request bodies are streamed to temp files (uploads may be 1 GiB), hashed on
// the way (MD5), then renamed into place; staged blocks are files too, committed by concatenating
// streams. Nothing here ever holds a whole blob in memory.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'

export interface BlobMeta {
  size: number
  /** base64 MD5 of the content (Put Blob); undefined after Put Block List */
  contentMd5?: string
  etag: string
  lastModified: Date
  contentType: string
}

export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`)
  }
}

const key = (container: string, name: string): string => `${container}/${name}`

export class BlobStore {
  private readonly meta = new Map<string, BlobMeta>()
  private readonly blocks = new Map<string, Map<string, string>>()
  private seq = 0

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'blobs'), { recursive: true })
    mkdirSync(join(dir, 'tmp'), { recursive: true })
  }

  path(container: string, name: string): string {
    return join(this.dir, 'blobs', encodeURIComponent(key(container, name)))
  }

  get(container: string, name: string): BlobMeta | undefined {
    return this.meta.get(key(container, name))
  }

  private tmpFile(): string {
    return join(this.dir, 'tmp', `${Date.now()}-${++this.seq}-${randomBytes(4).toString('hex')}`)
  }

  /** Streams `body` to a temp file; returns its path, size and MD5. Enforces `limit` while streaming. */
  async receive(body: Readable, limit: number): Promise<{ file: string; size: number; md5: string }> {
    const file = this.tmpFile()
    const hash = createHash('md5')
    let size = 0
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length
        if (size > limit) return cb(new TooLargeError(limit))
        hash.update(chunk)
        cb(null, chunk)
      }
    })
    try {
      await pipeline(body, meter, createWriteStream(file))
    } catch (e) {
      await rm(file, { force: true })
      throw e
    }
    return { file, size, md5: hash.digest('base64') }
  }

  async discard(file: string): Promise<void> {
    await rm(file, { force: true })
  }

  async commitFile(
    container: string,
    name: string,
    file: string,
    m: Omit<BlobMeta, 'lastModified' | 'etag'>
  ): Promise<BlobMeta> {
    await rename(file, this.path(container, name))
    const meta: BlobMeta = { ...m, etag: newBlobEtag(), lastModified: new Date() }
    this.meta.set(key(container, name), meta)
    return meta
  }

  async stageBlock(container: string, name: string, blockId: string, file: string): Promise<void> {
    const k = key(container, name)
    let staged = this.blocks.get(k)
    if (!staged) this.blocks.set(k, (staged = new Map()))
    const prev = staged.get(blockId)
    staged.set(blockId, file)
    if (prev) await rm(prev, { force: true })
  }

  hasBlock(container: string, name: string, blockId: string): boolean {
    return this.blocks.get(key(container, name))?.has(blockId) ?? false
  }

  /** Concatenates the staged blocks in order into the blob; clears the staged set. */
  async commitBlocks(container: string, name: string, ids: string[], contentType: string): Promise<BlobMeta> {
    const staged = this.blocks.get(key(container, name)) ?? new Map<string, string>()
    const out = this.tmpFile()
    const ws = createWriteStream(out)
    let size = 0
    for (const id of ids) {
      const f = staged.get(id)!
      await pipeline(
        createReadStream(f),
        new Transform({
          transform(chunk: Buffer, _e, cb) {
            size += chunk.length
            cb(null, chunk)
          }
        }),
        ws,
        { end: false }
      )
    }
    await new Promise<void>((resolve, reject) =>
      ws.end((err?: Error | null) => (err ? reject(err) : resolve()))
    )
    for (const f of staged.values()) await rm(f, { force: true })
    this.blocks.delete(key(container, name))
    return this.commitFile(container, name, out, { size, contentType })
  }

  clear(): void {
    this.meta.clear()
    this.blocks.clear()
    rmSync(join(this.dir, 'blobs'), { recursive: true, force: true })
    rmSync(join(this.dir, 'tmp'), { recursive: true, force: true })
    mkdirSync(join(this.dir, 'blobs'), { recursive: true })
    mkdirSync(join(this.dir, 'tmp'), { recursive: true })
  }
}

let etagSeq = 0
/** Azure blob ETags look like "0x8DB704C9D5CCF70". */
function newBlobEtag(): string {
  const v = (BigInt(Date.now()) * 10000n + 116444736000000000n + BigInt(++etagSeq)).toString(16).toUpperCase()
  return `"0x${v}"`
}
