// Shared helpers of the v1 handlers: body parsing (property names are matched case-insensitively,
// as the service accepts `ID`, `SubType`, `State`, `externalIds`), ETag preconditions, and the
// response headers every v1 answer carries.
import type { Handler, RequestContext } from '../http/router.js'
import { jsonReply, type Reply } from '../http/reply.js'
import { badRequest, IngestionError } from './errors.js'
import type { EmulatorState, Product } from '../state.js'

export const INGESTION_PREFIX = '/v1.0/ingestion'

export async function readJson(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = await ctx.text()
  if (text.trim() === '') throw badRequest('body', 'A non-empty request body is required.')
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw badRequest('body', 'The request body is not valid JSON.')
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw badRequest('body', 'The request body must be a JSON object.')
  return v as Record<string, unknown>
}

/** Case-insensitive property read. */
export function prop(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k]
  return undefined
}

export function str(obj: Record<string, unknown>, name: string): string | undefined {
  const v = prop(obj, name)
  return typeof v === 'string' ? v : undefined
}

/**
 * Top-level keys are rewritten to their canonical spelling when they match a known one
 * case-insensitively (`ID` → `id`, `SubType` → `subType`), so a full-replace PUT stores what a
 * GET of the real service would return.
 */
export function canonicalize(
  body: Record<string, unknown>,
  known: readonly string[]
): Record<string, unknown> {
  const map = new Map(known.map(k => [k.toLowerCase(), k]))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(body)) {
    if (k === '@odata.etag' || k.toLowerCase() === 'id') continue
    out[map.get(k.toLowerCase()) ?? k] = v
  }
  return out
}

export function baseUrl(ctx: RequestContext): string {
  return `${ctx.origin}${INGESTION_PREFIX}`
}

/** 200 with `etag` header equal to `@odata.etag`. */
export function entityReply(
  status: number,
  body: Record<string, unknown>,
  extra: Record<string, string> = {}
): Reply {
  const etag = body['@odata.etag']
  return jsonReply(status, body, typeof etag === 'string' ? { etag, ...extra } : extra)
}

export function createdReply(body: Record<string, unknown>, location: string): Reply {
  return entityReply(201, body, { location })
}

/**
 * If-Match rules for module PUTs (SPEC declares the header required): missing → 400;
 * `*` → accepted; otherwise it must equal the current ETag, else 412.
 */
export function checkIfMatch(ctx: RequestContext, currentEtag: string, required: boolean): void {
  const header: unknown = ctx.req.headers['if-match']
  const v = typeof header === 'string' ? header : undefined
  if (v === undefined || v.trim() === '') {
    if (required)
      throw badRequest(
        'If-Match',
        "The If-Match header is required. Send the entity's @odata.etag, or * to overwrite."
      )
    return
  }
  if (v.trim() === '*') return
  const candidates = v.split(',').map((s: string) => s.trim().replace(/^W\//, ''))
  if (!candidates.includes(currentEtag)) {
    throw new IngestionError(412, {
      'If-Match': [
        `The entity has been modified: the ETag ${v.trim()} does not match the current ETag ${currentEtag}. Read it again and retry.`
      ]
    })
  }
}

export function requireProduct(state: EmulatorState, id: string): Product {
  const p = state.getProduct(id)
  if (!p) throw new IngestionError(404, { productID: [`The product with id '${id}' was not found.`] })
  return p
}

/** Router view used by the v1 modules: paths are relative to /v1.0/ingestion. */
export interface ScopedRouter {
  get(path: string, h: Handler): unknown
  post(path: string, h: Handler): unknown
  put(path: string, h: Handler): unknown
  delete(path: string, h: Handler): unknown
}
