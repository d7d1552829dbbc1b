// Entra token endpoints on the emulator's origin:
//   POST /{tenant}/oauth2/v2.0/token  (scope=<resource>/.default; integer expires_in)
//   POST /{tenant}/oauth2/token       (resource=<resource>; v1 shape, numerics as strings)
// Only the client-credentials grant exists. Check order (chosen, the real order is not documented):
// tenant → grant_type → client_id → scope/resource shape → app disabled → credential → resource known.
import type { RequestContext, Router } from '../http/router.js'
import { jsonReply, type Reply } from '../http/reply.js'
import type { EmulatorState } from '../state.js'
import type { SeedApp, SeedTenant } from '../types.js'
import { E, entraErrorReply, type EntraError } from './errors.js'
import type { TokenSigner } from './jwt.js'

export const KNOWN_RESOURCES = ['https://api.partner.microsoft.com', 'https://graph.microsoft.com']

export interface ClientAssertionInput {
  tenant: SeedTenant
  app: SeedApp
  assertion: string
  assertionType: string | undefined
  /** the token endpoint URL the client called (expected `aud` of a certificate assertion) */
  tokenEndpoint: string
}

/** Certificate / federated-credential checks are plugged in later (issue 5). Return an error to refuse. */
export type ClientAssertionValidator = (input: ClientAssertionInput) => EntraError | undefined

export interface EntraDeps {
  state: EmulatorState
  signer: TokenSigner
  /** when unset, every client_assertion is refused with AADSTS700027 */
  assertionValidator?: () => ClientAssertionValidator | undefined
}

type Outcome =
  { ok: true; tenant: SeedTenant; app: SeedApp; resource: string } | { ok: false; error: EntraError }

function basicAuth(ctx: RequestContext): { id?: string; secret?: string } {
  const h = ctx.req.headers.authorization
  if (!h || !/^basic /i.test(h)) return {}
  const raw = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8')
  const i = raw.indexOf(':')
  if (i < 0) return {}
  return { id: decodeURIComponent(raw.slice(0, i)), secret: decodeURIComponent(raw.slice(i + 1)) }
}

function normalizeResource(r: string): string {
  return r.replace(/\/+$/, '')
}

function authenticate(deps: EntraDeps, ctx: RequestContext, form: URLSearchParams, v2: boolean): Outcome {
  const tenantKey = ctx.params.tenant ?? ''
  const tenant = deps.state.findTenant(tenantKey)
  if (!tenant) return { ok: false, error: E.tenantNotFound(tenantKey) }
  const tenantName = tenant.displayName ?? tenant.domains[0] ?? tenant.id

  const grant = form.get('grant_type')
  if (!grant) return { ok: false, error: E.missingParam('grant_type') }
  if (grant !== 'client_credentials') return { ok: false, error: E.unsupportedGrant(grant) }

  const basic = basicAuth(ctx)
  const clientId = form.get('client_id') ?? basic.id
  if (!clientId) return { ok: false, error: E.missingParam('client_id') }
  const app = tenant.apps.find(a => a.clientId.toLowerCase() === clientId.toLowerCase())
  if (!app) return { ok: false, error: E.appNotFound(clientId, tenantName) }

  let resource: string
  if (v2) {
    const scope = form.get('scope')
    if (!scope) return { ok: false, error: E.missingParam('scope') }
    const scopes = scope.trim().split(/\s+/)
    if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default'))
      return { ok: false, error: E.invalidScope(scope) }
    resource = normalizeResource(scopes[0]!.slice(0, -'/.default'.length))
  } else {
    const r = form.get('resource')
    if (!r) return { ok: false, error: E.missingParam('resource') }
    resource = normalizeResource(r)
  }

  if (app.disabled) return { ok: false, error: E.appDisabled(app.clientId, app.displayName) }

  const secret = form.get('client_secret') ?? basic.secret
  const assertion = form.get('client_assertion')
  if (secret !== null && secret !== undefined && secret !== '') {
    const match = app.secrets.find(s => s.value === secret)
    if (!match) return { ok: false, error: E.invalidSecret(app.clientId) }
    if (match.expired) return { ok: false, error: E.expiredSecret(app.clientId) }
  } else if (assertion) {
    const validator = deps.assertionValidator?.()
    const err = validator
      ? validator({
          tenant,
          app,
          assertion,
          assertionType: form.get('client_assertion_type') ?? undefined,
          tokenEndpoint: `${ctx.origin}${ctx.path}`
        })
      : E.assertionUnsupported(app.clientId)
    if (err) return { ok: false, error: err }
  } else {
    return { ok: false, error: E.noCredential() }
  }

  if (!KNOWN_RESOURCES.includes(resource))
    return { ok: false, error: E.unknownResource(resource, tenantName) }
  return { ok: true, tenant, app, resource }
}

async function handle(deps: EntraDeps, ctx: RequestContext, v2: boolean): Promise<Reply> {
  const ct = String(ctx.req.headers['content-type'] ?? '')
  const text = await ctx.text()
  if (!/application\/x-www-form-urlencoded/i.test(ct)) {
    return entraErrorReply({
      status: 400,
      error: 'invalid_request',
      code: 900144,
      text: "The request body must contain the following parameter: 'grant_type'. (Content-Type must be application/x-www-form-urlencoded.)"
    })
  }
  const form = new URLSearchParams(text)
  const r = authenticate(deps, ctx, form, v2)
  if (!r.ok) return entraErrorReply(r.error)

  const lifetime = deps.state.config.tokenLifetimeSeconds
  // Token lifetimes are wall-clock (clients compare exp with their own clock), not scaled.
  const now = Math.floor(Date.now() / 1000)
  const token = deps.signer.sign({
    aud: r.resource,
    iss: `https://sts.windows.net/${r.tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: r.app.clientId,
    tid: r.tenant.id,
    oid: r.app.clientId,
    sub: r.app.clientId,
    idtyp: 'app',
    ver: '1.0'
  })
  const headers = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' }
  if (v2) {
    return jsonReply(
      200,
      { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token },
      headers
    )
  }
  return jsonReply(
    200,
    {
      token_type: 'Bearer',
      expires_in: String(lifetime),
      ext_expires_in: String(lifetime),
      expires_on: String(now + lifetime),
      not_before: String(now),
      resource: r.resource,
      access_token: token
    },
    headers
  )
}

export function registerEntraRoutes(router: Router, deps: EntraDeps): void {
  router.post('/:tenant/oauth2/v2.0/token', ctx => handle(deps, ctx, true))
  router.post('/:tenant/oauth2/token', ctx => handle(deps, ctx, false))
}
