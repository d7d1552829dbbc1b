// The Product Ingestion API (`/rp/product-ingestion`, docs/partner-center-api.md §2): `$version` on every call,
// Graph-audience tokens, configure jobs on the emulator clock, durable-ID reads, submissions and
// resource trees. Errors use the PI dialect ({"error":{code,message,details}}).
import type { Handler, RequestContext, Router } from '../http/router.js'
import { jsonReply, type Reply } from '../http/reply.js'
import { newGuid } from '../ids.js'
import type { TokenSigner } from '../entra/jwt.js'
import type { EmulatorState } from '../state.js'
import { authorize } from '../ingestion/auth.js'
import { IngestionError } from '../ingestion/errors.js'
import { applyJob, labelOf, submissionResource } from './apply.js'
import { inner, PiError, piErrorReply } from './errors.js'
import { parseSchemaUri } from './schema-uri.js'
import {
  phasesOf,
  PI_TIMINGS,
  storeOf,
  type JobRecord,
  type PiStore,
  type SubmissionRecord
} from './store.js'
import { checkRequest, compileSchemas } from './validate.js'

export const PREFIX = '/rp/product-ingestion'
export const GRAPH_RESOURCE = 'https://graph.microsoft.com'
const STATUS_SCHEMA = 'https://schema.mp.microsoft.com/schema/configure-status/2022-03-01-preview2'
const DETAIL_SCHEMA = 'https://schema.mp.microsoft.com/schema/configure-detail/2022-03-01-preview2'
const TREE_SCHEMA = 'https://schema.mp.microsoft.com/schema/resource-tree/2022-03-01-preview2'
const NEVER = '0001-01-01T00:00:00'

export interface Deps {
  state: EmulatorState
  signer: TokenSigner
}

export function registerRoutes(router: Router, deps: Deps): void {
  compileSchemas()
  const gate =
    (handler: (ctx: RequestContext, store: PiStore) => Promise<Reply> | Reply): Handler =>
    async ctx => {
      try {
        try {
          authorize(ctx, deps.state, deps.signer, GRAPH_RESOURCE)
        } catch (error) {
          if (error instanceof IngestionError)
            throw new PiError(
              error.status,
              Object.values(error.data).flat()[0] ?? 'Unauthorized.',
              [],
              error.headers
            )
          throw error
        }
        if (!ctx.query.get('$version')) {
          throw new PiError(
            400,
            "The query parameter '$version' is required, e.g. $version=2022-03-01-preview3."
          )
        }
        if (ctx.path.toLowerCase().startsWith(`${PREFIX}/private-offer`))
          checkPrivateOfferVersion(deps.state, ctx.query.get('$version')!)
        const store = storeOf(deps.state)
        settleJobs(store)
        const reply = await handler(ctx, store)
        reply.headers['request-id'] ??= newGuid()
        return reply
      } catch (error) {
        if (error instanceof PiError)
          return piErrorReply(error.status, error.message, error.details, error.headers)
        return piErrorReply(500, `Emulator error: ${(error as Error).message}`)
      }
    }
  const get = (
    path: string,
    handler: (ctx: RequestContext, store: PiStore) => Promise<Reply> | Reply
  ): void => void router.get(PREFIX + path, gate(handler))
  const post = (
    path: string,
    handler: (ctx: RequestContext, store: PiStore) => Promise<Reply> | Reply
  ): void => void router.post(PREFIX + path, gate(handler))

  get('/product', (ctx, store) => listProducts(ctx, store))
  get('/private-offer/query', (ctx, store) =>
    page(
      ctx,
      [...store.resources.values()].filter(r => r.id.startsWith('private-offer/'))
    )
  )
  get('/plan', (ctx, store) => listPlans(ctx, store))
  get('/resource-tree/product/:guid', (ctx, store) => resourceTree(ctx, store))
  get('/submission/:guid', (ctx, store) => listSubmissions(ctx, store))
  get('/configure/:job/status', (ctx, store) =>
    jsonReply(200, statusBody(findJob(store, ctx.params.job), store.now))
  )
  get('/configure/:job', (ctx, store) => jobDetail(findJob(store, ctx.params.job), store))
  post('/configure/:job/cancel', (ctx, store) => cancelJob(findJob(store, ctx.params.job), store.now))
  post('/configure', (ctx, store) => startConfigure(ctx, store))
  // Any durable ID: `product/<g>`, `plan/<g>/<g>`, `listing/<g>/public/main/default/en-us`, …
  for (let depth = 2; depth <= 7; depth++) {
    const pattern = Array.from({ length: depth }, (_, i) => `/:s${i}`).join('')
    get(pattern, (ctx, store) => readResource(ctx, store, depth))
  }
}

/**
 * Jobs are applied in creation order once their time has come; applying is what makes them visible.
 * A job held by its submission (`job-runs-through-certification`) completes when that submission
 * phase ends, with its result and errors.
 */
