// Submissions (docs/partner-center-api.md §1.11). The lifecycle is a pure function of the virtual clock:
//   InProgress/Submitted  (Automated validation)           → InProgress/Failed when validation fails
//   InProgress/Submitted  (Preview Creation, Certification) → InProgress/FailedInCertification
//   Published/ReadyToPublish (preview live; Publisher Signoff awaits promote)
//   promote → Published/Publishing (Publish) → Published/InStore after timings.goLive
// A newer submission reaching InStore archives the previous live one (state Archived, no longer
// listed). DELETE (cancel) is allowed while InProgress: state becomes Cancelled and the submission
// leaves the list but stays readable by id.
import type { RequestContext } from '../http/router.js'
import { emptyReply, jsonReply } from '../http/reply.js'
import { newEtag, newSubmissionId } from '../ids.js'
import type { EmulatorState, Product, SubmissionRecord, ValidationItem } from '../state.js'
import {
  entityByInstance,
  ensureDrafts,
  findDraft,
  isCurrentDraftInstance,
  keepSubmittedInstance
} from './drafts.js'
import {
  BUSINESS_CENTRAL_PREVIEW_STEPS,
  businessCentralStatus,
  businessCentralSubmission,
  isBusinessCentral
} from './business-central.js'
import { badRequest, conflict, IngestionError, type ErrorData } from './errors.js'
import {
  baseUrl,
  createdReply,
  entityReply,
  prop,
  readJson,
  requireProduct,
  str,
  type ScopedRouter
} from './common.js'

type StepState = 'NotStarted' | 'InProgress' | 'Success' | 'Failed'

export interface SubmissionStatus {
  state: string
  substate: string
  steps: Array<{ name: string; state: StepState; start?: number; end?: number }>
  readyAt?: number
  liveAt?: number
  /** behaviour 'indraft-failure': the creation failed, yet the state stays InProgress/InDraft */
  createFailed?: boolean
  /** how many of `steps` belong to the Preview item of workflowdetails (the rest to Live) */
  previewSteps?: number
}

const STEP_NAMES = [
  'Automated validation',
  'Preview Creation',
  'Certification',
  'Publisher Signoff',
  'Publish'
]

/** Derives state, substate and workflow steps of a submission at virtual time `now`. */
export function computeStatus(state: EmulatorState, s: SubmissionRecord, now: number): SubmissionStatus {
  const t = state.config.timings
  const av = s.createdAt + t.automatedValidation
  const pc = av + t.previewCreation
  const ready = pc + t.certification
  const steps: SubmissionStatus['steps'] = STEP_NAMES.map(name => ({
    name,
    state: 'NotStarted' as StepState
  }))
  const set = (i: number, st: StepState, start?: number, end?: number) =>
    Object.assign(steps[i]!, { state: st, start, end })
  // docs/partner-center-api.md §7.1: while being created a submission is InProgress/InDraft, and a
  // creation that fails stays so (the failure is only in pendingUpdateInfo).
  const inDraft = state.behaves('indraft-failure')

  let status: SubmissionStatus
  if (s.fixed) {
    const done = s.fixed.state === 'Published'
    STEP_NAMES.forEach((_, i) =>
      set(i, done ? 'Success' : 'NotStarted', done ? s.createdAt : undefined, done ? s.createdAt : undefined)
    )
    status = {
      state: s.fixed.state,
      substate: s.fixed.substate,
      steps,
      readyAt: s.createdAt,
      liveAt: done ? s.createdAt : undefined
    }
  } else if (s.flow === 'business-central') {
    status = { ...businessCentralStatus(state, s, now), previewSteps: BUSINESS_CENTRAL_PREVIEW_STEPS }
  } else if (now < av) {
    set(0, 'InProgress', s.createdAt)
    status = { state: 'InProgress', substate: inDraft ? 'InDraft' : 'Submitted', steps }
  } else if (s.failure === 'validation') {
    set(0, 'Failed', s.createdAt, av)
    status = inDraft
      ? { state: 'InProgress', substate: 'InDraft', steps, createFailed: true }
      : { state: 'InProgress', substate: 'Failed', steps }
  } else if (now < pc) {
    set(0, 'Success', s.createdAt, av)
    set(1, 'InProgress', av)
    status = { state: 'InProgress', substate: 'Submitted', steps }
  } else if (now < ready) {
    set(0, 'Success', s.createdAt, av)
    set(1, 'Success', av, pc)
    set(2, 'InProgress', pc)
    status = { state: 'InProgress', substate: 'Submitted', steps }
  } else if (s.failure === 'certification') {
    set(0, 'Success', s.createdAt, av)
    set(1, 'Success', av, pc)
    set(2, 'Failed', pc, ready)
    status = { state: 'InProgress', substate: 'FailedInCertification', steps }
  } else {
    set(0, 'Success', s.createdAt, av)
    set(1, 'Success', av, pc)
    set(2, 'Success', pc, ready)
    const autoPromote = s.publishOption.isAutoPromote === true
    const promotedAt = s.promotedAt ?? (autoPromote ? ready : undefined)
    if (promotedAt === undefined) {
      set(3, 'InProgress', ready)
      status = { state: 'Published', substate: 'ReadyToPublish', steps, readyAt: ready }
    } else {
      set(3, 'Success', ready, promotedAt)
      const live = promotedAt + t.goLive
      if (now < live) {
        set(4, 'InProgress', promotedAt)
        status = { state: 'Published', substate: 'Publishing', steps, readyAt: ready }
      } else {
        set(4, 'Success', promotedAt, live)
        status = { state: 'Published', substate: 'InStore', steps, readyAt: ready, liveAt: live }
      }
    }
  }
  if (s.cancelledAt !== undefined) return { ...status, state: 'Cancelled', substate: 'Cancelled' }
  if (s.archived) return { ...status, state: 'Archived' }
  return status
}

