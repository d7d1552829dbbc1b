// Variants (plans): AzureSkuVariant with externalID (plan id) and subType (solution-template by
// default on Azure Application offers, recorded). Creating one adds plan-level branches.
import type { RequestContext } from '../http/router.js'
import { emptyReply, jsonReply } from '../http/reply.js'
import { newEtag, newGuid } from '../ids.js'
import type { EmulatorState, Product, Variant } from '../state.js'
import type { PlanSubType } from '../types.js'
import { addPlanDrafts, removePlanDrafts } from './drafts.js'
import { badRequest, conflict, IngestionError } from './errors.js'
import {
  baseUrl,
  canonicalize,
  checkIfMatch,
  createdReply,
  entityReply,
  readJson,
  requireProduct,
  str,
  type ScopedRouter
} from './common.js'

/** Plan ids: lowercase letters, digits, '-' and '_', 3–50 characters (stricter reading). */
export const PLAN_ID_RE = /^[a-z0-9][a-z0-9_-]{2,49}$/
const SUBTYPES: PlanSubType[] = ['solution-template', 'managed-application']
const VARIANT_KEYS = [
  'resourceType',
  'state',
  'friendlyName',
  'conversionPaths',
  'externalID',
  'certificationsAzureGovernment',
  'cloudAvailabilities',
  'subType',
  'extendedProperties',
  'leadGenID'
]

export function serializeVariant(p: Product, v: Variant): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resourceType: 'AzureSkuVariant',
    state: v.state,
    friendlyName: v.friendlyName,
    conversionPaths: '*',
    externalID: v.externalID,
    certificationsAzureGovernment: [],
    cloudAvailabilities: ['public-azure'],
    ...v.extra
  }
  if (p.resourceType === 'AzureApplication') out.subType = v.subType ?? 'solution-template'
  out.extendedProperties = out.extendedProperties ?? []
  out['@odata.etag'] = v.etag
  out.id = v.id
  return out
}

export function requireVariant(p: Product, id: string): Variant {
  const v = p.variants.get(id.toLowerCase())
  if (!v) throw new IngestionError(404, { variantID: [`The variant with id '${id}' was not found.`] })
  return v
}

function parseSubType(p: Product, body: Record<string, unknown>): PlanSubType | undefined {
  const raw = str(body, 'subType')
  if (p.resourceType !== 'AzureApplication') return undefined
  if (raw === undefined || raw === '') return 'solution-template'
  const st = SUBTYPES.find(s => s === raw.toLowerCase())
  if (!st)
    throw badRequest(
      'SubType',
      `The field SubType is invalid (value '${raw}'). Allowed: ${SUBTYPES.join(', ')}.`
    )
  return st
}

function extraFields(body: Record<string, unknown>): Record<string, unknown> {
  const c = canonicalize(body, VARIANT_KEYS)
  for (const k of ['resourceType', 'state', 'friendlyName', 'externalID', 'subType', 'conversionPaths'])
    delete c[k]
  return c
}

async function createVariant(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  const body = await readJson(ctx)
  const rt = str(body, 'resourceType')
  if (rt !== undefined && rt.toLowerCase() !== 'azureskuvariant') {
    throw badRequest(
      'ResourceType',
      `The field ResourceType is invalid (value '${rt}'). Expected AzureSkuVariant.`
    )
  }
  const externalID = str(body, 'externalID')
  if (!externalID || !PLAN_ID_RE.test(externalID)) {
    throw badRequest(
      'ExternalID',
      `The plan id '${externalID ?? ''}' is invalid: use 3–50 lowercase letters, digits, '-' or '_'.`
    )
  }
  if ([...p.variants.values()].some(v => v.externalID.toLowerCase() === externalID.toLowerCase())) {
    throw conflict('ExternalID', `A plan with the id '${externalID}' already exists in this offer.`)
  }
  const friendlyName = str(body, 'friendlyName')
  if (!friendlyName) throw badRequest('FriendlyName', 'The field FriendlyName is required.')
  const v: Variant = {
    id: newGuid(),
    externalID,
    friendlyName,
    subType: parseSubType(p, body),
    state: str(body, 'state') === 'Inactive' ? 'Inactive' : 'Active',
    etag: newEtag(state.clock.now()),
    extra: extraFields(body)
  }
  p.variants.set(v.id.toLowerCase(), v)
  addPlanDrafts(p, v)
  return createdReply(serializeVariant(p, v), `${baseUrl(ctx)}/products/${p.id}/variants/${v.id}`)
}

async function updateVariant(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  const v = requireVariant(p, ctx.params.variantId!)
  checkIfMatch(ctx, v.etag, false)
  const body = await readJson(ctx)
  const externalID = str(body, 'externalID')
  if (externalID !== undefined && externalID !== v.externalID)
    throw badRequest('ExternalID', 'The plan id cannot be changed.')
  const subType = str(body, 'subType')
  if (
    subType !== undefined &&
    p.resourceType === 'AzureApplication' &&
    subType !== (v.subType ?? 'solution-template')
  ) {
    throw badRequest('SubType', 'The plan type (SubType) cannot be changed after the plan is created.')
  }
  const friendlyName = str(body, 'friendlyName')
  if (friendlyName !== undefined) v.friendlyName = friendlyName
  const st = str(body, 'state')
  if (st !== undefined) {
    if (st !== 'Active' && st !== 'Inactive')
      throw badRequest('State', `The field State is invalid (value '${st}').`)
    v.state = st
  }
  v.extra = extraFields(body)
  v.etag = newEtag(state.clock.now())
  return entityReply(200, serializeVariant(p, v))
}

function deleteVariant(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  const v = requireVariant(p, ctx.params.variantId!)
  if (v.live)
    throw conflict('variantID', 'The plan has been published and cannot be deleted; stop selling it instead.')
  p.variants.delete(v.id.toLowerCase())
  removePlanDrafts(p, v.id)
  return emptyReply(204)
}

export function registerVariantRoutes(r: ScopedRouter, state: EmulatorState): void {
  r.get('/products/:productId/variants', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    return jsonReply(200, { value: [...p.variants.values()].map(v => serializeVariant(p, v)) })
  })
  r.post('/products/:productId/variants', ctx => createVariant(state, ctx))
  r.get('/products/:productId/variants/:variantId', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    return entityReply(200, serializeVariant(p, requireVariant(p, ctx.params.variantId!)))
  })
  r.put('/products/:productId/variants/:variantId', ctx => updateVariant(state, ctx))
  r.delete('/products/:productId/variants/:variantId', ctx => deleteVariant(state, ctx))
}
