/**
 * `publish` of a container (Kubernetes application) offer with `cnab-bundle`: the bundle reference is
 * added to each plan's `cnabReferences` (docs/partner-center-api.md §9), `payloadType` and
 * `clusterExtensionType` kept as they are. A malformed reference is refused when the inputs are read; one
 * a plan already holds (same digest, or same repository and tag) is refused here, before any write.
 */
import type { ContainerBundleRelease } from '../../artifacts/release-inputs.js'
import { InputError } from '../../errors.js'
import { code, md, type Section } from '../../report/report.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import type { PlanTechnicalConfiguration } from './plan-technical-configuration.js'

export const CONTAINER_TECHNICAL_CONFIGURATION = 'container-plan-technical-configuration'

interface CnabReference {
  tenantId?: string
  subscriptionId?: string
  resourceGroupName?: string
  registryName?: string
  repositoryName?: string
  tag?: string
  digest?: string
}

export interface ContainerPlanChange {
  plan: PlanTechnicalConfiguration
  changes: { cnabReferences: CnabReference[] }
}

export const bundleReference = (release: ContainerBundleRelease): string =>
  `${release.bundle.registryName}.azurecr.io/${release.bundle.repositoryName}:${release.bundle.tag}@${release.bundle.digest}`

export function planContainerBundle(
  configurations: PlanTechnicalConfiguration[],
  release: ContainerBundleRelease,
  offer: ResolvedOffer
): ContainerPlanChange[] {
  const { bundle } = release
  const referencesOf = (c: PlanTechnicalConfiguration): CnabReference[] =>
    Array.isArray(c.resource.cnabReferences) ? (c.resource.cnabReferences as CnabReference[]) : []
  // `cnabReferences` is spelled with `tenantID`-style keys in some documents; both are read.
  const field = (r: CnabReference, name: keyof CnabReference): string =>
    String(r[name] ?? (r as Record<string, unknown>)[name.replace(/Id$/, 'ID')] ?? '').toLowerCase()
  const sameRepository = (r: CnabReference): boolean =>
    field(r, 'registryName') === bundle.registryName && field(r, 'repositoryName') === bundle.repositoryName
  const clashes = configurations.flatMap(c =>
    referencesOf(c)
      .filter(
        r =>
          sameRepository(r) &&
          (field(r, 'digest') === bundle.digest || field(r, 'tag') === bundle.tag.toLowerCase())
      )
      .map(
        r =>
          `'${c.planId}' (${field(r, 'digest') === bundle.digest ? 'same digest' : `tag ${r.tag} already`})`
      )
  )
  if (clashes.length) {
    throw new InputError(
      'cnab-bundle',
      `${bundleReference(release)} is already referenced by plan(s) ${clashes.join(', ')} of offer '${offer.offerId}'; nothing was changed.`,
      'Push the bundle under a new tag (the container packaging tool gives each build its own digest) and release that.'
    )
  }
  const reference: CnabReference = {
    tenantId: release.tenantId,
    subscriptionId: release.subscriptionId,
    resourceGroupName: release.resourceGroupName,
    registryName: bundle.registryName,
    repositoryName: bundle.repositoryName,
    tag: bundle.tag,
    digest: bundle.digest
  }
  return configurations.map(plan => ({
    plan,
    changes: { cnabReferences: [...referencesOf(plan), reference] }
  }))
}

export function containerReleaseSection(
  release: ContainerBundleRelease,
  changes: ContainerPlanChange[]
): Section {
  return {
    heading: `Bundle ${release.bundle.repositoryName}:${release.bundle.tag}`,
    text: md`${code(bundleReference(release))} (registry in subscription ${release.subscriptionId}, resource group ${release.resourceGroupName}).`,
    table: {
      headers: ['Plan', 'Bundle tags before', 'Added'],
      rows: changes.map(c => [
        c.plan.planId,
        ((c.plan.resource.cnabReferences as CnabReference[] | undefined) ?? []).map(r => r.tag).join(', ') ||
          '(none)',
        release.bundle.tag
      ])
    }
  }
}
