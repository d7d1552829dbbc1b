// Azure Blob Storage subset behind the package SAS URLs: Put Blob, Put Block, Put Block List,
// Get/Head Blob. Headers and XML error bodies follow Azure Storage (docs/partner-center-api.md §1.9, recorded Put Blob).
import type { RequestContext, Router } from '../http/router.js'
import { emptyReply, type Reply } from '../http/reply.js'
import { newGuid } from '../ids.js'
import { createReadStream } from 'node:fs'
import { FRONT_DOOR_PREFIX, type SasSigner } from './sas.js'
import { TooLargeError, type BlobStore } from './store.js'

export interface BlobServiceOptions {
  store: BlobStore
  sas: SasSigner
  /**
   * largest Put Blob body; when not set, what Azure allows for the request's x-ms-version: 5000 MiB
   * from 2019-12-12, 256 MiB from 2016-05-31, 64 MiB before (docs/partner-center-api.md §1.9)
   */
  maxPutBlobBytes?: number
  /** largest Put Block body (4000 MiB on current versions) */
  maxBlockBytes: number
  /** called after a blob is committed (packages use it to know an upload happened) */
  onCommitted?: (container: string, name: string) => void
}

const XML_ERRORS: Record<string, { status: number; message: string }> = {
  AuthenticationFailed: {
    status: 403,
    message:
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
  },
  AuthorizationPermissionMismatch: {
    status: 403,
    message: 'This request is not authorized to perform this operation using this permission.'
  },
  MissingRequiredHeader: {
    status: 400,
    message: "An HTTP header that's mandatory for this request is not specified."
  },
  InvalidHeaderValue: {
    status: 400,
    message: 'The value for one of the HTTP headers is not in the correct format.'
  },
  RequestBodyTooLarge: {
    status: 413,
    message: 'The request body is too large and exceeds the maximum permissible limit.'
  },
  Md5Mismatch: {
    status: 400,
    message:
      'The MD5 value specified in the request did not match with the MD5 value calculated by the server.'
  },
  InvalidQueryParameterValue: {
    status: 400,
    message: 'Value for one of the query parameters specified in the request URI is invalid.'
  },
  InvalidBlockList: { status: 400, message: 'The specified block list is invalid.' },
  InvalidXmlDocument: { status: 400, message: 'XML specified is not syntactically valid.' },
  BlobNotFound: { status: 404, message: 'The specified blob does not exist.' },
  BlobAlreadyExists: { status: 409, message: 'The specified blob already exists.' },
  UnsupportedHttpVerb: { status: 405, message: "The resource doesn't support specified Http Verb." }
}

function commonHeaders(ctx: RequestContext, requestId: string): Record<string, string> {
  return {
    server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
    'x-ms-request-id': requestId,
    'x-ms-version': String(ctx.req.headers['x-ms-version'] ?? '2021-08-06'),
    date: new Date().toUTCString()
  }
}

