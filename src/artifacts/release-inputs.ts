/**
 * The inputs of a VM or container release (`publish` of an AzureThirdPartyVirtualMachine or AzureContainer
 * offer): what to add and where it comes from. Read by src/inputs.ts (the only reader of inputs) through
 * the reader it is given; everything is checked here, before any request, and every SAS signature is
 * masked the moment it is read.
 */
import { InputError } from '../errors.js'
import { registerSecret } from '../http/redact.js'
import { log } from '../log.js'
import { parseCnabBundle, type CnabBundle } from './cnab-bundle.js'
import { parseGalleryImageId, RESOURCE_GROUP, type GalleryImageVersion } from './gallery-image.js'
import { parseDiskSasUri, sasSignatureValues, type DiskSasUri } from './sas-uri.js'

export const VM_IMAGE_TYPES = ['x64Gen1', 'x64Gen2'] as const
export type VmImageType = (typeof VM_IMAGE_TYPES)[number]
/** action.yml's default of `image-type`. */
export const DEFAULT_IMAGE_TYPE: VmImageType = 'x64Gen2'

export type VmImageSource =
  | { kind: 'gallery'; image: GalleryImageVersion; tenantId: string }
  | { kind: 'sas'; osDisk: DiskSasUri; dataDisks: DiskSasUri[] }

/** A new VM image version to append to each plan's technical configuration. */
export interface VmImageRelease {
  version: string
  imageType: VmImageType
  source: VmImageSource
}

/** A new CNAB bundle reference to add to each container plan's technical configuration. */
export interface ContainerBundleRelease {
  bundle: CnabBundle
  tenantId: string
  subscriptionId: string
  resourceGroupName: string
}

