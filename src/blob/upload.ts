import { stat } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../errors.js'
import { registerSecret } from '../http/redact.js'
import type { Transport } from '../http/transport.js'
import { isSecureUrl } from '../http/url-policy.js'
import { log } from '../log.js'
import { MAX_BLOCKS, blockListXml, planBlocks } from './blocks.js'
import { DEFAULT_BLOCK_BYTES, fileChecksums, type FileChecksums } from './checksums.js'
import { runPool } from './pool.js'
import { Progress } from './progress.js'
import { fileRangeWriter } from './range-writer.js'
import { describeSas, formatSas, sasSignatures, withQuery, type SasDescription } from './sas.js'
import { explainUploadError } from './upload-errors.js'

/** The Blob service REST version the requests are written against (Put Blob up to 5000 MiB). */
const BLOB_API_VERSION = '2021-08-06'
const MiB = 1024 * 1024
/** Azure's largest block for this API version. */
const MAX_BLOCK_BYTES = 4000 * MiB
/** Azure's largest Put Blob body from x-ms-version 2019-12-12 on. */
export const MAX_PUT_BLOB_BYTES = 5000 * MiB
/** Whole-request limit of an upload: this much, plus the time to send its bytes at a slow 256 KiB/s. */
const UPLOAD_BASE_TIMEOUT_MS = 10 * 60_000
const UPLOAD_SLOWEST_BYTES_PER_MS = (256 * 1024) / 1000

export interface UploadOptions {
  transport: Transport
  /** Default 8 MiB. */
  blockSizeBytes?: number
  /** Blocks in flight at once; default 3 (the benchmark: same throughput as 4 on loopback, a third less peak memory). */
  parallelism?: number
  /**
   * At or below: one Put Blob; above: Put Block + Put Block List. Default (and most) 5000 MiB, so a
   * package (at most 1 GiB) always goes in one Put Blob: the upload URLs Partner Center hands out
   * today may sit behind Azure Front Door, where only Put Blob is known to work (Put Block was
   * refused with 400; docs/partner-center-api.md §7). Lower it only for a store known to take blocks.
   */
  singlePutMaxBytes?: number
  onProgress?: (sentBytes: number, totalBytes: number) => void
  /** Checksums computed earlier (the package check makes them); used when their block size matches. */
  checksums?: FileChecksums
}

export interface UploadResult {
  method: 'put-blob' | 'block-list'
  blocks: number
  bytes: number
  etag?: string
  durationMs: number
}

/**
 * Uploads a file to a blob SAS URL exactly as given, streaming it from disk: one Put Blob (every
 * package size), or, above `singlePutMaxBytes`, blocks sent `parallelism` at a time and committed
 * with Put Block List. Every request carries an MD5 that the service checks, and is retried by the
 * transport (each attempt reopens its file range), so a corrupt or partial upload cannot be
 * committed. No Authorization header is sent: the SAS in the URL is the only credential.
 */
export async function uploadFileToSas(
  sasUrl: string,
  filePath: string,
  options: UploadOptions
): Promise<UploadResult> {
  const sas = protectSas(sasUrl)
  const settings = readSettings(options)
  const started = Date.now()
  const { size } = await stat(filePath)
  const context: UploadContext = {
    sasUrl,
    sas,
    filePath,
    fileName: path.basename(filePath),
    size,
    transport: options.transport,
    progress: new Progress(size, options.onProgress),
    checksums: options.checksums?.sizeBytes === size ? options.checksums : undefined
  }
  try {
    const result =
      size <= settings.singlePutMaxBytes
        ? await putBlob(context)
        : await putBlocks(context, settings.blockSizeBytes, settings.parallelism)
    context.progress.finish()
    return { ...result, bytes: size, durationMs: Date.now() - started }
  } catch (error) {
    throw explainUploadError(error, sas, Date.now())
  }
}

interface UploadContext {
  sasUrl: string
  sas: SasDescription
  filePath: string
  fileName: string
  size: number
  transport: Transport
  progress: Progress
  checksums?: FileChecksums
}

type Outcome = Pick<UploadResult, 'method' | 'blocks' | 'etag'>

async function putBlob(ctx: UploadContext): Promise<Outcome> {
  log.debug(`Uploading ${ctx.fileName} (${ctx.size} bytes) to ${formatSas(ctx.sas)} with one Put Blob`)
  const { md5Base64 } = ctx.checksums ?? (await fileChecksums(ctx.filePath))
  const response = await ctx.transport.request({
    method: 'PUT',
    url: ctx.sasUrl,
    operation: `upload ${ctx.fileName}`,
    retry: 'idempotent',
    headers: {
      ...commonHeaders(),
      'x-ms-blob-type': 'BlockBlob',
      'content-type': 'application/octet-stream',
      'content-length': String(ctx.size),
      'content-md5': md5Base64
    },
    body: fileRangeWriter(ctx.filePath, 0, ctx.size - 1, () => ctx.progress.attempt(0)),
    answer: 'any',
    timeoutMs: uploadTimeoutMs(ctx.size)
  })
  ctx.progress.complete(0, ctx.size)
  return { method: 'put-blob', blocks: 0, etag: response.headers.etag }
}

