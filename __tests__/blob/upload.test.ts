import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { HttpError } from '../../src/http/http-error.js'
import { SIGNATURE, startBlobServer, type BlobServer } from './blob-server.js'

// @actions/core writes workflow commands to stdout; captured instead, to check what is masked.
const setSecret = jest.fn<(secret: string) => void>()
const noop = (): void => undefined
jest.unstable_mockModule('@actions/core', () => ({
  setSecret,
  info: noop,
  warning: noop,
  debug: noop,
  group: async <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn()
}))
const { uploadFileToSas } = await import('../../src/blob/index.js')
const { Transport } = await import('../../src/http/transport.js')

const MiB = 1024 * 1024
const DECODED_SIGNATURE = decodeURIComponent(SIGNATURE)

let dir: string
let server: BlobServer
const files: Record<'small' | 'large' | 'uneven' | 'empty', { path: string; sha256: string; size: number }> =
  {} as never

function transport(): InstanceType<typeof Transport> {
  // Retries without real waiting.
  return new Transport({ userAgent: 'test', clock: { now: () => Date.now(), sleep: async () => undefined } })
}

function sha256(bytes: Buffer | undefined): string {
  return createHash('sha256')
    .update(bytes ?? Buffer.alloc(0))
    .digest('hex')
}

/** Records progress calls and checks they never go back. */
function progressRecorder(): {
  calls: Array<[number, number]>
  onProgress: (sent: number, total: number) => void
} {
  const calls: Array<[number, number]> = []
  return {
    calls,
    onProgress: (sent, total) => {
      if (calls.length > 0) expect(sent).toBeGreaterThan(calls[calls.length - 1][0])
      calls.push([sent, total])
    }
  }
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pcp-blob-test-'))
  const make = async (name: keyof typeof files, size: number): Promise<void> => {
    const bytes = randomBytes(size)
    const file = path.join(dir, `${name}.zip`)
    await writeFile(file, bytes)
    files[name] = { path: file, sha256: sha256(bytes), size }
  }
  await make('small', 300 * 1024)
  await make('large', 20 * MiB)
  await make('uneven', 3 * MiB + 123)
  await make('empty', 0)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  server = await startBlobServer()
  setSecret.mockClear()
})
afterEach(async () => {
  await server.close()
})