function settleJobs(store: PiStore): void {
  const now = store.now
  for (const job of store.jobs.values()) {
    if (job.result) continue
    if (job.appliedAt === undefined) {
      const end = job.createdAt + PI_TIMINGS.jobQueued + PI_TIMINGS.jobRunning
      if (end > now) break
      applyJob(store, job, end)
    }
    const phase = job.carries?.phase
    if (!job.result && phase && phase.endsAt <= now) {
      job.result = phase.outcome === 'succeeded' ? 'succeeded' : 'failed'
      job.errors = phase.errors
      job.endedAt = phase.endsAt
    }
  }
}

/**
 * With `deprecated-schema-preview3`, private-offer calls at `$version=2022-03-01-preview3` are refused
 * the way the service refused them (docs/partner-center-api.md §7.6): the private-offer family needs
 * 2022-07-01 or later.
 */
function checkPrivateOfferVersion(state: EmulatorState, version: string): void {
  if (!state.behaves('deprecated-schema-preview3') || version !== '2022-03-01-preview3') return
  throw new PiError(400, `"${version} is a deprecated schema"`, null)
}

function findJob(store: PiStore, id: string): JobRecord {
  const job = store.jobs.get(id.toLowerCase())
  if (!job) throw new PiError(404, `Configure job '${id}' was not found.`)
  return job
}

function statusBody(job: JobRecord, now: number): Record<string, unknown> {
  const completed = job.result !== undefined
  const running = now >= job.createdAt + PI_TIMINGS.jobQueued
  return {
    $schema: STATUS_SCHEMA,
    jobId: job.id,
    jobStatus: completed ? 'completed' : running ? 'running' : 'notStarted',
    jobResult: job.result ?? 'pending',
    jobStart: new Date(job.createdAt).toISOString(),
    jobEnd: job.endedAt ? new Date(job.endedAt).toISOString() : NEVER,
    errors: job.errors,
    ...(job.result === 'succeeded'
      ? { resourceUri: `https://product-ingestion.mp.microsoft.com/configure/${job.id}` }
      : {})
  }
}

/** Only a completed job has a detail; a failed one has none to show (404, as practitioners report). */
function jobDetail(job: JobRecord, store: PiStore): Reply {
  if (!job.result)
    throw new PiError(
      400,
      `Configure job '${job.id}' has not completed yet (${String(statusBody(job, store.now).jobStatus)}); read its status.`
    )
  if (job.result !== 'succeeded')
    throw new PiError(404, `Configure job '${job.id}' ${job.result}; it has no resources.`)
  // The real detail of a publish job documented only the product (docs/partner-center-api.md §7.7).
  const resources =
    job.carries && store.state.behaves('job-detail-without-submission')
      ? [store.get(`product/${job.carries.submission.productGuid}`)].filter(r => r !== undefined)
      : job.applied
  return jsonReply(200, { $schema: DETAIL_SCHEMA, jobId: job.id, resources })
}

function cancelJob(job: JobRecord, now: number): Reply {
  if (job.result) throw new PiError(400, 'Cannot cancel job, job has already completed.')
  // Held by its submission (job-runs-through-certification): the changes are applied and the
  // submission is publishing; cancelling the job would not undo either.
  if (job.appliedAt !== undefined)
    throw new PiError(400, 'Cannot cancel job, its submission is already being published.')
  job.result = 'cancelled'
  job.endedAt = now
  return jsonReply(200, statusBody(job, now))
}

async function startConfigure(ctx: RequestContext, store: PiStore): Promise<Reply> {
  let body: unknown
  try {
    body = JSON.parse(await ctx.text())
  } catch {
    throw new PiError(400, 'The request body is not valid JSON.')
  }
  const request = body as { $schema?: unknown; resources?: unknown }
  if (!request || typeof request !== 'object' || parseSchemaUri(request.$schema)?.type !== 'configure') {
    throw new PiError(
      400,
      "The request body must be a configure request with '$schema' https://schema.mp.microsoft.com/schema/configure/<version>."
    )
  }
  if (!Array.isArray(request.resources) || request.resources.length === 0)
    throw new PiError(400, "'resources' must be a list of at least one resource.")
  const resources = request.resources as unknown[]
  if (
    resources.some(
      r => parseSchemaUri((r as { $schema?: unknown } | null)?.$schema)?.type === 'private-offer'
    )
  )
    checkPrivateOfferVersion(store.state, ctx.query.get('$version')!)
  const problems = checkRequest(resources)
  if (problems.length) {
    throw new PiError(
      400,
      'The request failed schema validation.',
      problems.map(p => {
        const resource = resources[p.index]
        const label =
          resource && typeof resource === 'object'
            ? labelOf(resource as Record<string, unknown>, p.index)
            : `resources[${p.index}]`
        return inner('schemaValidationError', p.message, label)
      })
    )
  }
  const job: JobRecord = {
    id: newGuid(),
    createdAt: store.now,
    request: resources as Array<Record<string, unknown>>,
    errors: [],
    applied: []
  }
  store.jobs.set(job.id, job)
  return jsonReply(202, statusBody(job, store.now))
}

