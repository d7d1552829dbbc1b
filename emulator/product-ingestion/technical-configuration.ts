// What the service checks when a configure job changes the technical configuration of a VM or
// container plan (docs/partner-center-api.md §9), so that a release the emulator accepts would not
// fail for these reasons at Partner Center:
// - VM plans: each new image version is unique, offers only image types the plan has a SKU for, and
//   its source can be read when the job runs: a disk SAS URI must be https, grant read (`sp` with r),
//   carry a signature and not have expired (`se`) on the service's clock; a gallery image names a
//   gallery image version and a tenant GUID. Versions already in the plan are not checked again.
// - Container plans: payloadType `cnab`, and every new bundle reference complete, with a sha256 digest.
// The job then fails with a `businessValidationError` that names the resource, as all job failures do
// (docs/partner-center-api.md §2.5). The wording of the messages is the emulator's: no recording of the service's
// own text for these cases exists.
import { inner, type InnerError } from './errors.js'
import type { PiResource } from './store.js'

type Raw = Record<string, unknown>

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const GALLERY_IMAGE_VERSION =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\/\d+\.\d+\.\d+$/i
const DIGEST = /^sha256:[a-f0-9]{64}$/
const CNAB_FIELDS = [
  'tenantId',
  'subscriptionId',
  'resourceGroupName',
  'registryName',
  'repositoryName',
  'tag',
  'digest'
] as const

/** The first reason the job cannot apply this resource, or undefined. `previous`: the draft before the job. */
export function checkTechnicalConfiguration(
  resource: PiResource,
  previous: PiResource | undefined,
  at: number
): InnerError | undefined {
  const type = resource.id.split('/')[0]
  if (type === 'virtual-machine-plan-technical-configuration') return checkVm(resource, previous, at)
  if (type === 'container-plan-technical-configuration') return checkContainer(resource, previous)
  return undefined
}

function checkVm(resource: PiResource, previous: PiResource | undefined, at: number): InnerError | undefined {
  const fail = (message: string): InnerError => inner('businessValidationError', message, resource.id)
  const versions = list(resource.vmImageVersions)
  const before = new Set(list(previous?.vmImageVersions).map(v => String(v.versionNumber)))
  const imageTypes = new Set(list(resource.skus).map(s => String(s.imageType)))
  const seen = new Set<string>()
  for (const version of versions) {
    const number = String(version.versionNumber)
    if (seen.has(number)) return fail(`Image version ${number} appears more than once in vmImageVersions.`)
    seen.add(number)
    if (before.has(number)) continue
    for (const image of list(version.vmImages)) {
      const imageType = String(image.imageType)
      if (!imageTypes.has(imageType)) {
        return fail(
          `Image version ${number}: the plan has no SKU for image type '${imageType}' (it has ${[...imageTypes].join(', ') || 'none'}).`
        )
      }
      const problem = sourceProblem((image.source ?? {}) as Raw, at)
      if (problem) return fail(`Image version ${number} (${imageType}): ${problem}`)
    }
  }
  return undefined
}

function sourceProblem(source: Raw, at: number): string | undefined {
  if (source.sourceType === 'sharedImageGallery') {
    const shared = (source.sharedImage ?? {}) as Raw
    if (!GUID.test(String(shared.tenantId ?? '')))
      return `the gallery tenant '${String(shared.tenantId)}' is not a tenant ID.`
    if (!GALLERY_IMAGE_VERSION.test(String(shared.resourceId ?? '')))
      return `'${String(shared.resourceId)}' is not the resource ID of a compute gallery image version.`
    return undefined
  }
  if (source.sourceType === 'sasUri') {
    const disks: Array<[string, unknown]> = [
      ['the OS disk', (source.osDisk as Raw | undefined)?.uri],
      ...list(source.dataDisks).map((d): [string, unknown] => [`data disk LUN ${String(d.lunNumber)}`, d.uri])
    ]
    for (const [disk, uri] of disks) {
      const problem = unreadable(uri, at)
      if (problem) return `the SAS URI of ${disk} cannot be read: ${problem}`
    }
    return undefined
  }
  return `sourceType '${String(source.sourceType)}' is not one of sasUri, sharedImageGallery.`
}

/** Why the service could not read the disk behind this SAS URI (it is reported without its query). */
function unreadable(uri: unknown, at: number): string | undefined {
  let url: URL
  try {
    url = new URL(String(uri))
  } catch {
    return 'it is not a URL.'
  }
  if (url.protocol !== 'https:') return 'only https URIs are accepted.'
  const params = url.searchParams
  if (!params.get('sig')) return 'it has no signature (sig).'
  if (!(params.get('sp') ?? '').includes('r')) return 'it does not grant read access (sp).'
  const expiry = Date.parse(params.get('se') ?? '')
  if (Number.isNaN(expiry)) return 'it has no valid expiry (se).'
  if (expiry <= at) return `it expired at ${new Date(expiry).toISOString()} (se), before the disk was copied.`
  return undefined
}

function checkContainer(resource: PiResource, previous: PiResource | undefined): InnerError | undefined {
  const fail = (message: string): InnerError => inner('businessValidationError', message, resource.id)
  if (resource.payloadType !== 'cnab')
    return fail(`payloadType '${String(resource.payloadType)}' is not 'cnab'.`)
  const key = (r: Raw): string => `${String(r.registryName)}/${String(r.repositoryName)}@${String(r.digest)}`
  const before = new Set(list(previous?.cnabReferences).map(key))
  for (const reference of list(resource.cnabReferences)) {
    if (before.has(key(reference))) continue
    const missing = CNAB_FIELDS.filter(field => typeof reference[field] !== 'string' || !reference[field])
    if (missing.length) return fail(`A CNAB reference lacks ${missing.join(', ')}.`)
    if (!DIGEST.test(String(reference.digest)))
      return fail(`The CNAB reference digest '${String(reference.digest)}' is not sha256:<64 hex digits>.`)
    for (const field of ['tenantId', 'subscriptionId'] as const)
      if (!GUID.test(String(reference[field])))
        return fail(`The CNAB reference ${field} '${String(reference[field])}' is not a GUID.`)
  }
  return undefined
}

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter((v): v is Raw => !!v && typeof v === 'object') : []
}
