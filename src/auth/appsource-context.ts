/**
 * `appsource-context`: the `AppSourceContext` secret that AL-Go for GitHub and BcContainerHelper
 * users already keep (docs/partner-center-api.md §8), so that they need no new secret. Compact JSON:
 * `{"clientID", "clientSecret", "tenantID", "scopes"}` for a client secret, or `{"clientID", "tenantID",
 * "scopes"}` for federated (GitHub OIDC) sign-in. Keys are matched case-insensitively (both AL-Go's
 * `clientID` and `clientId` spellings occur). A base64-encoded value is accepted too: AL-Go passes
 * secrets between its own steps that way.
 *
 * Only the parsing lives here; src/inputs.ts reads the input, masks it and merges the result with
 * `tenant-id`, `client-id` and `client-secret`.
 */

export interface AppSourceContext {
  tenantId: string
  clientId: string
  /** Absent for federated sign-in. */
  clientSecret?: string
}

/** What is wrong with the value; the caller names the input. Never quotes the value (it is a secret). */
export class AppSourceContextError extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
  }
}

const KNOWN = ['clientid', 'clientsecret', 'tenantid', 'scopes']
/** BcContainerHelper's interactive and other flows: no use in a workflow run. */
const INTERACTIVE = ['refreshtoken', 'devicecode', 'includedevicelogin', 'username', 'password']
const PARTNER_CENTER_SCOPE = 'https://api.partner.microsoft.com/.default'

export function parseAppSourceContext(value: string): AppSourceContext {
  const text = value.trim()
  const json = text.startsWith('{') ? text : decodeBase64(text)
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new AppSourceContextError('is not JSON (nor base64-encoded JSON).', SHAPE_HINT)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppSourceContextError('is not a JSON object.', SHAPE_HINT)
  }
  const fields = new Map<string, unknown>()
  for (const [key, field] of Object.entries(parsed)) {
    const lower = key.toLowerCase()
    if (INTERACTIVE.includes(lower)) {
      throw new AppSourceContextError(
        `holds '${key}', an interactive sign-in that cannot run in a workflow.`,
        'Use an AppSourceContext with clientID, tenantID and clientSecret, or with clientID and tenantID only for GitHub OIDC (a federated credential on the app).'
      )
    }
    if (!KNOWN.includes(lower)) {
      throw new AppSourceContextError(
        `holds '${key}', which is not one of clientID, clientSecret, tenantID, scopes.`,
        SHAPE_HINT
      )
    }
    if (fields.has(lower))
      throw new AppSourceContextError(`holds '${key}' twice (keys are case-insensitive).`)
    fields.set(lower, field)
  }
  const text_ = (name: string, label: string, required: boolean): string | undefined => {
    const field = fields.get(name)
    if (field === undefined || field === null || field === '') {
      if (required) throw new AppSourceContextError(`has no ${label}.`, SHAPE_HINT)
      return undefined
    }
    if (typeof field !== 'string')
      throw new AppSourceContextError(`has a ${label} that is not a string.`, SHAPE_HINT)
    return field.trim()
  }
  const scopes = fields.get('scopes')
  if (scopes !== undefined && scopes !== null && scopes !== '') {
    const list = typeof scopes === 'string' ? [scopes] : Array.isArray(scopes) ? scopes : undefined
    if (
      !list ||
      !list.every(
        s =>
          typeof s === 'string' && s.trim().replace(/\/+$/, '') === PARTNER_CENTER_SCOPE.replace(/\/+$/, '')
      )
    ) {
      throw new AppSourceContextError(
        `has scopes other than ${PARTNER_CENTER_SCOPE}, the only scope Partner Center ingestion takes.`
      )
    }
  }
  return {
    tenantId: text_('tenantid', 'tenantID', true)!,
    clientId: text_('clientid', 'clientID', true)!,
    clientSecret: text_('clientsecret', 'clientSecret', false)
  }
}

const SHAPE_HINT =
  'Give the AppSourceContext secret as AL-Go stores it: {"clientID":"…","tenantID":"…","clientSecret":"…","scopes":"https://api.partner.microsoft.com/.default"} (leave clientSecret out for GitHub OIDC).'

function decodeBase64(text: string): string {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return text
  return Buffer.from(text, 'base64').toString('utf8')
}