async function putBlocks(ctx: UploadContext, blockSizeBytes: number, parallelism: number): Promise<Outcome> {
  const count = Math.ceil(ctx.size / blockSizeBytes)
  if (count > MAX_BLOCKS) {
    throw new ActionError(
      `${ctx.fileName} needs ${count} blocks of ${blockSizeBytes} bytes; a blob holds at most ${MAX_BLOCKS}.`,
      { hint: 'Use a larger block size.' }
    )
  }
  log.debug(
    `Uploading ${ctx.fileName} (${ctx.size} bytes) to ${formatSas(ctx.sas)} in ${count} blocks, ${parallelism} at a time`
  )
  // A second pass over the file only when no matching checksums came with it.
  const checksums =
    ctx.checksums?.blockSizeBytes === blockSizeBytes
      ? ctx.checksums
      : await fileChecksums(ctx.filePath, blockSizeBytes)
  const blocks = planBlocks(checksums.sizeBytes, blockSizeBytes, checksums.blockMd5s)

  await runPool(blocks, parallelism, async block => {
    await ctx.transport.request({
      method: 'PUT',
      url: withQuery(ctx.sasUrl, { comp: 'block', blockid: block.id }),
      operation: `upload block ${block.index + 1} of ${blocks.length} of ${ctx.fileName}`,
      // A block is staged under its ID until committed; sending it again replaces it.
      retry: 'idempotent',
      headers: {
        ...commonHeaders(),
        'content-type': 'application/octet-stream',
        'content-length': String(block.sizeBytes),
        'content-md5': block.md5Base64
      },
      body: fileRangeWriter(ctx.filePath, block.start, block.end, () => ctx.progress.attempt(block.index)),
      answer: 'any',
      timeoutMs: uploadTimeoutMs(block.sizeBytes)
    })
    ctx.progress.complete(block.index, block.sizeBytes)
  })

  const response = await ctx.transport.request({
    method: 'PUT',
    url: withQuery(ctx.sasUrl, { comp: 'blocklist' }),
    operation: `commit the ${blocks.length} blocks of ${ctx.fileName}`,
    retry: 'idempotent',
    headers: {
      ...commonHeaders(),
      'content-type': 'application/xml; charset=utf-8',
      'x-ms-blob-content-type': 'application/octet-stream',
      'x-ms-blob-content-md5': checksums.md5Base64
    },
    body: blockListXml(blocks),
    answer: 'any'
  })
  return { method: 'block-list', blocks: blocks.length, etag: response.headers.etag }
}

function uploadTimeoutMs(bytes: number): number {
  return UPLOAD_BASE_TIMEOUT_MS + Math.ceil(bytes / UPLOAD_SLOWEST_BYTES_PER_MS)
}

function commonHeaders(): Record<string, string> {
  // Sent per request, not per attempt; SAS requests do not sign the date, it only has to be sane.
  return { 'x-ms-version': BLOB_API_VERSION, 'x-ms-date': new Date().toUTCString() }
}

/**
 * Registers the URL and its signature as secrets before any request, so that neither can reach a
 * log line, an error message or the job summary.
 */
function protectSas(sasUrl: string): SasDescription {
  let sas: SasDescription
  try {
    sas = describeSas(sasUrl)
  } catch {
    throw new ActionError('The package upload URL given by Partner Center is not a valid URL.')
  }
  // Checked here too (the transport refuses it as well) so that it fails before the file is read.
  if (!isSecureUrl(new URL(sasUrl))) {
    throw new ActionError(
      `The package upload URL given by Partner Center (${new URL(sasUrl).origin}) is not https; the package was not sent.`,
      { hint: 'Plain http is accepted only to a loopback address (127.0.0.0/8, [::1], localhost).' }
    )
  }
  for (const secret of [sasUrl, ...sasSignatures(sasUrl)]) {
    registerSecret(secret)
    log.mask(secret)
  }
  return sas
}

function readSettings(options: UploadOptions): {
  blockSizeBytes: number
  parallelism: number
  singlePutMaxBytes: number
} {
  const blockSizeBytes = options.blockSizeBytes ?? DEFAULT_BLOCK_BYTES
  const parallelism = options.parallelism ?? 3
  const singlePutMaxBytes = options.singlePutMaxBytes ?? MAX_PUT_BLOB_BYTES
  if (!Number.isInteger(blockSizeBytes) || blockSizeBytes < 1 || blockSizeBytes > MAX_BLOCK_BYTES) {
    throw new ActionError(
      `Block size ${blockSizeBytes} is not a whole number of bytes between 1 and ${MAX_BLOCK_BYTES}.`
    )
  }
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new ActionError(`Upload parallelism ${parallelism} is not a whole number of at least 1.`)
  }
  if (
    !Number.isInteger(singlePutMaxBytes) ||
    singlePutMaxBytes < 0 ||
    singlePutMaxBytes > MAX_PUT_BLOB_BYTES
  ) {
    throw new ActionError(
      `Single-upload limit ${singlePutMaxBytes} is not a whole number of bytes up to ${MAX_PUT_BLOB_BYTES}.`
    )
  }
  return { blockSizeBytes, parallelism, singlePutMaxBytes }
}