/** Applies the side effects of going live (idempotent): archive older live submissions, record live versions. */
export function settleSubmissions(state: EmulatorState, p: Product): void {
  const now = state.clock.now()
  for (const s of p.submissions.values()) {
    if (s.wentLive || s.cancelledAt !== undefined || s.fixed || s.archived) continue
    const st = computeStatus(state, s, now)
    if (st.substate !== 'InStore') continue
    s.wentLive = true
    if (s.appVersion) p.liveAppVersion = s.appVersion
    // Submissions are settled in creation order, so every other live one is older.
    for (const other of p.submissions.values()) {
      if (other === s || other.archived) continue
      if (computeStatus(state, other, now).substate === 'InStore') other.archived = true
    }
    for (const [variantId, snap] of Object.entries(s.snapshot)) {
      const v = p.variants.get(variantId.toLowerCase())
      if (v && snap.version) v.live = { ...snap }
    }
  }
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
}

export function serializeSubmission(
  state: EmulatorState,
  p: Product,
  s: SubmissionRecord
): Record<string, unknown> {
  const st = computeStatus(state, s, state.clock.now())
  const promoting =
    s.promotedAt !== undefined || (s.publishOption.isAutoPromote === true && st.state === 'Published')
  const failed = st.substate === 'Failed' || st.substate === 'FailedInCertification'
  const running = st.state === 'InProgress' && !failed
  const pendingUpdateInfo =
    st.substate === 'InDraft'
      ? {
          updateType: 'Create',
          status: st.createFailed ? 'Failed' : 'Running',
          // Relative to the service host, like the /products nextLink (§7.1).
          href: `v1.0/ingestion/products/${p.id}/submissions/${s.id}/validations`,
          ...(st.createFailed ? { failureReason: 'Active validation errors' } : {})
        }
      : {
          updateType: promoting ? 'Promote' : 'Submit',
          status: failed ? 'Failed' : running || st.substate === 'Publishing' ? 'Running' : 'Completed',
          href: `products/${p.id}/submissions/${s.id}`,
          ...(failed
            ? {
                failureReason:
                  st.substate === 'Failed' ? 'Automated validation failed.' : 'Certification failed.'
              }
            : {})
        }
  return {
    resourceType: 'Submission',
    state: st.state,
    substate: st.substate,
    targets: s.targets,
    resources: s.resources,
    variantResources: s.variantResources,
    publishOption: s.publishOption,
    publishedTimeInUtc: st.liveAt !== undefined ? iso(st.liveAt) : '1601-01-01T00:00:00Z',
    pendingUpdateInfo,
    releaseNumber: s.releaseNumber,
    friendlyName: `Submission ${s.releaseNumber}`,
    areResourcesReady: true,
    extendedProperties: [],
    '@odata.etag': s.etag,
    id: s.id
  }
}