function listProducts(ctx: RequestContext, store: PiStore): Reply {
  const externalId = ctx.query.get('externalId')
  const type = ctx.query.get('type')
  let products = externalId
    ? [store.findProductByExternalId(externalId)].filter(p => p !== undefined)
    : store.allProducts()
  if (type) products = products.filter(p => p.type === type)
  return page(ctx, products)
}

function listPlans(ctx: RequestContext, store: PiStore): Reply {
  const product = ctx.query.get('product')
  if (!product) throw new PiError(400, "The query parameter 'product' (product/<guid>) is required.")
  const guid = product.split('/')[1] ?? ''
  if (!store.get(`product/${guid}`)) throw new PiError(404, `Product '${product}' was not found.`)
  const externalId = ctx.query.get('externalId')
  const plans = store
    .productResources(guid)
    .filter(r => r.id.startsWith('plan/'))
    .filter(
      r => !externalId || (r.identity as { externalId?: string } | undefined)?.externalId === externalId
    )
  return page(ctx, plans)
}

/** `$maxpagesize` pages with an opaque absolute `@nextLink` (docs/partner-center-api.md §2.3). */
function page(ctx: RequestContext, items: unknown[]): Reply {
  const size = Number(ctx.query.get('$maxpagesize') ?? '0')
  if (!size || size <= 0) return jsonReply(200, { value: items })
  const start = Number(ctx.query.get('continuationToken') ?? '0') || 0
  const value = items.slice(start, start + size)
  const body: Record<string, unknown> = { value }
  if (start + size < items.length) {
    const next = new URLSearchParams(ctx.query)
    next.set('continuationToken', String(start + size))
    body['@nextLink'] = `${ctx.origin}${ctx.path}?${next.toString()}`
  }
  return jsonReply(200, body)
}

/**
 * The draft, or what is published in preview or live: the snapshot of the newest submission whose
 * phase for that target completed and succeeded. A live listing keeps its old content until a
 * submission's live phase is through.
 */
function resourceTree(ctx: RequestContext, store: PiStore): Reply {
  const guid = ctx.params.guid.toLowerCase()
  if (!store.get(`product/${guid}`)) throw new PiError(404, `Product 'product/${guid}' was not found.`)
  const targetType = ctx.query.get('targetType') ?? 'draft'
  let resources
  if (targetType === 'draft') resources = store.productResources(guid)
  else if (targetType === 'preview' || targetType === 'live') {
    const published = store
      .submissionsOf(guid)
      .filter(s =>
        phasesOf(s).some(
          p => p.targetType === targetType && p.endsAt <= store.now && p.outcome === 'succeeded'
        )
      )
    const latest = published[published.length - 1]
    if (!latest) throw new PiError(404, `Product 'product/${guid}' has no ${targetType} version yet.`)
    resources = latest.snapshot
  } else throw new PiError(400, `targetType '${targetType}' is not one of draft, preview, live.`)
  return jsonReply(200, { $schema: TREE_SCHEMA, root: `product/${guid}`, target: { targetType }, resources })
}

/** The draft handle, then one entry per submission phase: a submission that went live is listed twice. */
function listSubmissions(ctx: RequestContext, store: PiStore): Reply {
  const guid = ctx.params.guid.toLowerCase()
  if (!store.get(`product/${guid}`)) throw new PiError(404, `Product 'product/${guid}' was not found.`)
  const draft = draftSubmission(guid)
  const targetType = ctx.query.get('targetType')
  const entries = store
    .submissionsOf(guid)
    .flatMap(s => phasesOf(s).map(p => submissionResource(s, p, store.now)))
  const value = [draft, ...entries].filter(
    s => !targetType || (s.target as { targetType: string }).targetType === targetType
  )
  return page(ctx, value)
}

/** A submission read by id shows its newest phase (live once it went live). */
function latestPhase(s: SubmissionRecord, now: number): ReturnType<typeof submissionResource> {
  return submissionResource(s, s.live ?? s.preview, now)
}

function readResource(ctx: RequestContext, store: PiStore, depth: number): Reply {
  const id = Array.from({ length: depth }, (_, i) => ctx.params[`s${i}`])
    .join('/')
    .toLowerCase()
  if (id.startsWith('submission/')) {
    const [, guid, number] = id.split('/')
    const found = store.submissionsOf(guid).find(s => s.id.toLowerCase() === id)
    if (found) return jsonReply(200, latestPhase(found, store.now))
    if (number === '0' && store.get(`product/${guid}`)) return jsonReply(200, draftSubmission(guid))
  }
  const resource = store.get(id)
  if (!resource)
    throw new PiError(404, `Resource '${id}' was not found.`, [
      inner('resourceNotFound', `Resource '${id}' was not found.`, id)
    ])
  return jsonReply(200, resource)
}

/** The draft reference every product has (`submission/<guid>/0`): not a submission, the draft's handle. */
function draftSubmission(guid: string): {
  $schema: string
  id: string
  product: string
  target: { targetType: string }
} {
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
    id: `submission/${guid}/0`,
    product: `product/${guid}`,
    target: { targetType: 'draft' }
  }
}
