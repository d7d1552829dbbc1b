import { uploadFileToSas, type UploadResult } from '../../blob/index.js'
import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import type { AzurePackage } from '../../ingestion/types.js'
import { log } from '../../log.js'
import type { PreparedPackage } from '../../package/index.js'
import { formatDuration, pollUntil } from '../../wait.js'
import { createOnce } from '../common/create-once.js'

export interface UploadedPackage {
  pkg: AzurePackage
  upload: UploadResult
  processingMs: number
}

export interface UploadOptions {
  /** The package's resourceType; default AzureApplicationPackage (Business Central: §8). */
  resourceType?: string
  /** What to do when Partner Center cannot process the file. */
  failureHint?: string
}

/**
 * Creates the package in Partner Center, streams the zip to its blob, marks it uploaded and waits
 * until Partner Center has processed it. A create whose answer was lost is found again instead of
 * created twice.
 */
export async function uploadPackage(
  ctx: RunContext,
  productId: string,
  prepared: PreparedPackage,
  knownPackageIds: Set<string>,
  options: UploadOptions = {}
): Promise<UploadedPackage> {
  const pkg = await createPackageOnce(
    ctx,
    productId,
    prepared.fileName,
    knownPackageIds,
    options.resourceType
  )
  ctx.progress.describe = () => `uploading package ${pkg.id} of product ${productId}`
  if (!pkg.fileSasUri)
    throw new ActionError(`Partner Center created package ${pkg.id} without an upload URL.`)

  const upload = await uploadFileToSas(pkg.fileSasUri, prepared.filePath, {
    transport: ctx.transport,
    checksums: prepared.checksums,
    onProgress: progressLogger(prepared.sizeBytes)
  })
  const mbps = prepared.sizeBytes / 1024 / 1024 / Math.max(0.001, upload.durationMs / 1000)
  log.info(
    `Uploaded ${prepared.fileName} (${(prepared.sizeBytes / 1024 / 1024).toFixed(1)} MiB) in ${formatDuration(upload.durationMs)}, ${mbps.toFixed(1)} MiB/s, ${upload.method === 'block-list' ? `${upload.blocks} blocks` : 'one request'}.`
  )

  await ctx.ingestion.markPackageUploaded(productId, pkg)
  const started = ctx.clock.now()
  ctx.progress.describe = () => `waiting for package ${pkg.id} of product ${productId} to be processed`
  const processed = await pollUntil({
    what: `package ${pkg.id} to be processed`,
    clock: ctx.clock,
    deadline: ctx.deadline,
    initialDelayMs: 2_000,
    maxDelayMs: 15_000,
    log: log.info,
    poll: async () => (await ctx.ingestion.getPackage(productId, pkg.id)) ?? { ...pkg, state: 'Missing' },
    done: p => p.state === 'Processed' || p.state === 'ProcessFailed' || p.state === 'Missing',
    describe: p => p.state,
    resumeHint: `The package is ${pkg.id}; run again to upload a new one once Partner Center has recovered.`
  })
  if (processed.state !== 'Processed') {
    const items = (processed.validationItems ?? []).map(v =>
      `${v.severity ?? 'Error'} ${v.errorCode ?? ''}: ${v.message ?? ''}${v.resource ? ` (${v.resource})` : ''}`.replace(
        /\s+:/,
        ':'
      )
    )
    throw new ActionError(
      processed.state === 'Missing'
        ? `Package ${pkg.id} disappeared from Partner Center while being processed.`
        : `Partner Center could not process the package ${prepared.fileName} (${pkg.id}): ${items.length ? items.join('; ') : 'no reason given'}.`,
      {
        hint:
          options.failureHint ??
          'Fix the package and tag a new release. A common cause is a mainTemplate.json without the partner usage attribution resource (pid-<GUID>-partnercenter); check the template with the ARM template test toolkit.'
      }
    )
  }
  return { pkg: processed, upload, processingMs: ctx.clock.now() - started }
}

async function createPackageOnce(
  ctx: RunContext,
  productId: string,
  fileName: string,
  known: Set<string>,
  resourceType?: string
): Promise<AzurePackage> {
  return createOnce({
    what: `the package '${fileName}'`,
    clock: ctx.clock,
    create: () => ctx.ingestion.createPackage(productId, fileName, resourceType),
    existingIds: async () =>
      new Set([...known, ...(await ctx.ingestion.listPackages(productId)).map(p => p.id)]),
    // A package this attempt made is new, carries our file name, and still waits for its upload.
    findCandidates: async existing => {
      const candidates = (await ctx.ingestion.listPackages(productId)).filter(
        p => !existing.has(p.id) && p.fileName === fileName && p.state === 'PendingUpload'
      )
      // The list may omit the SAS URL; read the package itself for it.
      return Promise.all(
        candidates.map(async found => (await ctx.ingestion.getPackage(productId, found.id)) ?? found)
      )
    },
    describe: p => `package ${p.id}`
  })
}

function progressLogger(total: number): (sent: number) => void {
  let nextReport = 0.25
  return sent => {
    if (total > 32 * 1024 * 1024 && sent / total >= nextReport && sent < total) {
      log.info(`Uploaded ${Math.round((sent / total) * 100)}%`)
      nextReport += 0.25
    }
  }
}