describe('uploadFileToSas with one Put Blob', () => {
  it('uploads the file with its MD5 and reports progress up to the total', async () => {
    const progress = progressRecorder()
    const result = await uploadFileToSas(server.sasUrl('1'), files.small.path, {
      transport: transport(),
      onProgress: progress.onProgress
    })
    expect(result).toMatchObject({
      method: 'put-blob',
      blocks: 0,
      bytes: files.small.size,
      etag: '"0x24PUT"'
    })
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    expect(sha256(server.blobs.get('/file/1'))).toBe(files.small.sha256)
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0].headers).toMatchObject({
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': '2021-08-06',
      'content-type': 'application/octet-stream',
      'content-length': String(files.small.size)
    })
    expect(progress.calls[progress.calls.length - 1]).toEqual([files.small.size, files.small.size])
    expect(progress.calls.length).toBeGreaterThan(1)
  })

  it('gives the upload 10 minutes plus the time to send it at a slow 256 KiB/s, so a large package on a slow link is not cut off', async () => {
    const t = transport()
    const request = jest.spyOn(t, 'request')
    await uploadFileToSas(server.sasUrl('1'), files.large.path, { transport: t })
    const limits = request.mock.calls.map(([spec]) => spec.timeoutMs)
    // 20 MiB at 256 KiB/s is 80 s.
    expect(limits).toEqual([10 * 60_000 + 80_000])
  })

  it('sends a package above the old 64 MiB block threshold in one Put Blob by default, without an Authorization header', async () => {
    // Front Door upload URLs take only Put Blob (docs/partner-center-api.md §7.5): an 80 MiB
    // package once failed at "upload block 2 of 11" because it was cut into blocks. A sparse file
    // keeps the test light; the hardening suite sends 80 MiB of random bytes through the bundle.
    const size = 65 * MiB
    const file = path.join(dir, 'sparse.zip')
    await writeFile(file, '')
    await truncate(file, size)
    const result = await uploadFileToSas(server.sasUrl('65'), file, { transport: transport() })
    expect(result).toMatchObject({ method: 'put-blob', blocks: 0, bytes: size })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0].comp).toBeUndefined()
    expect(server.requests[0].headers.authorization).toBeUndefined()
    expect(server.requests[0].headers['content-md5']).toBe(
      createHash('md5').update(Buffer.alloc(size)).digest('base64')
    )
    expect(server.blobs.get('/file/65')?.length).toBe(size)
    server.blobs.delete('/file/65')
    await rm(file)
  }, 120_000)

  it('refuses an upload URL over plain http to a host that is not loopback, before reading the file', async () => {
    const error = await caught(
      uploadFileToSas(
        'http://storage.example.test/file/1?sv=2018-03-28&sig=abc',
        path.join(dir, 'missing.zip'),
        {
          transport: transport()
        }
      )
    )
    expect(error.message).toContain(
      'The package upload URL given by Partner Center (http://storage.example.test) is not https'
    )
  })

  it('masks the SAS URL and its signature before sending anything', async () => {
    const url = server.sasUrl('2')
    await uploadFileToSas(url, files.small.path, { transport: transport() })
    expect(setSecret).toHaveBeenCalledWith(url)
    expect(setSecret).toHaveBeenCalledWith(SIGNATURE)
    expect(setSecret).toHaveBeenCalledWith(DECODED_SIGNATURE)
  })

  it('reopens the file when a Put Blob is retried', async () => {
    server.fail(request => request.comp === undefined, 500, 'InternalError')
    const result = await uploadFileToSas(server.sasUrl('3'), files.small.path, { transport: transport() })
    expect(result.method).toBe('put-blob')
    expect(server.requests).toHaveLength(2)
    expect(server.requests.map(request => request.bytes)).toEqual([files.small.size, files.small.size])
    expect(sha256(server.blobs.get('/file/3'))).toBe(files.small.sha256)
  })

  it('uploads an empty file', async () => {
    const progress = progressRecorder()
    const result = await uploadFileToSas(server.sasUrl('4'), files.empty.path, {
      transport: transport(),
      onProgress: progress.onProgress
    })
    expect(result).toMatchObject({ method: 'put-blob', bytes: 0 })
    expect(server.blobs.get('/file/4')).toEqual(Buffer.alloc(0))
    expect(progress.calls).toEqual([[0, 0]])
  })
})

