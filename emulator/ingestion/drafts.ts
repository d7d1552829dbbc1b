// Draft instances: every module of an offer (and Listing/Availability/Package of every plan) has a
// Main branch pointing at a draft instance, and each instance holds one entity (listing, property,
// availability, package configuration, reseller configuration). Ids derive from the product id, so
// a seeded offer keeps the same instance and entity ids across runs (real entity ids are also
// "GUID-like but not random per call", docs/partner-center-api.md §1.2).
//
// Model (documented in emulator/README.md): instance ids stay stable for the life of the product;
// a submission snapshots the versions it published, the drafts keep their ids.
import { stableEtag, stableGuid } from '../ids.js'
import type { Entity, EntityKind, ModuleName, Product, Variant } from '../state.js'
import { MODULES, PLAN_MODULES } from '../state.js'
import { businessCentralPackageConfigurationBody, isBusinessCentral } from './business-central.js'

function kindOf(module: ModuleName, planLevel: boolean): EntityKind {
  switch (module) {
    case 'Listing':
      return 'listing'
    case 'Property':
      return 'property'
    case 'Availability':
      return planLevel ? 'featureAvailability' : 'productAvailability'
    case 'Package':
      return 'packageConfiguration'
    case 'ResellerConfiguration':
      return 'resellerConfiguration'
  }
}

export function packageConfigurationType(variant: Variant | undefined): string {
  if (!variant) return 'AzureApplicationPackageConfiguration'
  return variant.subType === 'managed-application'
    ? 'AzureManagedApplicationPackageConfiguration'
    : 'AzureSolutionTemplatePackageConfiguration'
}

function defaultBody(product: Product, module: ModuleName, variant?: Variant): Record<string, unknown> {
  const seed = product.seedModules ?? {}
  switch (module) {
    case 'Listing':
      return {
        resourceType: 'AzureListing',
        listingUris: [],
        listingContacts: [],
        gettingStartedInstructions: '',
        languageCode: 'en-us',
        title: variant ? variant.friendlyName : product.name,
        keywords: [],
        ...(variant ? {} : seed.listing)
      }
    case 'Property':
      return {
        resourceType: 'AzureProperty',
        industries: [],
        leveledCategories: {},
        categories: [],
        additionalCategories: [],
        hideKeys: [],
        productTags: [],
        appVersion: '',
        useEnterpriseContract: true,
        termsOfUse: '',
        marketingOnlyChange: false,
        customAmendments: [],
        ...seed.property
      }
    case 'Availability':
      return variant
        ? {
            resourceType: 'FeatureAvailability',
            visibility: 'Public',
            isHidden: false,
            marketStates: [{ marketCode: 'US', state: 'Enabled' }],
            priceSchedules: [],
            trial: { type: 'NoTrial' },
            tenantAudiences: [],
            subscriptionAudiences: [],
            customMeters: []
          }
        : {
            resourceType: 'ProductAvailability',
            visibility: 'Public',
            enterpriseLicensing: 'Online',
            audiences: [],
            emailAudiences: [],
            subscriptionAudiences: [],
            ...seed.availability
          }
    case 'Package':
      if (!variant && isBusinessCentral(product)) return businessCentralPackageConfigurationBody()
      if (!variant) {
        return {
          resourceType: 'AzureApplicationPackageConfiguration',
          azureActiveDirectoryTenantID: '',
          azureActiveDirectoryApplicationID: ''
        }
      }
      return variant.subType === 'managed-application'
        ? {
            resourceType: 'AzureManagedApplicationPackageConfiguration',
            version: '',
            allowJitAccess: false,
            canEnableCustomerActions: false,
            allowedCustomerActions: [],
            allowedDataActions: [],
            publicAzureTenantID: '',
            publicAzureAuthorizations: [],
            azureGovernmentTenantID: '',
            azureGovernmentAuthorizations: [],
            policies: [],
            deploymentMode: 'Incremental',
            publisherManagementMode: 'Managed',
            customerAccessEnableState: 'Disabled',
            packageReferences: []
          }
        : { resourceType: 'AzureSolutionTemplatePackageConfiguration', version: '', packageReferences: [] }
    case 'ResellerConfiguration':
      return {
        resourceType: 'ResellerConfiguration',
        resellerChannelState: 'Disabled',
        tenantIds: [],
        ...seed.resellerConfiguration
      }
  }
}

