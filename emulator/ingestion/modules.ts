// Module entities behind draft instances: listings, properties, productAvailabilities,
// featureAvailabilities, packageConfigurations — `getByInstanceID(instanceID=…)` → {value:[entity]},
// GET by id, PUT = full replace guarded by If-Match (required, SPEC), new ETag on every write.
// Also the offer's resellerConfiguration (GET/POST).
import type { RequestContext } from '../http/router.js'
import { jsonReply } from '../http/reply.js'
import { newEtag } from '../ids.js'
import type { EmulatorState, Entity, EntityKind, Product } from '../state.js'
import { entityByInstance, ensureDrafts, findDraft, serializeEntity } from './drafts.js'
import { badRequest, IngestionError } from './errors.js'
import {
  canonicalize,
  checkIfMatch,
  entityReply,
  readJson,
  requireProduct,
  str,
  type ScopedRouter
} from './common.js'
import { validatePackageConfiguration } from './packageConfigurations.js'
import { validateBusinessCentralProperty } from './business-central.js'

type Validator = (
  state: EmulatorState,
  p: Product,
  e: Entity,
  body: Record<string, unknown>
) => Record<string, unknown>

interface Collection {
  segment: string
  kind: EntityKind
  keys: string[]
  validate?: Validator
}

const COLLECTIONS: Collection[] = [
  {
    segment: 'listings',
    kind: 'listing',
    keys: [
      'resourceType',
      'languageCode',
      'title',
      'description',
      'shortDescription',
      'summary',
      'publisherName',
      'keywords',
      'productDisplayName',
      'listingUris',
      'listingContacts',
      'accessInformation',
      'gettingStartedInstructions',
      'allowOnlyManagedDiskDeployments',
      'compatibleProducts'
    ]
  },
  {
    segment: 'properties',
    kind: 'property',
    keys: [
      'resourceType',
      'industries',
      'leveledCategories',
      'categories',
      'additionalCategories',
      'submissionVersion',
      'hideKeys',
      'productTags',
      'appVersion',
      'useEnterpriseContract',
      'termsOfUse',
      'marketingOnlyChange',
      'globalAmendmentTerms',
      'customAmendments'
    ],
    validate: (_state, p, _e, body) => validateBusinessCentralProperty(p, body)
  },
  {
    segment: 'productAvailabilities',
    kind: 'productAvailability',
    keys: [
      'resourceType',
      'visibility',
      'enterpriseLicensing',
      'audiences',
      'emailAudiences',
      'subscriptionAudiences',
      'hideKeyAudience'
    ]
  },
  {
    segment: 'featureAvailabilities',
    kind: 'featureAvailability',
    keys: [
      'resourceType',
      'visibility',
      'isHidden',
      'marketStates',
      'priceSchedules',
      'trial',
      'tenantAudiences',
      'subscriptionAudiences',
      'customMeters'
    ]
  },
  {
    segment: 'packageConfigurations',
    kind: 'packageConfiguration',
    keys: [
      'resourceType',
      'version',
      'packageReferences',
      'allowJitAccess',
      'canEnableCustomerActions',
      'allowedCustomerActions',
      'allowedDataActions',
      'publicAzureTenantID',
      'publicAzureAuthorizations',
      'azureGovernmentTenantID',
      'azureGovernmentAuthorizations',
      'policies',
      'deploymentMode',
      'publisherManagementMode',
      'customerAccessEnableState',
      'azureActiveDirectoryTenantID',
      'azureActiveDirectoryApplicationID'
    ],
    validate: validatePackageConfiguration
  }
]

function requireEntity(p: Product, c: Collection, id: string): Entity {
  ensureDrafts(p)
  const e = p.entities.get(id.toLowerCase())
  if (!e || e.kind !== c.kind)
    throw new IngestionError(404, { [c.segment]: [`The entity with id '${id}' was not found.`] })
  return e
}

async function putEntity(state: EmulatorState, ctx: RequestContext, c: Collection) {
  const p = requireProduct(state, ctx.params.productId!)
  const e = requireEntity(p, c, ctx.params.entityId!)
  if (e.submittedBy)
    throw badRequest(
      'ID',
      `The entity '${e.id}' is what submission ${e.submittedBy} published; change the draft (the module's current draft instance) instead.`
    )
  checkIfMatch(ctx, e.etag, true)
  const raw = await readJson(ctx)
  const bodyId = str(raw, 'id')
  if (bodyId !== undefined && bodyId.toLowerCase() !== e.id.toLowerCase()) {
    throw badRequest('ID', `The id in the body ('${bodyId}') does not match the id in the URL ('${e.id}').`)
  }
  let body = canonicalize(raw, c.keys)
  const current = String(e.body.resourceType)
  const rt = typeof body.resourceType === 'string' ? body.resourceType : undefined
  if (rt !== undefined && rt.toLowerCase() !== current.toLowerCase()) {
    throw badRequest(
      'ResourceType',
      `The field ResourceType is invalid (value '${rt}'). Expected ${current}.`
    )
  }
  body.resourceType = current
  if (c.validate) body = c.validate(state, p, e, body)
  // Full replace (recorded): fields left out of the PUT are gone afterwards.
  e.body = { resourceType: current, ...body }
  e.etag = newEtag(state.clock.now())
  return entityReply(200, serializeEntity(e))
}

function registerCollection(r: ScopedRouter, state: EmulatorState, c: Collection): void {
  const base = `/products/:productId/${c.segment}`
  r.get(`${base}/getByInstanceID(instanceID=:instanceId)`, ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    const e = entityByInstance(p, ctx.params.instanceId!)
    if (!e)
      throw new IngestionError(404, {
        instanceID: [`The instance '${ctx.params.instanceId}' was not found.`]
      })
    return jsonReply(200, { value: e.kind === c.kind ? [serializeEntity(e)] : [] })
  })
  r.get(`${base}/:entityId`, ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    return entityReply(200, serializeEntity(requireEntity(p, c, ctx.params.entityId!)))
  })
  r.put(`${base}/:entityId`, ctx => putEntity(state, ctx, c))
}

export function registerModuleRoutes(r: ScopedRouter, state: EmulatorState): void {
  for (const c of COLLECTIONS) registerCollection(r, state, c)

  r.get('/products/:productId/resellerConfiguration', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    const e = findDraft(p, 'ResellerConfiguration')!
    return entityReply(200, serializeEntity(e))
  })
  r.post('/products/:productId/resellerConfiguration', async ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    const e = findDraft(p, 'ResellerConfiguration')!
    const body = canonicalize(await readJson(ctx), ['resourceType', 'resellerChannelState', 'tenantIds'])
    const allowed = ['Disabled', 'PartialOptIn', 'OptOut', 'Enabled']
    if (body.resellerChannelState !== undefined && !allowed.includes(String(body.resellerChannelState))) {
      throw badRequest(
        'ResellerChannelState',
        `The field ResellerChannelState is invalid (value '${String(body.resellerChannelState)}'). Allowed: ${allowed.join(', ')}.`
      )
    }
    e.body = {
      resourceType: 'ResellerConfiguration',
      resellerChannelState: 'Disabled',
      tenantIds: [],
      ...body
    }
    e.body.resourceType = 'ResellerConfiguration'
    e.etag = newEtag(state.clock.now())
    return entityReply(200, serializeEntity(e))
  })
}
