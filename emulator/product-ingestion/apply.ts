// Carrying out a configure job when it completes: resolve references (durable IDs, external IDs,
// `resourceName`s of the same request), create or update each resource, start submissions. A job is
// all or nothing: changes are staged and committed only when every resource went through; otherwise
// the job fails with one `errors[].details[]` entry per resource, naming it (docs/partner-center-api.md §2.5).
import { newGuid } from '../ids.js'
import { newProduct } from '../state.js'
import { OFFER_TYPES } from '../../src/offer-types.js'
import { parseSchemaUri } from '../../src/product-ingestion/schemas.js'
import { inner, type InnerError } from './errors.js'
import { checkTechnicalConfiguration } from './technical-configuration.js'
import { PI_TIMINGS, type JobRecord, type PiResource, type PiStore, type SubmissionRecord } from './store.js'

type Raw = Record<string, unknown>

/** Products first, then plans, then what hangs off them; submissions last (they publish the rest). */
const ORDER = (type: string): number =>
  type === 'product' ? 0 : type === 'plan' ? 1 : type === 'submission' ? 3 : 2

/** Offer-level resources whose id is `<type>/<product>` plus a fixed suffix; plan-level ones add the plan. */
const ID_SUFFIX: Record<string, string> = { property: '/public/main', listing: '/public/main/default/en-us' }
const PLAN_ID = (type: string, product: string, plan: string): string =>
  type === 'plan-listing' ? `plan-listing/${product}/public/main/${plan}/en-us` : `${type}/${product}/${plan}`

class JobFailure extends Error {
  constructor(readonly detail: InnerError) {
    super(detail.message)
  }
}

export function applyJob(store: PiStore, job: JobRecord, at: number): void {
  const staged = new Map<string, PiResource>()
  const submissions: SubmissionRecord[] = []
  const names = new Map<string, string>()
  const applied: PiResource[] = []
  const details: InnerError[] = []
  const lookup = (id: string): PiResource | undefined => staged.get(id.toLowerCase()) ?? store.get(id)
  const newProducts: PiResource[] = []

  const ordered = job.request
    .map((resource, index) => ({ resource, index }))
    .sort((a, b) => ORDER(typeOf(a.resource)) - ORDER(typeOf(b.resource)) || a.index - b.index)
  for (const { resource, index } of ordered) {
    const label = labelOf(resource, index)
    try {
      const type = typeOf(resource)
      const body = withoutRequestFields(resource)
      let stored: PiResource
      if (type === 'product') {
        stored = applyProduct(body, lookup, store)
        if (!store.get(stored.id) && !staged.has(stored.id)) newProducts.push(stored)
      } else if (type === 'submission') {
        const submission = applySubmission(body, lookup, names, store, submissions, at, label)
        submissions.push(submission)
        applied.push(submissionResource(submission, at))
        continue
      } else {
        stored = applyChild(type, body, lookup, names, store, staged, label)
        const problem = checkTechnicalConfiguration(stored, lookup(stored.id), at)
        if (problem) throw new JobFailure(problem)
      }
      staged.set(stored.id.toLowerCase(), stored)
      if (typeof resource.resourceName === 'string') names.set(resource.resourceName, stored.id)
      applied.push(stored)
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error
      details.push(error.detail)
    }
  }

  job.endedAt = at
  if (details.length) {
    job.result = 'failed'
    job.errors = [
      {
        code: 'businessValidationError',
        message: 'The configure request has errors; no resource was changed.',
        details
      }
    ]
    return
  }
  for (const resource of staged.values()) store.put(resource)
  for (const product of newProducts) registerInV1(store, product)
  for (const submission of submissions) store.addSubmission(submission)
  job.result = 'succeeded'
  job.applied = applied
}

function applyProduct(body: Raw, lookup: (id: string) => PiResource | undefined, store: PiStore): PiResource {
  if (typeof body.id === 'string') {
    if (!lookup(body.id))
      throw new JobFailure(inner('resourceNotFound', `Product '${body.id}' does not exist.`, body.id))
    return { ...(body as PiResource) }
  }
  const externalId = String((body.identity as Raw | undefined)?.externalId ?? '')
  const existing = store.findProductByExternalId(externalId)
  return { ...body, id: existing?.id ?? `product/${newGuid()}` } as PiResource
}

function applyChild(
  type: string,
  body: Raw,
  lookup: (id: string) => PiResource | undefined,
  names: Map<string, string>,
  store: PiStore,
  staged: Map<string, PiResource>,
  label: unknown
): PiResource {
  const product = resolveReference(body.product, 'product', lookup, names, store, undefined, label)
  if (!product) throw new JobFailure(inner('invalidResource', `A ${type} must name its product.`, label))
  const productGuid = product.split('/')[1]
  const plan =
    body.plan === undefined
      ? undefined
      : resolveReference(body.plan, 'plan', lookup, names, store, productGuid, label)
  const resolved: Raw = { ...body, product, ...(plan ? { plan } : {}) }
  if (typeof body.id === 'string') {
    if (!lookup(body.id))
      throw new JobFailure(
        inner(
          'resourceNotFound',
          `Resource '${body.id}' does not exist; leave out 'id' to create it.`,
          body.id
        )
      )
    return resolved as PiResource
  }
  if (type === 'plan') {
    const externalId = String((body.identity as Raw | undefined)?.externalId ?? '')
    const existing = [...store.productResources(productGuid), ...staged.values()].find(
      r =>
        r.id.startsWith(`plan/${productGuid}/`) && (r.identity as Raw | undefined)?.externalId === externalId
    )
    return { ...resolved, id: existing?.id ?? `plan/${productGuid}/${newGuid()}` } as PiResource
  }
  const planGuid = plan?.split('/')[2]
  const id = planGuid
    ? PLAN_ID(type, productGuid, planGuid)
    : `${type}/${productGuid}${ID_SUFFIX[type] ?? ''}`
  return { ...resolved, id } as PiResource
}