describe('uploadFileToSas with blocks', () => {
  it('sends blocks in parallel, bounded, and commits them in order', async () => {
    server.blockDelayMs = 20
    const progress = progressRecorder()
    const result = await uploadFileToSas(server.sasUrl('big.zip'), files.large.path, {
      transport: transport(),
      blockSizeBytes: 1 * MiB,
      parallelism: 3,
      singlePutMaxBytes: 1 * MiB,
      onProgress: progress.onProgress
    })
    expect(result).toMatchObject({ method: 'block-list', blocks: 20, bytes: 20 * MiB, etag: '"0xBLOCKLIST"' })
    expect(sha256(server.blobs.get('/file/big.zip'))).toBe(files.large.sha256)

    expect(server.maxBlocksInFlight).toBeLessThanOrEqual(3)
    expect(server.maxBlocksInFlight).toBeGreaterThan(1)

    const blockRequests = server.requests.filter(request => request.comp === 'block')
    expect(blockRequests).toHaveLength(20)
    const ids = blockRequests.map(request => request.blockId as string)
    expect(new Set(ids.map(id => id.length)).size).toBe(1)
    expect(Buffer.from(ids[0], 'base64').toString()).toMatch(/^block-0000\d\d$/)
    for (const request of blockRequests) expect(request.bytes).toBe(MiB)

    const commit = server.requests[server.requests.length - 1]
    expect(commit.comp).toBe('blocklist')
    expect(commit.headers['x-ms-blob-content-type']).toBe('application/octet-stream')

    expect(progress.calls[progress.calls.length - 1]).toEqual([20 * MiB, 20 * MiB])
    expect(progress.calls.length).toBeGreaterThan(20)
  })

  it('keeps 3 blocks in flight by default', async () => {
    server.blockDelayMs = 30
    await uploadFileToSas(server.sasUrl('default'), files.large.path, {
      transport: transport(),
      blockSizeBytes: 1 * MiB,
      singlePutMaxBytes: 1 * MiB
    })
    expect(server.maxBlocksInFlight).toBe(3)
  })

  it('writes every block from disk through a few reused buffers, never a block in memory', async () => {
    const client = transport()
    const request = jest.spyOn(client, 'request')
    await uploadFileToSas(server.sasUrl('streamed'), files.uneven.path, {
      transport: client,
      blockSizeBytes: 2 * MiB,
      singlePutMaxBytes: 0
    })
    const blockSpecs = request.mock.calls
      .map(([spec]) => spec)
      .filter(spec => spec.url.includes('comp=block&'))
    expect(blockSpecs).toHaveLength(2)
    for (const spec of blockSpecs) {
      // Replay the body into a sink that records each chunk's buffer: the same few buffers recur.
      const { Writable } = await import('node:stream')
      const seen = new Set<ArrayBufferLike>()
      let bytes = 0
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          seen.add(chunk.buffer)
          bytes += chunk.length
          setImmediate(done)
        }
      })
      await (spec.body as { write(sink: import('node:stream').Writable): Promise<void> }).write(sink)
      expect(bytes).toBeGreaterThan(MiB)
      expect(seen.size).toBeLessThanOrEqual(4)
    }
  })

  it('uses checksums computed earlier instead of reading the file again, and only when they fit', async () => {
    const { fileChecksums } = await import('../../src/blob/index.js')
    const good = await fileChecksums(files.large.path, 1 * MiB)
    await uploadFileToSas(server.sasUrl('precomputed'), files.large.path, {
      transport: transport(),
      blockSizeBytes: 1 * MiB,
      singlePutMaxBytes: 0,
      checksums: good
    })
    expect(sha256(server.blobs.get('/file/precomputed'))).toBe(files.large.sha256)

    // Wrong block MD5s are sent as given: the service refuses them, proving they were used.
    const wrong = { ...good, blockMd5s: good.blockMd5s.map(() => good.md5Base64) }
    const error = await caught(
      uploadFileToSas(server.sasUrl('wrong'), files.large.path, {
        transport: transport(),
        blockSizeBytes: 1 * MiB,
        singlePutMaxBytes: 0,
        checksums: wrong
      })
    )
    expect(error.message).toMatch(/Md5Mismatch|MD5|400/i)

    // Checksums for another block size are ignored and computed afresh.
    await uploadFileToSas(server.sasUrl('other-size'), files.large.path, {
      transport: transport(),
      blockSizeBytes: 2 * MiB,
      singlePutMaxBytes: 0,
      checksums: wrong
    })
    expect(sha256(server.blobs.get('/file/other-size'))).toBe(files.large.sha256)
  })

  it('sends a shorter last block', async () => {
    const result = await uploadFileToSas(server.sasUrl('uneven'), files.uneven.path, {
      transport: transport(),
      blockSizeBytes: 1 * MiB,
      singlePutMaxBytes: 0
    })
    expect(result).toMatchObject({ method: 'block-list', blocks: 4, bytes: 3 * MiB + 123 })
    const sizes = server.requests.filter(request => request.comp === 'block').map(request => request.bytes)
    expect(sizes.sort((a, b) => a - b)).toEqual([123, MiB, MiB, MiB])
    expect(sha256(server.blobs.get('/file/uneven'))).toBe(files.uneven.sha256)
  })

  it('retries a block that failed with 503, and the blob is still right', async () => {
    const failedId = Buffer.from('block-000005').toString('base64')
    server.fail(request => request.comp === 'block' && request.blockId === failedId, 503, 'ServerBusy')
    const result = await uploadFileToSas(server.sasUrl('retry'), files.large.path, {
      transport: transport(),
      blockSizeBytes: 1 * MiB,
      parallelism: 3,
      singlePutMaxBytes: 1 * MiB
    })
    expect(result.blocks).toBe(20)
    expect(server.requests.filter(request => request.blockId === failedId)).toHaveLength(2)
    expect(server.requests.filter(request => request.comp === 'block')).toHaveLength(21)
    expect(sha256(server.blobs.get('/file/retry'))).toBe(files.large.sha256)
  })

  it('stops starting blocks after one fails for good', async () => {
    server.blockDelayMs = 5
    server.fail(request => request.comp === 'block', 400, 'Md5Mismatch', 1)
    const error = await caught(
      uploadFileToSas(server.sasUrl('fails'), files.large.path, {
        transport: transport(),
        blockSizeBytes: 1 * MiB,
        parallelism: 2,
        singlePutMaxBytes: 0
      })
    )
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toMatch(
      /upload block \d+ of 20 of large\.zip failed: HTTP 400 - Md5Mismatch: Md5Mismatch happened\./
    )
    expect(error.message).toContain('sig=REDACTED')
    expect(error.message).not.toContain(SIGNATURE)
    expect(server.requests.filter(request => request.comp === 'block').length).toBeLessThanOrEqual(3)
    expect(server.requests.some(request => request.comp === 'blocklist')).toBe(false)
  })
})

