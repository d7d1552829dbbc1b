// Bearer-token gate of the v1 API: missing / malformed / foreign / expired / wrong-audience token → 401;
// app without a Partner Center role → 403; Developer role → reads only (stricter reading: Partner
// Center documents Manager for the ingestion API).
import type { RequestContext } from '../http/router.js'
import type { TokenSigner } from '../entra/jwt.js'
import type { EmulatorState } from '../state.js'
import { IngestionError } from './errors.js'

export const PARTNER_CENTER_RESOURCE = 'https://api.partner.microsoft.com'

const CHALLENGE = {
  'www-authenticate':
    'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"'
}

function unauthorized(message: string): IngestionError {
  return new IngestionError(401, { Authorization: [message] }, CHALLENGE)
}

export function authorize(
  ctx: RequestContext,
  state: EmulatorState,
  signer: TokenSigner,
  resource = PARTNER_CENTER_RESOURCE
): void {
  const h = ctx.req.headers.authorization
  if (!h) throw unauthorized('The Authorization header is missing. Send Authorization: Bearer <token>.')
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim())
  if (!m) throw unauthorized('The Authorization header must use the Bearer scheme.')
  const claims = signer.verify(m[1]!)
  if (!claims) throw unauthorized('The access token is invalid (bad signature or not a JWT).')
  const now = Math.floor(Date.now() / 1000)
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw unauthorized('The access token has expired.')
  if (typeof claims.nbf === 'number' && claims.nbf > now + 300)
    throw unauthorized('The access token is not yet valid.')
  if (claims.aud !== resource) {
    throw unauthorized(
      `The access token audience '${String(claims.aud)}' is invalid; expected '${resource}'.`
    )
  }
  const tenant = state.findTenant(String(claims.tid))
  const app = tenant?.apps.find(a => a.clientId === claims.appid)
  if (!tenant || !app || app.disabled)
    throw unauthorized('The access token was issued to an unknown or disabled application.')
  if (app.partnerCenterRole === null || app.partnerCenterRole === undefined) {
    throw new IngestionError(403, {
      Authorization: [
        `The application '${app.clientId}' has not been added to Partner Center. Add it under Account settings > User management > Microsoft Entra applications with the Manager role.`
      ]
    })
  }
  const write = ctx.method !== 'GET' && ctx.method !== 'HEAD'
  if (write && app.partnerCenterRole !== 'Manager') {
    throw new IngestionError(403, {
      Authorization: [
        `The application '${app.clientId}' has the ${app.partnerCenterRole} role; the Manager role is required to change offers.`
      ]
    })
  }
}