export interface ReleaseInputs {
  vmImage?: VmImageRelease
  containerBundle?: ContainerBundleRelease
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

/** Inputs that only a VM or container release reads. */
export const VM_INPUTS = [
  'image-version',
  'image-type',
  'gallery-image-id',
  'gallery-tenant-id',
  'os-disk-uri',
  'data-disk-uris'
] as const
export const CONTAINER_INPUTS = [
  'cnab-bundle',
  'cnab-subscription-id',
  'cnab-resource-group',
  'cnab-tenant-id'
] as const

export interface ReleaseContext {
  command: string
  /** `tenant-id` as given: a GUID or a domain. */
  tenantId: string
  /** `version`, else the tag's version. */
  version?: string
  now: Date
}

export function readReleaseInputs(read: (name: string) => string, context: ReleaseContext): ReleaseInputs {
  // Masked first: a later error message must not be the first place a signature shows up.
  for (const name of ['os-disk-uri', 'data-disk-uris'])
    for (const uri of splitLines(read(name))) for (const signature of sasSignatureValues(uri)) mask(signature)
  const given = (names: readonly string[]): string[] => names.filter(name => read(name) !== '')
  // image-type has a default (action.yml), so it is always "given": it is not what asks for a release.
  const vmGiven = given(VM_INPUTS.filter(name => name !== 'image-type'))
  const containerGiven = given(CONTAINER_INPUTS)
  // `configure` may use them as placeholders (${{ image-version }}); every other command would ignore them.
  for (const name of [...vmGiven, ...containerGiven]) {
    if (context.command !== 'publish' && context.command !== 'configure') {
      throw new InputError(
        name,
        `applies to \`command: publish\` (a VM or container release), not to '${context.command}'.`
      )
    }
  }

  if (vmGiven.length && containerGiven.length) {
    throw new InputError(
      containerGiven[0],
      `cannot be combined with \`${vmGiven[0]}\`: a release adds a VM image version or a container bundle, to one offer.`
    )
  }
  if (context.command !== 'publish') return {}
  const vmImage = vmGiven.length ? readVmImage(read, context) : undefined
  const containerBundle = containerGiven.length ? readContainerBundle(read, context) : undefined
  return { ...(vmImage ? { vmImage } : {}), ...(containerBundle ? { containerBundle } : {}) }
}

function readVmImage(read: (name: string) => string, context: ReleaseContext): VmImageRelease {
  const galleryId = read('gallery-image-id')
  const osDisk = read('os-disk-uri')
  const dataDisks = splitLines(read('data-disk-uris'))
  if (galleryId && osDisk) {
    throw new InputError(
      'os-disk-uri',
      'cannot be combined with `gallery-image-id`: an image version comes from a compute gallery or from disk SAS URIs, not both.'
    )
  }
  if (!galleryId && !osDisk) {
    throw new InputError(
      read('data-disk-uris') ? 'os-disk-uri' : 'gallery-image-id',
      'is required for a new VM image version: give `gallery-image-id` (an Azure compute gallery image version) or `os-disk-uri` (a SAS URI of the OS disk VHD).'
    )
  }
  if (dataDisks.length && !osDisk)
    throw new InputError(
      'data-disk-uris',
      'goes with `os-disk-uri`; a gallery image version holds its data disks itself.'
    )
  if (read('gallery-tenant-id') && !galleryId)
    throw new InputError('gallery-tenant-id', 'goes with `gallery-image-id`.')
  if (dataDisks.length > 16)
    throw new InputError(
      'data-disk-uris',
      `lists ${dataDisks.length} disks; a VM image has at most 16 data disks (LUN 0 to 15).`
    )

  const versionValue = read('image-version')
  const version = versionValue ? versionValue.replace(/^v/i, '') : context.version
  if (!version) {
    throw new InputError(
      'image-version',
      'is required: give the new image version (major.minor.patch), set `version`, or run on a tag such as v1.2.3.'
    )
  }
  if (!SEMVER.test(version))
    throw new InputError(
      'image-version',
      `'${versionValue}' is not a version of the form major.minor.patch (e.g. 1.2.3).`
    )
  const typeValue = read('image-type') || DEFAULT_IMAGE_TYPE
  const imageType = VM_IMAGE_TYPES.find(t => t.toLowerCase() === typeValue.toLowerCase())
  if (!imageType)
    throw new InputError(
      'image-type',
      `'${typeValue}' is not an image type. Use one of: ${VM_IMAGE_TYPES.join(', ')}.`
    )

  if (galleryId) {
    const image = parseGalleryImageId('gallery-image-id', galleryId)
    const tenantId = read('gallery-tenant-id') || context.tenantId
    if (!GUID.test(tenantId)) {
      throw new InputError(
        'gallery-tenant-id',
        read('gallery-tenant-id')
          ? `'${tenantId}' is not a GUID (the tenant of the compute gallery).`
          : `is required when \`tenant-id\` is a domain ('${tenantId}'): Partner Center names the gallery's tenant by its GUID.`
      )
    }
    return { version, imageType, source: { kind: 'gallery', image, tenantId: tenantId.toLowerCase() } }
  }
  return {
    version,
    imageType,
    source: {
      kind: 'sas',
      osDisk: parseDiskSasUri('os-disk-uri', osDisk, context.now),
      dataDisks: dataDisks.map((uri, lun) =>
        parseDiskSasUri('data-disk-uris', uri, context.now, `line ${lun + 1} (LUN ${lun}): `)
      )
    }
  }
}

function readContainerBundle(
  read: (name: string) => string,
  context: ReleaseContext
): ContainerBundleRelease {
  const reference = read('cnab-bundle')
  if (!reference)
    throw new InputError(
      'cnab-bundle',
      'is required with `cnab-subscription-id`, `cnab-resource-group` and `cnab-tenant-id`: the bundle to add (<registry>.azurecr.io/<repository>:<tag>@sha256:<digest>).'
    )
  const bundle = parseCnabBundle('cnab-bundle', reference)
  const subscriptionId = read('cnab-subscription-id')
  if (!subscriptionId)
    throw new InputError(
      'cnab-subscription-id',
      'is required with `cnab-bundle`: the Azure subscription of the container registry.'
    )
  if (!GUID.test(subscriptionId))
    throw new InputError('cnab-subscription-id', `'${subscriptionId}' is not a subscription ID (a GUID).`)
  const resourceGroupName = read('cnab-resource-group')
  if (!resourceGroupName)
    throw new InputError(
      'cnab-resource-group',
      'is required with `cnab-bundle`: the resource group of the container registry.'
    )
  if (!RESOURCE_GROUP.test(resourceGroupName))
    throw new InputError(
      'cnab-resource-group',
      `'${resourceGroupName}' is not a resource group name: 1 to 90 letters, digits, _ . - ( ), not ending in '.'.`
    )
  const tenantId = read('cnab-tenant-id') || context.tenantId
  if (!GUID.test(tenantId)) {
    throw new InputError(
      'cnab-tenant-id',
      read('cnab-tenant-id')
        ? `'${tenantId}' is not a GUID (the tenant of the container registry).`
        : `is required when \`tenant-id\` is a domain ('${tenantId}'): Partner Center names the registry's tenant by its GUID.`
    )
  }
  return {
    bundle,
    tenantId: tenantId.toLowerCase(),
    subscriptionId: subscriptionId.toLowerCase(),
    resourceGroupName
  }
}

function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(Boolean)
}

/** Real signatures are 40+ characters; masking a short fragment would blank unrelated log text. */
function mask(value: string): void {
  if (value.length < 8) return
  registerSecret(value)
  log.mask(value)
}