function xmlError(ctx: RequestContext, code: keyof typeof XML_ERRORS, extra = ''): Reply {
  const e = XML_ERRORS[code]!
  const requestId = newGuid()
  const body =
    `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${e.message}\n` +
    `RequestId:${requestId}\nTime:${new Date().toISOString()}</Message>${extra}</Error>`
  return {
    status: e.status,
    headers: { ...commonHeaders(ctx, requestId), 'content-type': 'application/xml', 'x-ms-error-code': code },
    body
  }
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Drains a request body we refuse, so the connection stays usable. */
function drain(ctx: RequestContext): void {
  ctx.req.resume()
}

const MiB = 1024 * 1024

/** Azure's Put Blob limit for a service version (ISO dates compare as strings). */
function putBlobLimit(o: BlobServiceOptions, ctx: RequestContext): number {
  if (o.maxPutBlobBytes !== undefined) return o.maxPutBlobBytes
  const version = header(ctx, 'x-ms-version') ?? ''
  if (version >= '2019-12-12') return 5000 * MiB
  if (version >= '2016-05-31') return 256 * MiB
  return 64 * MiB
}

async function putBlob(
  o: BlobServiceOptions,
  ctx: RequestContext,
  container: string,
  name: string
): Promise<Reply> {
  const maxPutBlobBytes = putBlobLimit(o, ctx)
  const type = header(ctx, 'x-ms-blob-type')
  if (type === undefined) {
    drain(ctx)
    return xmlError(ctx, 'MissingRequiredHeader', '<HeaderName>x-ms-blob-type</HeaderName>')
  }
  if (type !== 'BlockBlob') {
    drain(ctx)
    return xmlError(
      ctx,
      'InvalidHeaderValue',
      `<HeaderName>x-ms-blob-type</HeaderName><HeaderValue>${type}</HeaderValue>`
    )
  }
  const declared = Number(header(ctx, 'content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxPutBlobBytes) {
    // Refuse before reading a byte; close the connection rather than drain a huge body.
    const r = xmlError(ctx, 'RequestBodyTooLarge', `<MaxLimit>${maxPutBlobBytes}</MaxLimit>`)
    r.headers.connection = 'close'
    return r
  }
  if (header(ctx, 'if-none-match') === '*' && o.store.get(container, name)) {
    drain(ctx)
    return xmlError(ctx, 'BlobAlreadyExists')
  }
  let received
  try {
    received = await o.store.receive(ctx.req, maxPutBlobBytes)
  } catch (e) {
    if (e instanceof TooLargeError)
      return xmlError(ctx, 'RequestBodyTooLarge', `<MaxLimit>${maxPutBlobBytes}</MaxLimit>`)
    throw e
  }
  const md5 = header(ctx, 'content-md5')
  if (md5 !== undefined && md5 !== received.md5) {
    await o.store.discard(received.file)
    return xmlError(
      ctx,
      'Md5Mismatch',
      `<UserSpecifiedMd5>${md5}</UserSpecifiedMd5><ServerCalculatedMd5>${received.md5}</ServerCalculatedMd5>`
    )
  }
  const meta = await o.store.commitFile(container, name, received.file, {
    size: received.size,
    contentMd5: received.md5,
    contentType:
      header(ctx, 'x-ms-blob-content-type') ?? header(ctx, 'content-type') ?? 'application/octet-stream'
  })
  o.onCommitted?.(container, name)
  return emptyReply(201, {
    ...commonHeaders(ctx, newGuid()),
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'content-md5': received.md5,
    'x-ms-request-server-encrypted': 'true'
  })
}

function validBlockId(id: string | null): id is string {
  if (!id) return false
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(id) || id.length % 4 !== 0) return false
  return Buffer.from(id, 'base64').length <= 64
}

async function putBlock(
  o: BlobServiceOptions,
  ctx: RequestContext,
  container: string,
  name: string
): Promise<Reply> {
  const id = ctx.query.get('blockid')
  if (!validBlockId(id)) {
    drain(ctx)
    return xmlError(
      ctx,
      'InvalidQueryParameterValue',
      `<QueryParameterName>blockid</QueryParameterName><QueryParameterValue>${id ?? ''}</QueryParameterValue>`
    )
  }
  let received
  try {
    received = await o.store.receive(ctx.req, o.maxBlockBytes)
  } catch (e) {
    if (e instanceof TooLargeError)
      return xmlError(ctx, 'RequestBodyTooLarge', `<MaxLimit>${o.maxBlockBytes}</MaxLimit>`)
    throw e
  }
  const md5 = header(ctx, 'content-md5')
  if (md5 !== undefined && md5 !== received.md5) {
    await o.store.discard(received.file)
    return xmlError(
      ctx,
      'Md5Mismatch',
      `<UserSpecifiedMd5>${md5}</UserSpecifiedMd5><ServerCalculatedMd5>${received.md5}</ServerCalculatedMd5>`
    )
  }
  await o.store.stageBlock(container, name, id, received.file)
  return emptyReply(201, {
    ...commonHeaders(ctx, newGuid()),
    'content-md5': received.md5,
    'x-ms-request-server-encrypted': 'true'
  })
}

async function putBlockList(
  o: BlobServiceOptions,
  ctx: RequestContext,
  container: string,
  name: string
): Promise<Reply> {
  const xml = await ctx.text()
  const root = /<BlockList>([\s\S]*)<\/BlockList>/.exec(xml)
  if (!root) return xmlError(ctx, 'InvalidXmlDocument')
  const ids: string[] = []
  const re = /<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g
  let m: RegExpExecArray | null
  while ((m = re.exec(root[1]!)) !== null) ids.push(m[2]!.trim())
  if (ids.length === 0 || ids.some(id => !o.store.hasBlock(container, name, id)))
    return xmlError(ctx, 'InvalidBlockList')
  const meta = await o.store.commitBlocks(
    container,
    name,
    ids,
    header(ctx, 'x-ms-blob-content-type') ?? 'application/octet-stream'
  )
  o.onCommitted?.(container, name)
  return emptyReply(201, {
    ...commonHeaders(ctx, newGuid()),
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'x-ms-request-server-encrypted': 'true'
  })
}

function getBlob(o: BlobServiceOptions, ctx: RequestContext, container: string, name: string): Reply {
  const meta = o.store.get(container, name)
  if (!meta) return xmlError(ctx, 'BlobNotFound')
  const headers: Record<string, string> = {
    ...commonHeaders(ctx, newGuid()),
    'content-length': String(meta.size),
    'content-type': meta.contentType,
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-server-encrypted': 'true',
    'accept-ranges': 'bytes'
  }
  if (meta.contentMd5) headers['content-md5'] = meta.contentMd5
  if (ctx.method === 'HEAD') return { status: 200, headers }
  return { status: 200, headers, body: createReadStream(o.store.path(container, name)) }
}

async function handle(
  o: BlobServiceOptions,
  ctx: RequestContext,
  container: string,
  name: string,
  frontDoor = false
): Promise<Reply> {
  const auth = o.sas.check(container, name, ctx.query)
  if (!auth.ok) {
    drain(ctx)
    return xmlError(
      ctx,
      'AuthenticationFailed',
      auth.reason === 'expired'
        ? '<AuthenticationErrorDetail>Signed expiry time has passed.</AuthenticationErrorDetail>'
        : '<AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail>'
    )
  }
  const needs = ctx.method === 'PUT' ? 'w' : 'r'
  if (!auth.sp.includes(needs)) {
    drain(ctx)
    return xmlError(ctx, 'AuthorizationPermissionMismatch')
  }
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return getBlob(o, ctx, container, name)
  const comp = ctx.query.get('comp')
  if (frontDoor && comp !== null) {
    // Only a single Put Blob is known to pass Front Door (docs/partner-center-api.md §7.5).
    drain(ctx)
    return xmlError(
      ctx,
      'InvalidQueryParameterValue',
      `<QueryParameterName>comp</QueryParameterName><QueryParameterValue>${comp}</QueryParameterValue>`
    )
  }
  if (comp === 'block') return putBlock(o, ctx, container, name)
  if (comp === 'blocklist') return putBlockList(o, ctx, container, name)
  if (comp !== null) {
    drain(ctx)
    return xmlError(
      ctx,
      'InvalidQueryParameterValue',
      `<QueryParameterName>comp</QueryParameterName><QueryParameterValue>${comp}</QueryParameterValue>`
    )
  }
  return putBlob(o, ctx, container, name)
}

function direct(o: BlobServiceOptions, ctx: RequestContext): Promise<Reply> {
  return handle(o, ctx, ctx.params.container!, ctx.params.name!)
}

/** `/<token>/pkgfile-<name>`: the same blob, reached the way a Front Door URL reaches it. */
async function viaFrontDoor(o: BlobServiceOptions, ctx: RequestContext): Promise<Reply> {
  const container = o.sas.frontDoorContainer(ctx.params.token!)
  if (container === undefined) {
    drain(ctx)
    return xmlError(ctx, 'BlobNotFound')
  }
  return handle(o, ctx, container, ctx.params.name!, true)
}

export function registerBlobRoutes(router: Router, o: BlobServiceOptions): void {
  router.put('/blob/:container/:name', ctx => direct(o, ctx))
  router.get('/blob/:container/:name', ctx => direct(o, ctx))
  router.put(`/:token/${FRONT_DOOR_PREFIX}:name`, ctx => viaFrontDoor(o, ctx))
  router.get(`/:token/${FRONT_DOOR_PREFIX}:name`, ctx => viaFrontDoor(o, ctx))
}
