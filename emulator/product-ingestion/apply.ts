// Carrying out a configure job when it completes: resolve references (durable IDs, external IDs,
// `resourceName`s of the same request), create or update each resource, start submissions. A job is
// all or nothing: changes are staged and committed only when every resource went through; otherwise
// the job fails with one `errors[].details[]` entry per resource, naming it (docs/partner-center-api.md §2.5).
import { newGuid } from '../ids.js'
import { newProduct } from '../state.js'
import { inner, type InnerError } from './errors.js'
import { v1TypeOfPi } from './offer-types.js'
import { parseSchemaUri } from './schema-uri.js'
import {
  phasesOf,
  PI_TIMINGS,
  type JobRecord,
  type PiResource,
  type PiStore,
  type SubmissionPhase,
  type SubmissionRecord
} from './store.js'
import { checkTechnicalConfiguration } from './technical-configuration.js'

type Raw = Record<string, unknown>

/** Products first, then plans, then what hangs off them; submissions last (they publish the rest). */
const ORDER = (type: string): number =>
  type === 'product' ? 0 : type === 'plan' ? 1 : type === 'submission' ? 3 : 2

/** A submission change, made only when the whole job goes through. */
interface StagedSubmission {
  record: SubmissionRecord
  phase: SubmissionPhase
  commit: () => void
}

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
  const submissions: StagedSubmission[] = []
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
        applied.push(submissionResource(submission.record, submission.phase, at))
        continue
      } else if (type === 'private-offer') {
        stored = applyPrivateOffer(body, lookup)
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

  job.appliedAt = at
  if (details.length) {
    job.endedAt = at
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
  for (const submission of submissions) submission.commit()
  job.applied = applied
  const carried = submissions[0]
  if (carried) job.carries = { submission: carried.record, phase: carried.phase }
  // The real service keeps the job running until the submission is through (docs/partner-center-api.md §7.7).
  if (carried && store.state.behaves('job-runs-through-certification')) return
  job.result = 'succeeded'
  job.endedAt = at
}

/** Private offers are not product-scoped: `private-offer/<guid>`, created without an id, updated with one. */
function applyPrivateOffer(body: Raw, lookup: (id: string) => PiResource | undefined): PiResource {
  if (typeof body.id === 'string') {
    const existing = lookup(body.id)
    if (!existing)
      throw new JobFailure(inner('resourceNotFound', `Private offer '${body.id}' does not exist.`, body.id))
    return { ...existing, ...body, id: existing.id } as PiResource
  }
  return { ...body, id: `private-offer/${newGuid()}` } as PiResource
}

/** Why a preview fails with `certification-failure`: nested the way the service nests them. */
function certificationErrors(submissionId: string, snapshot: PiResource[]): InnerError[] {
  const listing = snapshot.find(r => r.id.startsWith('listing/'))
  return [
    {
      code: 'businessValidationError',
      message: `Submission ${submissionId} did not pass certification.`,
      resourceId: submissionId,
      details: [
        {
          code: 'invalidState',
          message: 'Certification failed: the offer does not meet the marketplace certification policies.',
          resourceId: submissionId,
          details: [
            {
              ...inner(
                'invalidResource',
                'Certification policy 100.1.3: the listing description must explain what the offer does for the customer.',
                listing?.id ?? submissionId
              )
            }
          ]
        }
      ]
    }
  ]
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
  pending: StagedSubmission[],
  at: number,
  label: unknown
): StagedSubmission {
  const product = resolveReference(body.product, 'product', lookup, names, store, undefined, label)!
  const guid = product.split('/')[1]
  const targetType = (body.target as Raw | undefined)?.targetType
  const all = [
    ...store.submissionsOf(guid),
    ...pending.filter(s => s.record.productGuid === guid).map(s => s.record)
  ]
  const running = all.find(s => phasesOf(s).some(p => p.endsAt > at))
  if (running) {
    const phase = phasesOf(running).find(p => p.endsAt > at)!
    throw new JobFailure(
      inner(
        'invalidState',
        `Submission ${running.id} (${phase.targetType}) is still in progress; wait for it to complete.`,
        running.id
      )
    )
  }
  if (targetType === 'preview') {
    const id = `submission/${guid}/${store.nextSubmissionNumber()}`
    const snapshot = store.productResources(guid).map(r => structuredClone(r))
    const fails = store.state.behaves('certification-failure')
    const duration = store.state.behaves('job-runs-through-certification')
      ? PI_TIMINGS.certification
      : PI_TIMINGS.previewPublish
    const record: SubmissionRecord = {
      id,
      productGuid: guid,
      snapshot,
      preview: {
        targetType: 'preview',
        createdAt: at,
        endsAt: at + duration,
        outcome: fails ? 'failed' : 'succeeded',
        errors: fails ? certificationErrors(id, snapshot) : []
      }
    }
    return { record, phase: record.preview, commit: () => store.addSubmission(record) }
  }
  if (targetType === 'live') {
    const from = all.find(s => typeof body.id === 'string' && s.id.toLowerCase() === body.id.toLowerCase())
    if (!from)
      throw new JobFailure(
        inner('resourceNotFound', `Submission '${String(body.id)}' does not exist.`, body.id ?? label)
      )
    if (from.live)
      throw new JobFailure(
        inner(
          'invalidState',
          `Submission ${from.id} is already live; publish the draft to preview again to make a new submission.`,
          from.id
        )
      )
    if (from.preview.outcome !== 'succeeded')
      throw new JobFailure(
        inner(
          'invalidState',
          `Submission ${from.id} failed in preview; only a preview that succeeded can go live.`,
          from.id
        )
      )
    const phase: SubmissionPhase = {
      targetType: 'live',
      createdAt: at,
      endsAt: at + PI_TIMINGS.livePublish,
      outcome: 'succeeded',
      errors: [],
      lifecycleState: body.lifecycleState as string | undefined
    }
    // Going live keeps the id: the same submission gains its live phase.
    return { record: from, phase, commit: () => void (from.live = phase) }
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

/** One phase of a submission as GET submission/<guid> lists it (preview and live share the id). */
export function submissionResource(s: SubmissionRecord, phase: SubmissionPhase, now: number): PiResource {
  const done = phase.endsAt <= now
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
    id: s.id,
    product: `product/${s.productGuid}`,
    target: { targetType: phase.targetType },
    ...(phase.lifecycleState ? { lifecycleState: phase.lifecycleState } : {}),
    status: done ? 'completed' : now < phase.createdAt + 1000 ? 'notStarted' : 'running',
    result: done ? phase.outcome : 'pending',
    created: new Date(phase.createdAt).toISOString()
  }
}

/** A product created through configure also appears in the v1 product list, as the real account would show it. */
function registerInV1(store: PiStore, product: PiResource): void {
  const guid = product.id.split('/')[1]
  if (store.state.getProduct(guid)) return
  const externalId = String((product.identity as Raw | undefined)?.externalId ?? guid)
  if (store.state.offerIndex.has(externalId.toLowerCase())) return
  const resourceType = v1TypeOfPi(product.type)
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
