// v1 ingestion API: mounts the resource modules under /v1.0/ingestion behind the bearer-token gate,
// turns IngestionError into ICH string bodies and adds the `request-id` header every answer carries.
import type { Handler, RequestContext, Router } from '../http/router.js'
import type { Reply } from '../http/reply.js'
import { newGuid } from '../ids.js'
import type { TokenSigner } from '../entra/jwt.js'
import type { EmulatorState } from '../state.js'
import type { SasSigner } from '../blob/sas.js'
import type { BlobStore } from '../blob/store.js'
import { authorize } from './auth.js'
import { ichError, IngestionError } from './errors.js'
import { INGESTION_PREFIX, type ScopedRouter } from './common.js'
import { registerProductRoutes } from './products.js'
import { registerBranchRoutes } from './branches.js'
import { registerVariantRoutes } from './variants.js'
import { registerModuleRoutes } from './modules.js'
import { registerPackageRoutes } from './packages.js'
import { registerSubmissionRoutes } from './submissions.js'

export interface IngestionDeps {
  state: EmulatorState
  signer: TokenSigner
  sas: SasSigner
  store: BlobStore
}

export function withRequestId(reply: Reply): Reply {
  reply.headers['request-id'] ??= newGuid()
  return reply
}

/** Maps thrown IngestionErrors to ICH replies; anything else becomes a 500 ICH reply. */
export function ingestionErrorReply(e: unknown): Reply {
  if (e instanceof IngestionError) return ichError(e.status, e.data, e.headers)
  return ichError(500, { Exception: [(e as Error)?.message ?? String(e)] })
}

/**
 * The same error as the service's bare sentences (behaviour 'plain-text-errors',
 * docs/partner-center-api.md §7.9): no ICH code, no JSON, just text.
 */
export function plainTextErrorReply(e: unknown): Reply {
  const status = e instanceof IngestionError ? e.status : 500
  const text =
    e instanceof IngestionError ? Object.values(e.data).flat().join(' ') : String((e as Error)?.message ?? e)
  return {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      ...(e instanceof IngestionError ? e.headers : {})
    },
    body: text || 'An error has occurred.'
  }
}

const PUBLISHER_ID_MESSAGE = 'PublisherId is a required header, and must be a positive number.'

/** Behaviour 'publisher-id-required' (docs/partner-center-api.md §7.4): the header, a positive number. */
function checkPublisherId(ctx: RequestContext): void {
  const raw = ctx.req.headers['x-ms-publisherid']
  const value = typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d+$/.test(value) || !/[1-9]/.test(value))
    throw new IngestionError(400, { 'x-ms-publisherId': [PUBLISHER_ID_MESSAGE] })
}

/** A router view that prefixes paths and wraps handlers with a gate + error mapping. */
export function scopedRouter(router: Router, prefix: string, gate: (h: Handler) => Handler): ScopedRouter {
  return {
    get: (p, h) => router.get(prefix + p, gate(h)),
    post: (p, h) => router.post(prefix + p, gate(h)),
    put: (p, h) => router.put(prefix + p, gate(h)),
    delete: (p, h) => router.delete(prefix + p, gate(h))
  }
}

export function registerIngestionRoutes(router: Router, deps: IngestionDeps): void {
  const gate =
    (h: Handler): Handler =>
    async ctx => {
      try {
        authorize(ctx, deps.state, deps.signer)
        if (deps.state.behaves('publisher-id-required')) checkPublisherId(ctx)
        return withRequestId(await h(ctx))
      } catch (e) {
        return withRequestId(
          deps.state.behaves('plain-text-errors') ? plainTextErrorReply(e) : ingestionErrorReply(e)
        )
      }
    }
  const r = scopedRouter(router, INGESTION_PREFIX, gate)
  registerProductRoutes(r, deps.state)
  registerBranchRoutes(r, deps.state)
  registerVariantRoutes(r, deps.state)
  registerModuleRoutes(r, deps.state)
  registerPackageRoutes(r, deps)
  registerSubmissionRoutes(r, deps.state)
}
