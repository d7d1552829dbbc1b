// Packages (Azure Application zips), docs/partner-center-api.md §1.9:
//   POST → 201 PendingUpload + fileSasUri (sp=rwl, +24 h) → blob upload → PUT state=Uploaded
//   → InProcessing for timings.packageProcessing → Processed | ProcessFailed (validationItems).
// The zip is inspected when the PUT arrives; the outcome is revealed once the processing time has
// elapsed on the virtual clock.
import type { RequestContext } from '../http/router.js'
import { emptyReply, jsonReply } from '../http/reply.js'
import { newBlobName, newEtag, newGuid } from '../ids.js'
import type { EmulatorState, PackageRecord, Product } from '../state.js'
import type { SasSigner } from '../blob/sas.js'
import type { BlobStore } from '../blob/store.js'
import { inspectAzureAppPackage } from '../zip/inspect.js'
import { badRequest, conflict, IngestionError } from './errors.js'
import {
  checkBusinessCentralPackage,
  inspectBusinessCentralPackage,
  isBusinessCentral
} from './business-central.js'
import {
  baseUrl,
  checkIfMatch,
  createdReply,
  entityReply,
  readJson,
  requireProduct,
  str,
  type ScopedRouter
} from './common.js'

export const PACKAGE_CONTAINER = 'file'
const SAS_LIFETIME_MS = 24 * 3600 * 1000

export interface PackageDeps {
  state: EmulatorState
  sas: SasSigner
  store: BlobStore
}

/** Applies the processing outcome once its time has come (idempotent). */
export function settlePackage(state: EmulatorState, pkg: PackageRecord): void {
  if (
    (pkg.state !== 'Uploaded' && pkg.state !== 'InProcessing') ||
    pkg.uploadedAt === undefined ||
    !pkg.outcome
  )
    return
  if (state.clock.now() - pkg.uploadedAt >= state.config.timings.packageProcessing) {
    pkg.state = pkg.outcome.state
    pkg.fileSize = pkg.outcome.fileSize
    pkg.etag = newEtag(state.clock.now())
  } else if (pkg.state === 'Uploaded') {
    pkg.state = 'InProcessing'
  }
}

interface SasInfo {
  origin: string
  expiresAt: number
}
const sasInfo = new WeakMap<PackageRecord, SasInfo>()

export function serializePackage(
  deps: PackageDeps,
  pkg: PackageRecord,
  origin: string,
  withSas: boolean
): Record<string, unknown> {
  const out: Record<string, unknown> = { resourceType: pkg.resourceType, fileName: pkg.fileName }
  if (withSas) {
    let info = sasInfo.get(pkg)
    if (!info) sasInfo.set(pkg, (info = { origin, expiresAt: Date.now() + SAS_LIFETIME_MS }))
    // After the upload the service hands out a read-only SAS (recorded: sp=rwl → sp=rl).
    const sp = pkg.state === 'PendingUpload' ? 'rwl' : 'rl'
    const sasUrl = deps.state.behaves('front-door-sas') ? deps.sas.frontDoorUrl : deps.sas.url
    out.fileSasUri = sasUrl.call(deps.sas, origin, PACKAGE_CONTAINER, pkg.blobName, sp, info.expiresAt)
  }
  out.state = pkg.state
  if (pkg.fileSize !== undefined) out.fileSize = pkg.fileSize
  out.isEmpty = pkg.state === 'PendingUpload'
  if (pkg.state === 'ProcessFailed' || pkg.state === 'Processed')
    out.validationItems = pkg.outcome?.validationItems ?? []
  out['@odata.etag'] = pkg.etag
  out.id = pkg.id
  return out
}

function requirePackage(deps: PackageDeps, p: Product, id: string): PackageRecord {
  const pkg = p.packages.get(id.toLowerCase())
  if (!pkg) throw new IngestionError(404, { packageID: [`The package with id '${id}' was not found.`] })
  settlePackage(deps.state, pkg)
  return pkg
}

