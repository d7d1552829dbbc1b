import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A minimal Azure Blob endpoint on 127.0.0.1: Put Blob, Put Block and Put Block List for one
 * container, with the checks the real service makes that matter here (SAS signature, blob type,
 * Content-MD5 of each body, block IDs of equal length, committed blocks staged) and a record of
 * what arrived, to assert on.
 */

export const SIGNATURE = 'c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D'

export interface RecordedRequest {
  comp?: string
  blockId?: string
  headers: http.IncomingHttpHeaders
  bytes: number
}

export interface BlobServer {
  /** SAS URL of blob `file/<name>`, signed with SIGNATURE, expiring at `expires`. */
  sasUrl(name: string, expires?: Date): string
  blobs: Map<string, Buffer>
  requests: RecordedRequest[]
  /** Most Put Block requests open at once. */
  maxBlocksInFlight: number
  /** Answer the next N requests matching `match` with this status and Azure error code. */
  fail(match: (request: RecordedRequest) => boolean, status: number, code: string, times?: number): void
  /** Delay before answering each block, so that parallel blocks overlap. */
  blockDelayMs: number
  close(): Promise<void>
}

export async function startBlobServer(): Promise<BlobServer> {
  const staged = new Map<string, Map<string, Buffer>>()
  const failures: Array<{
    match: (request: RecordedRequest) => boolean
    status: number
    code: string
    times: number
  }> = []
  let blocksInFlight = 0

  const state: BlobServer = {
    sasUrl: () => '',
    blobs: new Map(),
    requests: [],
    maxBlocksInFlight: 0,
    blockDelayMs: 0,
    fail: (match, status, code, times = 1) => failures.push({ match, status, code, times }),
    close: async () => undefined
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const comp = url.searchParams.get('comp') ?? undefined
    const blockId = url.searchParams.get('blockid') ?? undefined
    const blobName = decodeURIComponent(url.pathname)
    if (comp === 'block') {
      blocksInFlight++
      state.maxBlocksInFlight = Math.max(state.maxBlocksInFlight, blocksInFlight)
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const record: RecordedRequest = { comp, blockId, headers: req.headers, bytes: body.length }
      state.requests.push(record)
      const reply = (status: number, code?: string, headers: Record<string, string> = {}): void => {
        const send = (): void => {
          if (comp === 'block') blocksInFlight--
          res.writeHead(status, { 'x-ms-request-id': `req-${state.requests.length}`, ...headers })
          res.end(
            code
              ? `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code} happened.\nRequestId:x</Message></Error>`
              : ''
          )
        }
        if (comp === 'block' && state.blockDelayMs > 0) setTimeout(send, state.blockDelayMs)
        else send()
      }

      if (req.method !== 'PUT') return reply(405, 'UnsupportedHttpVerb')
      // Kept raw (as the client sent it), like the signature the real service checks.
      if (!(req.url ?? '').includes(`sig=${SIGNATURE}`)) return reply(403, 'AuthenticationFailed')
      const failure = failures.find(f => f.times > 0 && f.match(record))
      if (failure) {
        failure.times--
        return reply(failure.status, failure.code)
      }
      if (req.headers['x-ms-version'] !== '2021-08-06' || !req.headers['x-ms-date'])
        return reply(400, 'MissingRequiredHeader')
      if (Number(req.headers['content-length']) !== body.length) return reply(400, 'InvalidHeaderValue')
      const md5 = createHash('md5').update(body).digest('base64')

      if (comp === undefined) {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return reply(400, 'MissingRequiredHeader')
        if (req.headers['content-type'] !== 'application/octet-stream')
          return reply(400, 'InvalidHeaderValue')
        if (req.headers['content-md5'] !== md5) return reply(400, 'Md5Mismatch')
        state.blobs.set(blobName, body)
        return reply(201, undefined, { etag: `"0x${md5.length}PUT"`, 'content-md5': md5 })
      }
      if (comp === 'block') {
        if (!blockId) return reply(400, 'InvalidQueryParameterValue')
        if (req.headers['content-md5'] !== md5) return reply(400, 'Md5Mismatch')
        const blocks = staged.get(blobName) ?? new Map<string, Buffer>()
        const lengths = new Set([...blocks.keys(), blockId].map(id => Buffer.from(id, 'base64').length))
        if (lengths.size > 1) return reply(400, 'InvalidBlobOrBlock')
        blocks.set(blockId, body)
        staged.set(blobName, blocks)
        return reply(201)
      }
      if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<Latest>([^<]+)<\/Latest>/g)].map(match => match[1])
        const blocks = staged.get(blobName) ?? new Map<string, Buffer>()
        if (ids.length === 0 || ids.some(id => !blocks.has(id))) return reply(400, 'InvalidBlockList')
        const blob = Buffer.concat(ids.map(id => blocks.get(id) as Buffer))
        if (req.headers['x-ms-blob-content-md5'] !== createHash('md5').update(blob).digest('base64')) {
          return reply(400, 'Md5Mismatch')
        }
        state.blobs.set(blobName, blob)
        staged.delete(blobName)
        return reply(201, undefined, { etag: '"0xBLOCKLIST"' })
      }
      return reply(400, 'InvalidQueryParameterValue')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  state.sasUrl = (name, expires = new Date(Date.now() + 24 * 3600_000)) =>
    `http://127.0.0.1:${port}/file/${name}?sv=2018-03-28&sr=b&se=${encodeURIComponent(expires.toISOString())}&sp=rwl&sig=${SIGNATURE}`
  state.close = () =>
    new Promise<void>(resolve => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}
