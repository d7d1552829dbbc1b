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
import { parseSchemaUri } from '../../src/product-ingestion/schemas.js'
import { formatPath } from '../../src/files/json-schema.js'
import { validateResources } from '../../src/commands/product-ingestion/validate-resources.js'
import { applyJob, labelOf, submissionResource } from './apply.js'
import { inner, PiError, piErrorReply } from './errors.js'
import { PI_TIMINGS, storeOf, type JobRecord, type PiStore } from './store.js'

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
  get('/plan', (ctx, store) => listPlans(ctx, store))
  get('/resource-tree/product/:guid', (ctx, store) => resourceTree(ctx, store))
  get('/submission/:guid', (ctx, store) => listSubmissions(ctx, store))
  get('/configure/:job/status', (ctx, store) =>
    jsonReply(200, statusBody(findJob(store, ctx.params.job), store.now))
  )
  get('/configure/:job', (ctx, store) => jobDetail(findJob(store, ctx.params.job), store.now))
  post('/configure/:job/cancel', (ctx, store) => cancelJob(findJob(store, ctx.params.job), store.now))
  post('/configure', (ctx, store) => startConfigure(ctx, store))
  // Any durable ID: `product/<g>`, `plan/<g>/<g>`, `listing/<g>/public/main/default/en-us`, …
  for (let depth = 2; depth <= 7; depth++) {
    const pattern = Array.from({ length: depth }, (_, i) => `/:s${i}`).join('')
    get(pattern, (ctx, store) => readResource(ctx, store, depth))
  }
}

/** Jobs complete in creation order once their time has come; applying is what makes them visible. */
function settleJobs(store: PiStore): void {
  const now = store.now
  for (const job of store.jobs.values()) {
    if (job.result) continue
    const end = job.createdAt + PI_TIMINGS.jobQueued + PI_TIMINGS.jobRunning
    if (end > now) break
    applyJob(store, job, end)
  }
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
function jobDetail(job: JobRecord, now: number): Reply {
  if (!job.result)
    throw new PiError(
      400,
      `Configure job '${job.id}' has not completed yet (${String(statusBody(job, now).jobStatus)}); read its status.`
    )
  if (job.result !== 'succeeded')
    throw new PiError(404, `Configure job '${job.id}' ${job.result}; it has no resources.`)
  return jsonReply(200, { $schema: DETAIL_SCHEMA, jobId: job.id, resources: job.applied })
}

function cancelJob(job: JobRecord, now: number): Reply {
  if (job.result) throw new PiError(400, 'Cannot cancel job, job has already completed.')
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
  const problems = validateResources(resources)
  if (problems.length) {
    throw new PiError(
      400,
      'The request failed schema validation.',
      problems.map(p => {
        const resource = resources[p.resource]
        const label =
          resource && typeof resource === 'object'
            ? labelOf(resource as Record<string, unknown>, p.resource)
            : `resources[${p.resource}]`
        return inner(
          'schemaValidationError',
          `${formatPath(['resources', p.resource, ...p.path])}: ${p.message}`,
          label
        )
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

function resourceTree(ctx: RequestContext, store: PiStore): Reply {
  const guid = ctx.params.guid.toLowerCase()
  if (!store.get(`product/${guid}`)) throw new PiError(404, `Product 'product/${guid}' was not found.`)
  const targetType = ctx.query.get('targetType') ?? 'draft'
  let resources
  if (targetType === 'draft') resources = store.productResources(guid)
  else if (targetType === 'preview' || targetType === 'live') {
    const done = store.submissionsOf(guid).filter(s => s.targetType === targetType && s.endsAt <= store.now)
    const latest = done[done.length - 1]
    if (!latest) throw new PiError(404, `Product 'product/${guid}' has no ${targetType} version yet.`)
    resources = latest.snapshot
  } else throw new PiError(400, `targetType '${targetType}' is not one of draft, preview, live.`)
  return jsonReply(200, { $schema: TREE_SCHEMA, root: `product/${guid}`, target: { targetType }, resources })
}

function listSubmissions(ctx: RequestContext, store: PiStore): Reply {
  const guid = ctx.params.guid.toLowerCase()
  if (!store.get(`product/${guid}`)) throw new PiError(404, `Product 'product/${guid}' was not found.`)
  const draft = draftSubmission(guid)
  const targetType = ctx.query.get('targetType')
  const value = [draft, ...store.submissionsOf(guid).map(s => submissionResource(s, store.now))].filter(
    s => !targetType || (s.target as { targetType: string }).targetType === targetType
  )
  return page(ctx, value)
}

function readResource(ctx: RequestContext, store: PiStore, depth: number): Reply {
  const id = Array.from({ length: depth }, (_, i) => ctx.params[`s${i}`])
    .join('/')
    .toLowerCase()
  if (id.startsWith('submission/')) {
    const [, guid, number] = id.split('/')
    const found = store.submissionsOf(guid).find(s => s.id.toLowerCase() === id)
    if (found) return jsonReply(200, submissionResource(found, store.now))
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