function requireSubmission(p: Product, id: string): SubmissionRecord {
  const s = p.submissions.get(id)
  if (!s) throw new IngestionError(404, { submissionID: [`The submission with id '${id}' was not found.`] })
  return s
}

type ResourceRef = { type: string; value: string }

function parseRefs(errors: ErrorData, field: string, raw: unknown): ResourceRef[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    ;(errors[field] ??= []).push(`The field ${field} must be an array.`)
    return []
  }
  return raw.map((r: Record<string, unknown>) => ({
    type: String(prop(r ?? {}, 'type') ?? ''),
    value: String(prop(r ?? {}, 'value') ?? '')
  }))
}

function checkRef(p: Product, errors: ErrorData, field: string, ref: ResourceRef, variantId?: string): void {
  const e = entityByInstance(p, ref.value)
  const ok =
    e &&
    isCurrentDraftInstance(p, ref.value) &&
    e.module.toLowerCase() === ref.type.toLowerCase() &&
    (e.variantId ?? '').toLowerCase() === (variantId ?? '').toLowerCase()
  if (!ok) {
    ;(errors[field] ??= []).push(
      `'${ref.value}' is not the current draft instance of module ${ref.type}${variantId ? ` of variant ${variantId}` : ''} in this product.`
    )
  }
}

/** Automated validation findings for the failure path (seed flag failNextSubmission). */
function failureValidations(kind: 'validation' | 'certification'): ValidationItem[] {
  return kind === 'validation'
    ? [
        {
          errorCode: 'MissingPartnerUsageAttribution',
          severity: 'Error',
          message:
            "mainTemplate.json does not contain the partner usage attribution resource 'pid-<guid>-partnercenter'.",
          resource: 'Package'
        },
        {
          errorCode: 'ListingSupportUrlMissing',
          severity: 'Error',
          message: 'The listing has no support URL; add one under Offer listing > Support.',
          resource: 'Listing'
        }
      ]
    : [
        {
          errorCode: 'CertificationFailed',
          severity: 'Error',
          message:
            'Certification failed: the deployment of the solution template did not succeed in the test subscription. See the certification report.',
          resource: 'Package'
        }
      ]
}