describe('uploadFileToSas errors', () => {
  it('explains a refused upload URL without showing its signature', async () => {
    const url = server.sasUrl('refused').replace(SIGNATURE, 'd3Jvbmctc2lnbmF0dXJlLXZhbHVl')
    const error = await caught(
      uploadFileToSas(url, files.large.path, {
        transport: transport(),
        singlePutMaxBytes: 0,
        blockSizeBytes: 4 * MiB
      })
    )
    expect(error).toBeInstanceOf(ActionError)
    expect(error).not.toBeInstanceOf(HttpError)
    expect(error.message).toMatch(
      /package upload URL was refused by blob storage: its signature was not accepted/
    )
    expect(error.message).toContain('127.0.0.1')
    expect(error.message).toContain('AuthenticationFailed')
    expect(error.message).not.toContain('d3Jvbmctc2lnbmF0dXJlLXZhbHVl')
    expect((error as ActionError).hint).toMatch(/24 hours.*Run the action again/)
    expect((error as ActionError).cause).toBeInstanceOf(HttpError)
  })

  it('says when the upload URL has expired', async () => {
    const url = server
      .sasUrl('expired', new Date(Date.now() - 60_000))
      .replace(SIGNATURE, 'ZXhwaXJlZC1zaWduYXR1cmU')
    const error = await caught(uploadFileToSas(url, files.small.path, { transport: transport() }))
    expect(error.message).toMatch(/refused by blob storage: it expired at \d{4}-/)
    expect(error.message).not.toContain('ZXhwaXJlZC1zaWduYXR1cmU')
  })

  it('says when the body was too large', async () => {
    server.fail(() => true, 413, 'RequestBodyTooLarge')
    const error = await caught(
      uploadFileToSas(server.sasUrl('big'), files.small.path, { transport: transport() })
    )
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(/refused the package as too large \(RequestBodyTooLarge\)/)
    expect(error.message).not.toContain(SIGNATURE)
  })

  it('gives up on a service that keeps failing, with the HttpError', async () => {
    server.fail(() => true, 503, 'ServerBusy', 100)
    const error = await caught(
      uploadFileToSas(server.sasUrl('busy'), files.small.path, { transport: transport() })
    )
    expect(error).toBeInstanceOf(HttpError)
    expect((error as InstanceType<typeof HttpError>).details.attempts).toBe(6)
    expect(error.message).not.toContain(SIGNATURE)
  })

  it('refuses options that make no sense', async () => {
    const url = server.sasUrl('x')
    await expect(
      uploadFileToSas(url, files.small.path, { transport: transport(), parallelism: 0 })
    ).rejects.toThrow(/parallelism/)
    await expect(
      uploadFileToSas(url, files.small.path, { transport: transport(), blockSizeBytes: 0.5 })
    ).rejects.toThrow(/Block size/)
    await expect(
      uploadFileToSas(url, files.large.path, {
        transport: transport(),
        blockSizeBytes: 100,
        singlePutMaxBytes: 0
      })
    ).rejects.toThrow(/at most 50000/)
    await expect(uploadFileToSas('not a url', files.small.path, { transport: transport() })).rejects.toThrow(
      /not a valid URL/
    )
    expect(server.requests).toHaveLength(0)
  })
})
