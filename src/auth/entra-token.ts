import { ActionError } from '../errors.js'
import { HttpError } from '../http/http-error.js'
import type { Transport } from '../http/transport.js'
import { registerSecret } from '../http/redact.js'
import { joinUrl } from '../http/url-policy.js'
import { entraHint, type SignInContext } from './entra-errors.js'

export interface AccessToken {
  token: string
  /** Epoch milliseconds. */
  expiresOn: number
  /** How long it was valid for when issued. */
  lifetimeMs: number
}

/** Form fields that prove who we are: a secret, or a signed assertion. */
export type ClientCredentialFields =
  | { client_secret: string }
  | {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      client_assertion: string
    }

export interface TokenRequest {
  authorityHost: string
  tenantId: string
  clientId: string
  /** Resource, e.g. `https://api.partner.microsoft.com`; `/.default` is appended. */
  resource: string
  credential: ClientCredentialFields
  context: SignInContext
}

/** The v2 token endpoint of a tenant: where assertions are sent and what their `aud` names. */
export function tokenEndpoint(authorityHost: string, tenantId: string): string {
  return joinUrl(authorityHost, `${encodeURIComponent(tenantId)}/oauth2/v2.0/token`)
}

/** Client-credentials grant at the v2 endpoint. Accepts v1-style string numerics as well. */
export async function requestAccessToken(
  transport: Transport,
  request: TokenRequest,
  now = Date.now()
): Promise<AccessToken> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: request.clientId,
    scope: `${request.resource.replace(/\/+$/, '')}/.default`,
    ...request.credential
  })
  let body: Record<string, unknown>
  try {
    const response = await transport.request<Record<string, unknown>>({
      method: 'POST',
      url: tokenEndpoint(request.authorityHost, request.tenantId),
      operation: `Sign in to Microsoft Entra ID for ${request.resource}`,
      // A token request creates nothing; it is safe to send again.
      retry: 'idempotent',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString()
    })
    body = response.body ?? {}
  } catch (error) {
    throw signInError(error, request)
  }
  return parseTokenResponse(body, now)
}

export function parseTokenResponse(body: Record<string, unknown>, now = Date.now()): AccessToken {
  const token = body.access_token
  if (typeof token !== 'string' || !token) {
    throw new ActionError('Microsoft Entra ID answered without an access token.')
  }
  registerSecret(token)
  // v1 sends numbers as strings and adds `expires_on` (epoch seconds); v2 sends integers.
  const expiresOn = Number(body.expires_on)
  const expiresIn = Number(body.expires_in)
  let expiry = now + 3599_000
  if (Number.isFinite(expiresOn) && expiresOn > 0) expiry = expiresOn * 1000
  else if (Number.isFinite(expiresIn) && expiresIn > 0) expiry = now + expiresIn * 1000
  return { token, expiresOn: expiry, lifetimeMs: Math.max(0, expiry - now) }
}

/** The AADSTS code of a failed sign-in, if the service gave one. */
export function entraCode(error: unknown): number | undefined {
  if (!(error instanceof HttpError)) return undefined
  const codes = error.details.api.entraCodes
  if (codes?.length) return codes[0]
  const match = /AADSTS(\d+)/.exec(error.details.api.message ?? '')
  return match ? Number(match[1]) : undefined
}

function signInError(error: unknown, request: TokenRequest): unknown {
  if (!(error instanceof HttpError)) return error
  const code = entraCode(error)
  const hint = entraHint(code, request.context)
  // A redirect or an answer that is not JSON is explained by the transport's own message.
  const explained = error.details.problem !== undefined || error.details.redirectTo !== undefined
  const reason =
    error.details.api.message ??
    (explained ? error.message : error.status ? `HTTP ${error.status}` : error.details.networkCode)
  const message = `Sign-in to Microsoft Entra ID failed (${request.context.credentialKind}, tenant ${request.tenantId}, client ${request.clientId}): ${reason}`
  if (error.status === undefined) {
    return new ActionError(`${message}. ${error.message}`, {
      hint: "Check `authority-host` and the runner's network access to it.",
      cause: error
    })
  }
  return Object.assign(new ActionError(message, { hint, cause: error }), { entraCode: code })
}
