// Products (offers): list with $filter and relative-nextLink paging, create, read, delete, setup.
// Shapes follow the recordings (docs/partner-center-api.md §1.4, §1.5).
import type { RequestContext } from '../http/router.js'
import { emptyReply, jsonReply } from '../http/reply.js'
import { newGuid } from '../ids.js'
import { newProduct, type EmulatorState, type Product } from '../state.js'
import { badRequest, conflict, notFound } from './errors.js'
import {
  baseUrl,
  canonicalize,
  createdReply,
  prop,
  readJson,
  requireProduct,
  str,
  type ScopedRouter
} from './common.js'
import { parseProductFilter, type ProductFilter } from './filter.js'

export const PRODUCT_TYPES = [
  'AzureApplication',
  'AzureDeveloperService',
  'AzureThirdPartyVirtualMachine',
  'AzureContainer',
  'AzureVisualStudioExtension',
  'AzureDynamics365ForCustomerEngagement',
  'AzureDynamics365ForOperations',
  'AzureDynamics365BusinessCentral',
  'SoftwareAsAService'
]

/** Partner Center offer ids: lowercase letters, digits, '-' and '_', 3–50 characters (stricter reading). */
export const OFFER_ID_RE = /^[a-z0-9][a-z0-9_-]{2,49}$/

export function serializeProduct(p: Product): Record<string, unknown> {
  return {
    resourceType: p.resourceType,
    name: p.name,
    externalIDs: p.externalIDs.map(e => ({ ...e })),
    isModularPublishing: p.isModularPublishing,
    id: p.id
  }
}

interface PageToken {
  pos: number
  filter?: ProductFilter
}

// The real token is base64 JSON {"LastId":"[{token, range}]","Source":"DocDB"}; ours has the same
// outer shape (base64url so that `+` survives naive query parsing) and carries the scan position.
function encodeToken(t: PageToken): string {
  const lastId = JSON.stringify([
    { token: String(t.pos), range: { min: t.pos.toString(16).toUpperCase(), max: 'FF' } }
  ])
  return Buffer.from(JSON.stringify({ LastId: lastId, Source: 'DocDB', Filter: t.filter })).toString(
    'base64url'
  )
}

function decodeToken(s: string): PageToken | undefined {
  try {
    const outer = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as {
      LastId: string
      Filter?: ProductFilter
    }
    const inner = JSON.parse(outer.LastId) as Array<{ token: string }>
    const pos = Number(inner[0]?.token)
    if (!Number.isInteger(pos) || pos < 0) return undefined
    return { pos, filter: outer.Filter }
  } catch {
    return undefined
  }
}

function matches(p: Product, f: ProductFilter | undefined): boolean {
  if (!f) return true
  if (f.resourceType && p.resourceType.toLowerCase() !== f.resourceType.toLowerCase()) return false
  if (f.externalIdType && f.externalIdType.toLowerCase() !== 'azureofferid') return false
  if (f.offerId !== undefined && p.offerId.toLowerCase() !== f.offerId.toLowerCase()) return false
  return true
}

function listProducts(state: EmulatorState, ctx: RequestContext) {
  const skip = ctx.query.get('$skipToken') ?? ctx.query.get('$skiptoken')
  const filterExpr = ctx.query.get('$filter')
  let filter: ProductFilter | undefined
  let pos = 0
  if (skip) {
    // docs/partner-center-api.md §7.8: a nextLink page answered 404 once (navcontainerhelper#3151).
    if (state.behavesOnce('nextlink-404-once')) throw notFound('page', skip.slice(0, 16))
    const t = decodeToken(skip)
    if (!t) throw badRequest('$skipToken', 'The continuation token is invalid.')
    pos = t.pos
    filter = t.filter
  } else if (filterExpr !== null && filterExpr.trim() !== '') {
    const f = parseProductFilter(filterExpr)
    if ('error' in f) throw badRequest('$filter', f.error)
    filter = f
    // The filter on the offer ID not applied: every offer comes back (a client that takes the first product would write into another offer).
    if (state.behaves('ignore-offer-filter') && filter.offerId !== undefined)
      filter = filter.resourceType ? { resourceType: filter.resourceType } : undefined
  } else {
    // docs/partner-center-api.md §7.2: the unfiltered list refused (April 2026) or cut short (Feb 2026).
    if (state.behaves('unfiltered-list-400'))
      throw badRequest('ProductTypeFilter[0]', "The field is invalid (value 'Application').")
    if (state.behaves('unfiltered-list-sparse')) {
      const first = state.productOrder.map(id => state.products.get(id)).find(p => p !== undefined)
      return jsonReply(200, { value: first ? [serializeProduct(first)] : [] })
    }
  }
  // Offer-id lookups use the index: O(1) regardless of the account size.
  if (filter?.offerId !== undefined && !skip) {
    const id = state.offerIndex.get(filter.offerId.toLowerCase())
    const p = id ? state.products.get(id) : undefined
    return jsonReply(200, { value: p && matches(p, filter) ? [serializeProduct(p)] : [] })
  }
  const size = state.config.pageSize
  const page: Record<string, unknown>[] = []
  let i = pos
  for (; i < state.productOrder.length && page.length < size; i++) {
    const p = state.products.get(state.productOrder[i]!)
    if (p && matches(p, filter)) page.push(serializeProduct(p))
  }
  // Is there anything left? (look ahead so the last page carries no nextLink, as recorded)
  let more = false
  for (let j = i; j < state.productOrder.length; j++) {
    const p = state.products.get(state.productOrder[j]!)
    if (p && matches(p, filter)) {
      more = true
      break
    }
  }
  const body: Record<string, unknown> = {}
  if (more) body.nextLink = `v1.0/ingestion/products?$skipToken=${encodeToken({ pos: i, filter })}`
  body.value = page
  return jsonReply(200, body)
}