function applySubmission(
  body: Raw,
  lookup: (id: string) => PiResource | undefined,
  names: Map<string, string>,
  store: PiStore,
  pending: SubmissionRecord[],
  at: number,
  label: unknown
): SubmissionRecord {
  const product = resolveReference(body.product, 'product', lookup, names, store, undefined, label)!
  const guid = product.split('/')[1]
  const targetType = (body.target as Raw | undefined)?.targetType
  const all = [...store.submissionsOf(guid), ...pending.filter(s => s.productGuid === guid)]
  const running = all.find(s => s.endsAt > at)
  if (running) {
    throw new JobFailure(
      inner(
        'invalidState',
        `Submission ${running.id} (${running.targetType}) is still in progress; wait for it to complete.`,
        running.id
      )
    )
  }
  const id = `submission/${guid}/${store.nextSubmissionNumber()}`
  if (targetType === 'preview') {
    return {
      id,
      productGuid: guid,
      targetType,
      createdAt: at,
      endsAt: at + PI_TIMINGS.previewPublish,
      snapshot: store.productResources(guid).map(r => structuredClone(r))
    }
  }
  if (targetType === 'live') {
    const from = all.find(s => typeof body.id === 'string' && s.id.toLowerCase() === body.id.toLowerCase())
    if (!from)
      throw new JobFailure(
        inner('resourceNotFound', `Submission '${String(body.id)}' does not exist.`, body.id ?? label)
      )
    if (from.targetType !== 'preview')
      throw new JobFailure(
        inner(
          'invalidState',
          `Submission ${from.id} is a ${from.targetType} submission; go live from a preview submission.`,
          from.id
        )
      )
    return {
      id,
      productGuid: guid,
      targetType,
      createdAt: at,
      endsAt: at + PI_TIMINGS.livePublish,
      snapshot: from.snapshot,
      lifecycleState: body.lifecycleState as string | undefined
    }
  }
  throw new JobFailure(
    inner(
      'notSupported',
      `Publishing to '${String(targetType)}' is not supported; use preview or live.`,
      label
    )
  )
}

/** A reference (durable ID, `{externalId}`, `{resourceName}`) to the durable ID it names, or a job failure. */
function resolveReference(
  reference: unknown,
  type: 'product' | 'plan',
  lookup: (id: string) => PiResource | undefined,
  names: Map<string, string>,
  store: PiStore,
  productGuid: string | undefined,
  label: unknown
): string | undefined {
  if (reference === undefined) return undefined
  if (typeof reference === 'string') {
    if (!lookup(reference))
      throw new JobFailure(
        inner('resourceNotFound', `The ${type} '${reference}' does not exist in this account.`, label)
      )
    return reference.toLowerCase()
  }
  const ref = reference as Raw
  if (typeof ref.resourceName === 'string') {
    const id = names.get(ref.resourceName)
    if (!id)
      throw new JobFailure(
        inner(
          'resourceNotFound',
          `No resource named '${ref.resourceName}' was created before this one in the request.`,
          label
        )
      )
    return id
  }
  const externalId = String(ref.externalId ?? '')
  const found =
    type === 'product'
      ? store.findProductByExternalId(externalId)
      : store
          .productResources(productGuid ?? '')
          .find(r => r.id.startsWith('plan/') && (r.identity as Raw | undefined)?.externalId === externalId)
  if (!found)
    throw new JobFailure(
      inner('resourceNotFound', `No ${type} with externalId '${externalId}' exists.`, label)
    )
  return found.id
}

/** The submission resource as GET submission/<guid> shows it. */
export function submissionResource(s: SubmissionRecord, now: number): PiResource {
  const done = s.endsAt <= now
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
    id: s.id,
    product: `product/${s.productGuid}`,
    target: { targetType: s.targetType },
    ...(s.lifecycleState ? { lifecycleState: s.lifecycleState } : {}),
    status: done ? 'completed' : now < s.createdAt + 1000 ? 'notStarted' : 'running',
    result: done ? 'succeeded' : 'pending',
    created: new Date(s.createdAt).toISOString()
  }
}

/** A product created through configure also appears in the v1 product list, as the real account would show it. */
function registerInV1(store: PiStore, product: PiResource): void {
  const guid = product.id.split('/')[1]
  if (store.state.getProduct(guid)) return
  const externalId = String((product.identity as Raw | undefined)?.externalId ?? guid)
  if (store.state.offerIndex.has(externalId.toLowerCase())) return
  const resourceType = OFFER_TYPES.find(t => t.piType === product.type)?.type ?? 'SoftwareAsAService'
  const v1 = newProduct({
    id: guid,
    resourceType,
    name: String(product.alias ?? externalId),
    offerId: externalId
  })
  store.state.addProduct(v1)
}

function typeOf(resource: Raw): string {
  return parseSchemaUri(resource.$schema)?.type ?? ''
}

/** `resourceName` is request-scoped and `validations` read-only: neither is stored. */
function withoutRequestFields(resource: Raw): Raw {
  const { resourceName: _name, validations: _validations, ...rest } = resource
  void _name
  void _validations
  return rest
}

/** How errors name a resource: its durable ID, else its resourceName or external ID. */
export function labelOf(resource: Raw, index: number): unknown {
  if (typeof resource.id === 'string') return resource.id
  if (typeof resource.resourceName === 'string') return { resourceName: resource.resourceName }
  const externalId = (resource.identity as Raw | undefined)?.externalId
  if (typeof externalId === 'string') return { externalId }
  return `resources[${index}]`
}