async function createPackage(deps: PackageDeps, ctx: RequestContext) {
  const p = requireProduct(deps.state, ctx.params.productId!)
  const body = await readJson(ctx)
  const rt = str(body, 'resourceType')
  if (isBusinessCentral(p)) return createPackageRecord(deps, ctx, p, str(body, 'fileName') ?? '', rt ?? '')
  if (rt?.toLowerCase() !== 'azureapplicationpackage') {
    throw badRequest(
      'ResourceType',
      `The field ResourceType is invalid (value '${rt ?? ''}'). Expected AzureApplicationPackage.`
    )
  }
  if (p.resourceType !== 'AzureApplication') {
    throw badRequest(
      'ResourceType',
      `Packages of type AzureApplicationPackage are only supported on AzureApplication products (this product is ${p.resourceType}).`
    )
  }
  const fileName = str(body, 'fileName')
  if (!fileName || !/^[^\\/:*?"<>|]{1,255}$/.test(fileName) || !fileName.toLowerCase().endsWith('.zip')) {
    throw badRequest(
      'FileName',
      `The field FileName is invalid (value '${fileName ?? ''}'): a .zip file name is required.`
    )
  }
  return createPackageRecord(deps, ctx, p, fileName, 'AzureApplicationPackage')
}

function createPackageRecord(
  deps: PackageDeps,
  ctx: RequestContext,
  p: Product,
  fileName: string,
  requestedType: string
) {
  const resourceType = isBusinessCentral(p)
    ? checkBusinessCentralPackage(p, requestedType, fileName)
    : requestedType
  const pkg: PackageRecord = {
    id: newGuid(),
    resourceType,
    fileName,
    blobName: newBlobName(),
    etag: newEtag(deps.state.clock.now()),
    state: 'PendingUpload'
  }
  p.packages.set(pkg.id.toLowerCase(), pkg)
  deps.state.blobs.set(pkg.blobName, { productId: p.id, packageId: pkg.id })
  return createdReply(
    serializePackage(deps, pkg, ctx.origin, true),
    `${baseUrl(ctx)}/products/${p.id}/packages/${pkg.id}`
  )
}

async function updatePackage(deps: PackageDeps, ctx: RequestContext) {
  const p = requireProduct(deps.state, ctx.params.productId!)
  const pkg = requirePackage(deps, p, ctx.params.packageId!)
  checkIfMatch(ctx, pkg.etag, false)
  const body = await readJson(ctx)
  // Clients echo the package from POST (state: PendingUpload) and add "State": "Uploaded"
  // (GHA/AZPC spelling); when both spellings are present, the one that asks for Uploaded wins.
  const stateValues = Object.keys(body)
    .filter(k => k.toLowerCase() === 'state')
    .map(k => body[k])
  const target = (stateValues.find(v => typeof v === 'string' && v.toLowerCase() === 'uploaded') ??
    str(body, 'state')) as string | undefined
  if (target === undefined || target.toLowerCase() !== 'uploaded') {
    throw badRequest(
      'State',
      `The field State is invalid (value '${target ?? ''}'): a package can only be set to Uploaded.`
    )
  }
  if (pkg.state === 'PendingUpload') {
    const blob = deps.store.get(PACKAGE_CONTAINER, pkg.blobName)
    if (!blob)
      throw badRequest(
        'FileSasUri',
        'The package file has not been uploaded to fileSasUri; upload it (Put Blob or Put Block List) before setting state Uploaded.'
      )
    const file = deps.store.path(PACKAGE_CONTAINER, pkg.blobName)
    let items
    if (pkg.resourceType === 'AzureApplicationPackage') items = inspectAzureAppPackage(file, pkg.fileName)
    else {
      const inspected = inspectBusinessCentralPackage(file, pkg)
      items = inspected.items
      pkg.apps = inspected.apps
    }
    pkg.outcome = {
      state: items.length === 0 ? 'Processed' : 'ProcessFailed',
      validationItems: items,
      fileSize: blob.size
    }
    pkg.state = 'Uploaded'
    pkg.uploadedAt = deps.state.clock.now()
    pkg.etag = newEtag(deps.state.clock.now())
  }
  // Repeating the PUT after the upload was accepted is harmless (retried PUTs must be safe).
  return entityReply(200, serializePackage(deps, pkg, ctx.origin, true))
}

function deletePackage(deps: PackageDeps, ctx: RequestContext) {
  const p = requireProduct(deps.state, ctx.params.productId!)
  const pkg = requirePackage(deps, p, ctx.params.packageId!)
  for (const e of p.entities.values()) {
    const refs =
      e.kind === 'packageConfiguration'
        ? (e.body.packageReferences as Array<{ value: string }> | undefined)
        : undefined
    if (refs?.some(r => r.value.toLowerCase() === pkg.id.toLowerCase())) {
      throw conflict(
        'packageID',
        'The package is referenced by a package configuration and cannot be deleted.'
      )
    }
  }
  p.packages.delete(pkg.id.toLowerCase())
  deps.state.blobs.delete(pkg.blobName)
  return emptyReply(204)
}

export function registerPackageRoutes(r: ScopedRouter, deps: PackageDeps): void {
  r.get('/products/:productId/packages', ctx => {
    const p = requireProduct(deps.state, ctx.params.productId!)
    const expand = (ctx.query.get('$expand') ?? '').toLowerCase().includes('filesasuri')
    const value = [...p.packages.values()].map(pkg => {
      settlePackage(deps.state, pkg)
      return serializePackage(deps, pkg, ctx.origin, expand)
    })
    return jsonReply(200, { value })
  })
  r.post('/products/:productId/packages', ctx => createPackage(deps, ctx))
  r.get('/products/:productId/packages/:packageId', ctx => {
    const p = requireProduct(deps.state, ctx.params.productId!)
    return entityReply(
      200,
      serializePackage(deps, requirePackage(deps, p, ctx.params.packageId!), ctx.origin, true)
    )
  })
  r.put('/products/:productId/packages/:packageId', ctx => updatePackage(deps, ctx))
  r.delete('/products/:productId/packages/:packageId', ctx => deletePackage(deps, ctx))
}