async function createProduct(state: EmulatorState, ctx: RequestContext) {
  const body = await readJson(ctx)
  const resourceType = str(body, 'resourceType')
  if (!resourceType || !PRODUCT_TYPES.some(t => t.toLowerCase() === resourceType.toLowerCase())) {
    throw badRequest(
      'ResourceType',
      `The field ResourceType is invalid (value '${resourceType ?? ''}'). Allowed: ${PRODUCT_TYPES.join(', ')}.`
    )
  }
  const name = str(body, 'name')
  if (!name || name.trim() === '' || name.length > 120)
    throw badRequest('Name', 'The field Name is required (1–120 characters).')
  const ext = prop(body, 'externalIDs')
  const offer = Array.isArray(ext)
    ? (ext as Record<string, unknown>[]).find(
        e => String(prop(e, 'type') ?? '').toLowerCase() === 'azureofferid'
      )
    : undefined
  const offerId = offer ? str(offer, 'value') : undefined
  if (!offerId) throw badRequest('ExternalIDs', "An external id of type 'AzureOfferId' is required.")
  if (!OFFER_ID_RE.test(offerId)) {
    throw badRequest(
      'ExternalIDs',
      `The offer id '${offerId}' is invalid: use 3–50 lowercase letters, digits, '-' or '_'.`
    )
  }
  if (state.offerIndex.has(offerId.toLowerCase()))
    throw conflict('ExternalIDs', `An offer with the id '${offerId}' already exists.`)
  const canonicalType = PRODUCT_TYPES.find(t => t.toLowerCase() === resourceType.toLowerCase())!
  const p = newProduct({
    id: newGuid(),
    resourceType: canonicalType,
    name,
    offerId,
    branchReadsPending: state.config.branchConsistencyReads
  })
  state.addProduct(p)
  return createdReply(serializeProduct(p), `${baseUrl(ctx)}/products/${p.id}`)
}

function deleteProduct(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  const published = [...p.submissions.values()].some(
    s => s.fixed?.state === 'Published' || s.promotedAt !== undefined
  )
  if (published) {
    throw conflict(
      'productID',
      'The product has been published and cannot be deleted; stop selling it in Partner Center instead.'
    )
  }
  state.removeProduct(p.id)
  return emptyReply(204)
}

const SETUP_KEYS = [
  'resourceType',
  'sellingOption',
  'trialUri',
  'enableTestDrive',
  'testDriveType',
  'channelStates',
  'callToAction'
]

async function postSetup(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  const body = canonicalize(await readJson(ctx), SETUP_KEYS)
  // Recorded: enabling a test drive on a VM offer through setup answers 400 "FeatureName".
  // Chosen: only Azure Application offers accept enableTestDrive here.
  if (body.enableTestDrive === true && p.resourceType !== 'AzureApplication') {
    throw badRequest('FeatureName', 'The field FeatureName is invalid.')
  }
  if (
    body.sellingOption !== undefined &&
    !['ListingOnly', 'ListAndSell'].includes(String(body.sellingOption))
  ) {
    throw badRequest(
      'SellingOption',
      `The field SellingOption is invalid (value '${String(body.sellingOption)}').`
    )
  }
  p.setup = { ...p.setup, ...body, resourceType: 'AzureProductSetup' }
  return jsonReply(200, p.setup)
}

export function registerProductRoutes(r: ScopedRouter, state: EmulatorState): void {
  r.get('/products', ctx => listProducts(state, ctx))
  r.post('/products', ctx => createProduct(state, ctx))
  r.get('/products/:productId', ctx =>
    jsonReply(200, serializeProduct(requireProduct(state, ctx.params.productId!)))
  )
  r.delete('/products/:productId', ctx => deleteProduct(state, ctx))
  r.get('/products/:productId/setup', ctx =>
    jsonReply(200, requireProduct(state, ctx.params.productId!).setup)
  )
  r.post('/products/:productId/setup', ctx => postSetup(state, ctx))
}