function createInstance(product: Product, module: ModuleName, variant?: Variant): Entity {
  const scope = variant ? variant.id : 'offer'
  const instanceId = stableGuid(product.id, module, scope, 'instance')
  const entity: Entity = {
    id: stableGuid(product.id, module, scope, 'entity'),
    kind: kindOf(module, variant !== undefined),
    module,
    instanceId,
    variantId: variant?.id,
    etag: stableEtag(product.id, module, scope),
    body: defaultBody(product, module, variant)
  }
  product.entities.set(entity.id.toLowerCase(), entity)
  product.instances.set(instanceId.toLowerCase(), entity.id.toLowerCase())
  product.branches!.push({ module, variantId: variant?.id, instanceId })
  return entity
}

/** Creates the offer-level modules (and those of existing plans) on first use. */
export function ensureDrafts(product: Product): void {
  if (product.branches) return
  product.branches = []
  for (const m of MODULES) createInstance(product, m)
  for (const v of product.variants.values()) addPlanDrafts(product, v)
}

export function addPlanDrafts(product: Product, variant: Variant): void {
  if (!product.branches) {
    ensureDrafts(product) // creates this variant's drafts too
    return
  }
  for (const m of PLAN_MODULES) createInstance(product, m, variant)
}

export function removePlanDrafts(product: Product, variantId: string): void {
  if (!product.branches) return
  product.branches = product.branches.filter(b => b.variantId?.toLowerCase() !== variantId.toLowerCase())
  for (const [id, e] of product.entities) {
    if (e.variantId?.toLowerCase() === variantId.toLowerCase()) {
      product.entities.delete(id)
      product.instances.delete(e.instanceId.toLowerCase())
    }
  }
}

/**
 * The other reading of `currentDraftInstanceID` (behaviour `draft-instance-per-submission`): a
 * submission keeps what it published under the instance it named, and the module's branch moves on
 * to a new draft instance. The draft entity keeps its id (writers are unaffected); a copy of it, as
 * submitted, answers for the old instance and refuses writes.
 */
export function keepSubmittedInstance(product: Product, instanceId: string, submissionId: string): void {
  const key = instanceId.toLowerCase()
  const branch = product.branches?.find(b => b.instanceId.toLowerCase() === key)
  const draft = entityByInstance(product, instanceId)
  if (!branch || !draft) return
  const submitted: Entity = {
    ...draft,
    id: stableGuid(product.id, draft.id, submissionId, 'submitted'),
    body: structuredClone(draft.body),
    submittedBy: submissionId
  }
  product.entities.set(submitted.id.toLowerCase(), submitted)
  product.instances.set(key, submitted.id.toLowerCase())
  const next = stableGuid(product.id, instanceId, submissionId, 'instance')
  draft.instanceId = next
  product.instances.set(next.toLowerCase(), draft.id.toLowerCase())
  branch.instanceId = next
}

/** Whether `instanceId` is what a branch points at now (a submission may only name current drafts). */
export function isCurrentDraftInstance(product: Product, instanceId: string): boolean {
  ensureDrafts(product)
  return product.branches!.some(b => b.instanceId.toLowerCase() === instanceId.toLowerCase())
}

export function entityByInstance(product: Product, instanceId: string): Entity | undefined {
  ensureDrafts(product)
  const id = product.instances.get(instanceId.toLowerCase())
  return id ? product.entities.get(id) : undefined
}

export function findDraft(product: Product, module: ModuleName, variantId?: string): Entity | undefined {
  ensureDrafts(product)
  const b = product.branches!.find(
    x => x.module === module && (x.variantId ?? '').toLowerCase() === (variantId ?? '').toLowerCase()
  )
  return b ? entityByInstance(product, b.instanceId) : undefined
}

export function serializeEntity(e: Entity): Record<string, unknown> {
  return { ...e.body, '@odata.etag': e.etag, id: e.id }
}
