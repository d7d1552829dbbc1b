// Entra error bodies (docs/partner-center-api.md §3.5): error, error_description with the trailing
// "\r\nTrace ID … \r\nCorrelation ID … \r\nTimestamp …", error_codes, timestamp, trace_id,
// correlation_id, error_uri. Texts follow the real AADSTS messages.
import { newGuid } from '../ids.js'
import { jsonReply, type Reply } from '../http/reply.js'

export interface EntraError {
  status: number
  error: string
  code: number
  text: string
}

function timestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
}

export function entraErrorReply(e: EntraError): Reply {
  const trace = newGuid()
  const correlation = newGuid()
  const ts = timestamp()
  return jsonReply(
    e.status,
    {
      error: e.error,
      error_description: `AADSTS${e.code}: ${e.text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${ts}`,
      error_codes: [e.code],
      timestamp: ts,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${e.code}`
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' }
  )
}

export const E = {
  tenantNotFound: (tenant: string): EntraError => ({
    status: 400,
    error: 'invalid_tenant',
    code: 90002,
    text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
  }),
  unsupportedGrant: (grant: string): EntraError => ({
    status: 400,
    error: 'unsupported_grant_type',
    code: 70003,
    text: `The app requested an unsupported grant type '${grant}'.`
  }),
  missingParam: (name: string): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    text: `The request body must contain the following parameter: '${name}'.`
  }),
  appNotFound: (clientId: string, tenantName: string): EntraError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    text: `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
  }),
  appDisabled: (clientId: string, name: string): EntraError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 7000112,
    text: `Application '${clientId}'(${name}) is disabled.`
  }),
  invalidScope: (scope: string): EntraError => ({
    status: 400,
    error: 'invalid_scope',
    code: 70011,
    text: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. The .default scope must be used with the client credentials flow (e.g. https://api.partner.microsoft.com/.default).`
  }),
  unknownResource: (resource: string, tenantName: string): EntraError => ({
    status: 400,
    error: 'invalid_resource',
    code: 500011,
    text: `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`
  }),
  noCredential: (): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000218,
    text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
  }),
  invalidSecret: (clientId: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`
  }),
  expiredSecret: (clientId: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000222,
    text: `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`
  }),
  assertionUnsupported: (clientId: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    text: `Client assertion failed signature validation. (Reason - The key was not found.) Trace: app '${clientId}' has no certificate or federated credential that matches the presented assertion.`
  })
}