async function createSubmission(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  settleSubmissions(state, p)
  const body = await readJson(ctx)
  const errors: ErrorData = {}
  const rt = str(body, 'resourceType')
  if (rt !== undefined && rt !== 'SubmissionCreationRequest') {
    ;(errors.ResourceType ??= []).push(
      `The field ResourceType is invalid (value '${rt}'). Expected SubmissionCreationRequest.`
    )
  }
  const targets = parseRefs(errors, 'Targets', prop(body, 'targets'))
  const preview =
    targets.length === 1 &&
    targets[0]!.type.toLowerCase() === 'scope' &&
    targets[0]!.value.toLowerCase() === 'preview'
  if (!preview) {
    ;(errors.Targets ??= []).push(
      'Targets must be [{"type":"Scope","value":"preview"}]; go live with POST submissions/{id}/promote.'
    )
  }
  ensureDrafts(p)
  const resources = parseRefs(errors, 'Resources', prop(body, 'resources'))
  resources.forEach(r => checkRef(p, errors, 'Resources', r))
  const rawVariants = prop(body, 'variantResources')
  const variantResources: SubmissionRecord['variantResources'] = []
  if (rawVariants !== undefined && !Array.isArray(rawVariants))
    (errors.VariantResources ??= []).push('The field VariantResources must be an array.')
  for (const vr of (Array.isArray(rawVariants) ? rawVariants : []) as Record<string, unknown>[]) {
    const variantID = String(prop(vr ?? {}, 'variantID') ?? '')
    if (!p.variants.has(variantID.toLowerCase())) {
      ;(errors.VariantResources ??= []).push(`The variant '${variantID}' does not exist in this product.`)
      continue
    }
    const refs = parseRefs(errors, 'VariantResources', prop(vr, 'resources'))
    refs.forEach(r => checkRef(p, errors, 'VariantResources', r, variantID))
    variantResources.push({ variantID: p.variants.get(variantID.toLowerCase())!.id, resources: refs })
  }
  if (resources.length === 0 && variantResources.length === 0)
    (errors.Resources ??= []).push('At least one resource is required.')
  if (Object.keys(errors).length) throw new IngestionError(400, errors)

  const now = state.clock.now()
  const blocking = [...p.submissions.values()].find(s => {
    const st = computeStatus(state, s, now)
    return (
      st.state === 'InProgress' &&
      st.substate !== 'Failed' &&
      st.substate !== 'FailedInCertification' &&
      !st.createFailed
    )
  })
  if (blocking) {
    throw conflict(
      'Submission',
      `Submission ${blocking.id} is in progress for this product. Wait for it to finish or cancel it (DELETE submissions/${blocking.id}).`
    )
  }

  // Snapshot the technical configurations being published (for the "version must increase" rule).
  const snapshot: SubmissionRecord['snapshot'] = {}
  for (const vr of variantResources) {
    if (!vr.resources.some(r => r.type.toLowerCase() === 'package')) continue
    const cfg = findDraft(p, 'Package', vr.variantID)
    const refs = (cfg?.body.packageReferences as ResourceRef[] | undefined) ?? []
    snapshot[vr.variantID] = { version: String(cfg?.body.version ?? ''), packageIds: refs.map(r => r.value) }
  }

  const seeded = p.failNextSubmission
  p.failNextSubmission = undefined
  const businessCentral = isBusinessCentral(p)
    ? businessCentralSubmission(p, findDraft(p, 'Package'), findDraft(p, 'Property'), seeded)
    : undefined
  const failure = businessCentral ? businessCentral.failure : seeded
  const s: SubmissionRecord = {
    id: newSubmissionId(),
    productId: p.id,
    releaseNumber: ++p.releaseCounter,
    etag: newEtag(now),
    createdAt: now,
    targets: [{ type: 'Scope', value: 'Preview' }],
    resources,
    variantResources,
    publishOption: (prop(body, 'publishOption') as Record<string, unknown> | undefined) ?? {},
    failure,
    validations: failure ? failureValidations(failure) : [],
    snapshot,
    ...businessCentral
  }
  p.submissions.set(s.id, s)
  if (state.behaves('draft-instance-per-submission'))
    for (const ref of [...resources, ...variantResources.flatMap(v => v.resources)])
      keepSubmittedInstance(p, ref.value, s.id)
  return createdReply(
    serializeSubmission(state, p, s),
    `${baseUrl(ctx)}/products/${p.id}/submissions/${s.id}`
  )
}

function promote(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  settleSubmissions(state, p)
  const s = requireSubmission(p, ctx.params.submissionId!)
  const st = computeStatus(state, s, state.clock.now())
  if (st.state === 'Published' && st.substate === 'ReadyToPublish') {
    s.promotedAt = state.clock.now()
    s.etag = newEtag(s.promotedAt)
    return entityReply(200, serializeSubmission(state, p, s))
  }
  if (st.state === 'InProgress') {
    throw conflict(
      'Submission',
      `The submission is ${st.state}/${st.substate}; it can be promoted only when it is Published/ReadyToPublish.`
    )
  }
  throw badRequest(
    'Submission',
    `The submission is ${st.state}/${st.substate}; only a Published/ReadyToPublish submission can be promoted.`
  )
}

function cancel(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  settleSubmissions(state, p)
  const s = requireSubmission(p, ctx.params.submissionId!)
  const st = computeStatus(state, s, state.clock.now())
  if (st.state !== 'InProgress') {
    throw conflict(
      'Submission',
      `The submission is ${st.state}/${st.substate}; only InProgress submissions can be cancelled.`
    )
  }
  s.cancelledAt = state.clock.now()
  return emptyReply(204)
}

