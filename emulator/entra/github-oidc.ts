// A stand-in for the GitHub Actions OIDC token service (docs/partner-center-api.md §3.4), so that secretless sign-in
// can be rehearsed end to end:
//   GET /_github/oidc/token?api-version=2.0&audience=<aud>   Authorization: Bearer <request token>
// answers {"value":"<jwt>"} — an RS256 JWT signed with a per-run emulator key, iss
// https://token.actions.githubusercontent.com, sub/claims as configured (PUT /_emulator/github-oidc).
// Point ACTIONS_ID_TOKEN_REQUEST_URL at `${url}/_github/oidc/token?api-version=2.0` (it already has a
// query string, as on a runner: @actions/core appends `&audience=…`) and ACTIONS_ID_TOKEN_REQUEST_TOKEN
// at GITHUB_OIDC_REQUEST_TOKEN.
import { createHash, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto'
import { jsonReply } from '../http/reply.js'
import type { Router } from '../http/router.js'

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com'
/** Path of the token service; tests append `?api-version=2.0` like the runner's URL. */
export const GITHUB_OIDC_TOKEN_PATH = '/_github/oidc/token'
/** The bearer token the runner would put in ACTIONS_ID_TOKEN_REQUEST_TOKEN (fixed; not a secret). */
export const GITHUB_OIDC_REQUEST_TOKEN = 'emu-actions-id-token-request-token-0123456789'
export const DEFAULT_GITHUB_OIDC_REPOSITORY = 'contoso/contoso-app'
export const DEFAULT_GITHUB_OIDC_REF = 'refs/tags/v1.2.3'
export const DEFAULT_GITHUB_OIDC_SUBJECT = `repo:${DEFAULT_GITHUB_OIDC_REPOSITORY}:ref:${DEFAULT_GITHUB_OIDC_REF}`
/** GitHub's tokens are short-lived; practitioners report about 5 minutes. */
export const DEFAULT_GITHUB_OIDC_LIFETIME_SECONDS = 300

/** Body of PUT /_emulator/github-oidc. */
export interface GitHubOidcSettings {
  /** `sub`; when omitted: `repo:<repository>:environment:<environment>` or `repo:<repository>:ref:<ref>` */
  subject?: string
  repository?: string
  ref?: string
  environment?: string
  lifetimeSeconds?: number
}

interface Resolved {
  subject: string
  repository: string
  ref: string
  environment?: string
  lifetimeSeconds: number
}

export interface VerifiedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

const b64json = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

/** The emulator's GitHub OIDC issuer: one RSA key per run, settings back to defaults on reset. */
export class GitHubOidcIssuer {
  readonly issuer = GITHUB_OIDC_ISSUER
  readonly requestToken: string
  readonly kid: string
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  private current: Resolved = GitHubOidcIssuer.resolve({})

  constructor(requestToken = GITHUB_OIDC_REQUEST_TOKEN) {
    this.requestToken = requestToken
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    this.privateKey = privateKey
    this.publicKey = publicKey
    this.kid = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 40)
      .toUpperCase()
  }

  private static resolve(s: GitHubOidcSettings): Resolved {
    for (const k of ['subject', 'repository', 'ref', 'environment'] as const) {
      if (s[k] !== undefined && (typeof s[k] !== 'string' || s[k] === ''))
        throw new Error(`${k} must be a non-empty string`)
    }
    if (s.lifetimeSeconds !== undefined && !(Number.isInteger(s.lifetimeSeconds) && s.lifetimeSeconds > 0)) {
      throw new Error('lifetimeSeconds must be a positive integer')
    }
    const repository = s.repository ?? DEFAULT_GITHUB_OIDC_REPOSITORY
    const ref = s.ref ?? DEFAULT_GITHUB_OIDC_REF
    const subject =
      s.subject ??
      (s.environment ? `repo:${repository}:environment:${s.environment}` : `repo:${repository}:ref:${ref}`)
    return {
      subject,
      repository,
      ref,
      environment: s.environment,
      lifetimeSeconds: s.lifetimeSeconds ?? DEFAULT_GITHUB_OIDC_LIFETIME_SECONDS
    }
  }

  /** Replaces the settings (omitted fields take their defaults). Throws on bad values. */
  configure(settings: GitHubOidcSettings): Resolved {
    this.current = GitHubOidcIssuer.resolve(settings ?? {})
    return this.settings()
  }

  settings(): Resolved {
    return { ...this.current }
  }

  reset(): void {
    this.current = GitHubOidcIssuer.resolve({})
  }

  /** An ID token for `audience`, with claims shaped like GitHub's. Lifetimes are wall-clock. */
  issue(audience: string, nowMs = Date.now()): string {
    const now = Math.floor(nowMs / 1000)
    const s = this.current
    const [owner = 'contoso'] = s.repository.split('/')
    const claims: Record<string, unknown> = {
      jti: randomUUID(),
      sub: s.subject,
      aud: audience,
      ref: s.ref,
      sha: createHash('sha1').update(`${s.repository}@${s.ref}`).digest('hex'),
      repository: s.repository,
      repository_owner: owner,
      repository_id: '123456789',
      repository_owner_id: '987654321',
      repository_visibility: 'private',
      run_id: '1000000001',
      run_number: '1',
      run_attempt: '1',
      actor: 'octocat',
      workflow: 'release',
      event_name: s.ref.startsWith('refs/tags/') ? 'push' : 'workflow_dispatch',
      ref_type: s.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      job_workflow_ref: `${s.repository}/.github/workflows/release.yml@${s.ref}`,
      runner_environment: 'github-hosted',
      iss: this.issuer,
      nbf: now - 5,
      iat: now,
      exp: now + s.lifetimeSeconds
    }
    if (s.environment) claims.environment = s.environment
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid }
    const input = `${b64json(header)}.${b64json(claims)}`
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`
  }

  /** Header and claims when the JWT carries this issuer's RS256 signature, else undefined. */
  verify(token: string): VerifiedJwt | undefined {
    const parsed = parseJwt(token)
    if (!parsed || parsed.header.alg !== 'RS256') return undefined
    const ok = verify('sha256', Buffer.from(parsed.signingInput), this.publicKey, parsed.signature)
    return ok ? { header: parsed.header, claims: parsed.claims } : undefined
  }
}

export interface ParsedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  signingInput: string
  signature: Buffer
}

/** Splits and decodes a compact JWS; undefined when it is not one. */
export function parseJwt(token: string): ParsedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some(p => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[2]) return undefined
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown
    if (!header || typeof header !== 'object' || Array.isArray(header)) return undefined
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined
    return {
      header: header as Record<string, unknown>,
      claims: claims as Record<string, unknown>,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url')
    }
  } catch {
    return undefined
  }
}

/** GET /_github/oidc/token — what `core.getIDToken(audience)` calls on a runner. */
export function registerGitHubOidcRoutes(router: Router, issuer: GitHubOidcIssuer): void {
  router.get(GITHUB_OIDC_TOKEN_PATH, ctx => {
    const h = ctx.req.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)$/i.exec(h.trim())
    if (!m || m[1] !== issuer.requestToken) {
      return jsonReply(401, {
        message: 'Unauthorized: the ACTIONS_ID_TOKEN_REQUEST_TOKEN bearer token is missing or wrong.'
      })
    }
    // GitHub's default audience is the URL of the repository owner.
    const audience =
      ctx.query.get('audience') || `https://github.com/${issuer.settings().repository.split('/')[0]}`
    return jsonReply(200, { value: issuer.issue(audience) })
  })
}
