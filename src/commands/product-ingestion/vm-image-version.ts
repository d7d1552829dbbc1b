/**
 * `publish` of a virtual machine offer with an image source: a new image version for each plan
 * (docs/partner-center-api.md §9). Each plan's `vmImageVersions` gets one entry, the others kept; the
 * version must be new in every plan and the image type one the plan has a SKU for, all checked before
 * anything is written. Then one configure job, and the draft is published like any Product Ingestion offer.
 */
import { InputError } from '../../errors.js'
import { log } from '../../log.js'
import type { VmImageRelease, VmImageSource } from '../../artifacts/release-inputs.js'
import type { Section } from '../../report/report.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import type { PlanTechnicalConfiguration } from './plan-technical-configuration.js'

export const VM_TECHNICAL_CONFIGURATION = 'virtual-machine-plan-technical-configuration'

interface VmImageVersion {
  versionNumber: string
  vmImages?: Array<{ imageType?: string; source?: unknown }>
  [field: string]: unknown
}

/** What a release changes in one plan, found before anything is written. */
export interface VmPlanChange {
  plan: PlanTechnicalConfiguration
  previousVersion?: string
  changes: { vmImageVersions: VmImageVersion[] }
}

/** Checks every plan, then returns each one's new `vmImageVersions`; throws before any write. */
export function planVmImageVersion(
  configurations: PlanTechnicalConfiguration[],
  release: VmImageRelease,
  offer: ResolvedOffer
): VmPlanChange[] {
  const versionsOf = (c: PlanTechnicalConfiguration): VmImageVersion[] =>
    Array.isArray(c.resource.vmImageVersions) ? (c.resource.vmImageVersions as VmImageVersion[]) : []
  const taken = configurations.filter(c => versionsOf(c).some(v => v.versionNumber === release.version))
  if (taken.length) {
    throw new InputError(
      'image-version',
      `${release.version} already exists in ${taken.length === configurations.length ? 'every chosen plan' : 'plan(s)'} ${taken.map(c => `'${c.planId}'`).join(', ')} of offer '${offer.offerId}'; nothing was changed.`,
      'Tag a new version (image versions are never replaced), or leave those plans out with `plan-id`.'
    )
  }
  const lacking = configurations.filter(c => !skuImageTypes(c).includes(release.imageType))
  if (lacking.length) {
    throw new InputError(
      'image-type',
      `${release.imageType} is not offered by plan(s) ${lacking.map(c => `'${c.planId}' (${skuImageTypes(c).join(', ') || 'no SKU'})`).join(', ')}; nothing was changed.`,
      'Set `image-type` to a type the plans have a SKU for, add the SKU to the plan in Partner Center, or choose plans with `plan-id`.'
    )
  }
  const image = { imageType: release.imageType, source: imageSource(release.source) }
  return configurations.map(plan => {
    const existing = versionsOf(plan)
    const previousVersion = highest(existing.map(v => v.versionNumber))
    if (previousVersion && compareVersions(release.version, previousVersion) < 0)
      log.warning(
        `Plan '${plan.planId}': image version ${release.version} is lower than its highest, ${previousVersion}; customers deploying "latest" keep getting ${previousVersion}.`
      )
    return {
      plan,
      previousVersion,
      changes: { vmImageVersions: [...existing, { versionNumber: release.version, vmImages: [image] }] }
    }
  })
}

function skuImageTypes(c: PlanTechnicalConfiguration): string[] {
  const skus = Array.isArray(c.resource.skus) ? (c.resource.skus as Array<{ imageType?: string }>) : []
  return skus.map(s => s.imageType ?? '').filter(Boolean)
}

/** The `source` of a vmImage, as the schema has it: a gallery image, or disks by SAS URI (LUN 0, 1, …). */
export function imageSource(source: VmImageSource): Record<string, unknown> {
  if (source.kind === 'gallery') {
    return {
      sourceType: 'sharedImageGallery',
      sharedImage: { tenantId: source.tenantId, resourceId: source.image.resourceId }
    }
  }
  return {
    sourceType: 'sasUri',
    osDisk: { uri: source.osDisk.uri },
    dataDisks: source.dataDisks.map((disk, lunNumber) => ({ lunNumber, uri: disk.uri }))
  }
}

/** For the log and the summary: where the image comes from, never a SAS query. */
export function describeSource(source: VmImageSource): string {
  if (source.kind === 'gallery') return `compute gallery image ${source.image.resourceId}`
  const expiry = new Date(
    Math.min(source.osDisk.expiresOn.getTime(), ...source.dataDisks.map(d => d.expiresOn.getTime()))
  )
  const days = Math.floor((expiry.getTime() - Date.now()) / 86_400_000)
  return `OS disk ${source.osDisk.display}${source.dataDisks.length ? ` and ${source.dataDisks.length} data disk(s) (LUN 0-${source.dataDisks.length - 1})` : ''}, SAS valid until ${expiry.toISOString()} (${days} day(s))`
}

export function vmReleaseSection(release: VmImageRelease, changes: VmPlanChange[]): Section {
  return {
    heading: `Image version ${release.version} (${release.imageType})`,
    text: `From ${describeSource(release.source)}.`,
    table: {
      headers: ['Plan', 'Image versions before', 'Added'],
      rows: changes.map(c => [
        c.plan.planId,
        (c.plan.resource.vmImageVersions as VmImageVersion[] | undefined)
          ?.map(v => v.versionNumber)
          .join(', ') || '(none)',
        release.version
      ])
    }
  }
}

function highest(versions: string[]): string | undefined {
  return [...versions].sort(compareVersions).pop()
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}