function listSubmissions(state: EmulatorState, ctx: RequestContext) {
  const p = requireProduct(state, ctx.params.productId!)
  settleSubmissions(state, p)
  let value = [...p.submissions.values()]
    .map(s => serializeSubmission(state, p, s))
    .filter(s => s.state === 'InProgress' || s.state === 'Published')
  const filter = ctx.query.get('$filter')
  if (filter !== null) {
    const clauses = filter.split(/\s+and\s+/i)
    for (const c of clauses) {
      const m = /^\s*(state|substate)\s+eq\s+'([^']*)'\s*$/i.exec(c)
      if (m) {
        const key = m[1]!.toLowerCase() === 'state' ? 'state' : 'substate'
        value = value.filter(s => String(s[key]).toLowerCase() === m[2]!.toLowerCase())
        continue
      }
      const t =
        /^\s*targets\/any\(\s*(\w+)\s*:\s*\1\/type\s+eq\s+'([^']*)'\s+and\s+\1\/value\s+eq\s+'([^']*)'\s*\)\s*$/i.exec(
          c
        )
      if (t) {
        value = value.filter(s =>
          (s.targets as ResourceRef[]).some(
            x => x.type.toLowerCase() === t[2]!.toLowerCase() && x.value.toLowerCase() === t[3]!.toLowerCase()
          )
        )
        continue
      }
      throw badRequest(
        '$filter',
        `The filter clause '${c}' is not supported. Use state eq '<State>' and/or substate eq '<Substate>'.`
      )
    }
  }
  return jsonReply(200, { value })
}

function workflowDetails(state: EmulatorState, p: Product, s: SubmissionRecord) {
  const st = computeStatus(state, s, state.clock.now())
  const item = (target: string, steps: SubmissionStatus['steps']) => {
    const started = steps.find(x => x.start !== undefined)?.start
    const allDone = steps.every(x => x.state === 'Success')
    const failed = steps.some(x => x.state === 'Failed')
    return {
      type: 'Submission',
      state: failed ? 'Failed' : allDone ? 'Completed' : started !== undefined ? 'InProgress' : 'NotStarted',
      targetEnvironment: target,
      workflowSteps: steps.map(x => ({
        name: x.name,
        state: x.state,
        startDateTimeInUtc: iso(x.start) ?? null,
        completeDateTimeInUtc: iso(x.end) ?? null
      })),
      startDateTimeInUtc: iso(started) ?? null,
      completeDateTimeInUtc: allDone ? (iso(steps[steps.length - 1]!.end) ?? null) : null
    }
  }
  void p
  const preview = st.previewSteps ?? 4
  return jsonReply(200, {
    value: [item('Preview', st.steps.slice(0, preview)), item('Live', st.steps.slice(preview))]
  })
}

export function registerSubmissionRoutes(r: ScopedRouter, state: EmulatorState): void {
  r.get('/products/:productId/submissions', ctx => listSubmissions(state, ctx))
  r.post('/products/:productId/submissions', ctx => createSubmission(state, ctx))
  r.get('/products/:productId/submissions/:submissionId', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    settleSubmissions(state, p)
    const s = requireSubmission(p, ctx.params.submissionId!)
    // docs/partner-center-api.md §7.3: once in preview, the submission was "not found" by id.
    if (
      state.behaves('submission-404-after-preview') &&
      computeStatus(state, s, state.clock.now()).state === 'Published'
    )
      throw new IngestionError(404, { submissionID: [`The submission with id '${s.id}' was not found.`] })
    return entityReply(200, serializeSubmission(state, p, s))
  })
  r.delete('/products/:productId/submissions/:submissionId', ctx => cancel(state, ctx))
  r.post('/products/:productId/submissions/:submissionId/promote', ctx => promote(state, ctx))
  r.get('/products/:productId/submissions/:submissionId/validations', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    const s = requireSubmission(p, ctx.params.submissionId!)
    const st = computeStatus(state, s, state.clock.now())
    // Findings become visible when the failing step has completed.
    const failed = st.substate === 'Failed' || st.substate === 'FailedInCertification' || st.createFailed
    const visible = failed ? s.validations : []
    return jsonReply(200, { value: visible })
  })
  r.get('/products/:productId/submissions/:submissionId/workflowdetails', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    settleSubmissions(state, p)
    return workflowDetails(state, p, requireSubmission(p, ctx.params.submissionId!))
  })
}
