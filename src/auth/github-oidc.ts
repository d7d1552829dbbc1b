import * as core from '@actions/core'
import { ActionError } from '../errors.js'
import { registerSecret } from '../http/redact.js'
import { log } from '../log.js'

/** The non-secret claims of a GitHub OIDC token, logged to help match the federated credential. */
export interface OidcClaims {
  iss?: string
  sub?: string
  aud?: string
  exp?: number
  job_workflow_ref?: string
}

export interface OidcToken {
  token: string
  claims: OidcClaims
}

export type IdTokenFetcher = (audience: string) => Promise<string>

/** Fetches the runner's OIDC token (needs `permissions: id-token: write`). */
export async function fetchGitHubOidcToken(
  audience: string,
  fetcher: IdTokenFetcher = aud => core.getIDToken(aud),
  env: NodeJS.ProcessEnv = process.env
): Promise<OidcToken> {
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new ActionError(
      'No client secret or certificate was given, and GitHub OIDC is not available to this job.',
      {
        hint: 'Add `permissions: id-token: write` to the workflow or job to sign in without secrets (and a federated credential to the app registration), or pass `client-secret` or `client-certificate`.'
      }
    )
  }
  let token: string
  try {
    token = await fetcher(audience)
  } catch (error) {
    throw new ActionError(
      `Could not get a GitHub OIDC token for audience '${audience}': ${(error as Error).message}`,
      {
        hint: 'Check `permissions: id-token: write`, and that the `audience` input matches the federated credential (default api://AzureADTokenExchange).',
        cause: error
      }
    )
  }
  registerSecret(token)
  log.mask(token)
  return { token, claims: decodeClaims(token) }
}

export function decodeClaims(jwt: string): OidcClaims {
  const payload = jwt.split('.')[1]
  if (!payload) return {}
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
    const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud
    return {
      iss: typeof claims.iss === 'string' ? claims.iss : undefined,
      sub: typeof claims.sub === 'string' ? claims.sub : undefined,
      aud: typeof aud === 'string' ? aud : undefined,
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
      job_workflow_ref: typeof claims.job_workflow_ref === 'string' ? claims.job_workflow_ref : undefined
    }
  } catch {
    return {}
  }
}
