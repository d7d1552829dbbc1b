import { systemClock, type Clock } from '../clock.js'
import type { Credential } from '../inputs.js'
import type { TokenSource, Transport } from '../http/transport.js'
import { createClientAssertion, loadCertificate, type LoadedCertificate } from './certificate.js'
import type { SignInContext } from './entra-errors.js'
import {
  entraCode,
  requestAccessToken,
  tokenEndpoint,
  type AccessToken,
  type ClientCredentialFields
} from './entra-token.js'
import { fetchGitHubOidcToken, type IdTokenFetcher, type OidcToken } from './github-oidc.js'
import { log } from '../log.js'

export const RESOURCES = {
  partnerCenter: 'https://api.partner.microsoft.com',
  graph: 'https://graph.microsoft.com'
} as const

export interface TokenProviderOptions {
  transport: Transport
  authorityHost: string
  tenantId: string
  clientId: string
  credential: Credential
  clock?: Clock
  info?: (message: string) => void
  oidcFetcher?: IdTokenFetcher
  env?: NodeJS.ProcessEnv
}

/** Refresh this long before expiry, so that a token never expires between cache and service. */
const REFRESH_MARGIN_MS = 5 * 60_000
/** A GitHub OIDC token is fetched again when it has less than this left (they live ~5 minutes). */
const OIDC_MARGIN_MS = 60_000

/**
 * Access tokens for each resource (Partner Center, Microsoft Graph), cached and refreshed well before
 * they expire, from whichever credential the inputs chose. Long waits call `getToken` on every poll,
 * so a wait of hours keeps working.
 */
export class TokenProvider {
  private readonly cache = new Map<string, AccessToken>()
  private readonly inFlight = new Map<string, Promise<AccessToken>>()
  private readonly clock: Clock
  private certificate?: LoadedCertificate
  private oidc?: OidcToken
  private announced = false

  constructor(private readonly options: TokenProviderOptions) {
    this.clock = options.clock ?? systemClock
    // A bad certificate fails here, before any request.
    if (options.credential.kind === 'certificate')
      this.certificate = loadCertificate(options.credential.pem, new Date(this.clock.now()))
  }

  /**
   * A TokenSource for the transport: its tokens, a way to drop one the service refused, and the one
   * origin they may be sent to (that of `apiUrl`, the value of the input named `apiInput`).
   */
  source(resource: string, apiUrl: string, apiInput: string): TokenSource {
    return {
      getToken: () => this.getToken(resource),
      invalidate: () => {
        this.cache.delete(resource)
      },
      origin: new URL(apiUrl).origin,
      originInput: apiInput
    }
  }

  async getToken(resource: string): Promise<string> {
    const cached = this.cache.get(resource)
    if (cached && cached.expiresOn - this.clock.now() > this.margin(cached)) return cached.token
    let pending = this.inFlight.get(resource)
    if (!pending) {
      pending = this.fetch(resource)
      this.inFlight.set(resource, pending)
    }
    try {
      const token = await pending
      this.cache.set(resource, token)
      return token.token
    } finally {
      if (this.inFlight.get(resource) === pending) this.inFlight.delete(resource)
    }
  }

  /**
   * Starts signing in for `resource` without waiting, so that the token request overlaps start-up
   * work (loading the command's code). Its failure is kept for the first `getToken`, which reports it:
   * a wrong secret is sent once, not twice.
   */
  prefetch(resource: string): void {
    if (this.cache.has(resource) || this.inFlight.has(resource)) return
    const pending = this.fetch(resource)
    pending.catch(() => undefined)
    this.inFlight.set(resource, pending)
  }

  private margin(token: AccessToken): number {
    // Short-lived tokens (the emulator's, on request) are refreshed after half their life.
    return Math.min(REFRESH_MARGIN_MS, token.lifetimeMs / 2)
  }

  private async fetch(resource: string): Promise<AccessToken> {
    this.announce()
    try {
      return await this.requestOnce(resource)
    } catch (error) {
      // An OIDC token too old to use (AADSTS700024) is fetched again, once.
      if (
        this.options.credential.kind === 'oidc' &&
        entraCode((error as { cause?: unknown }).cause) === 700024
      ) {
        this.oidc = undefined
        return this.requestOnce(resource)
      }
      throw error
    }
  }

  private async requestOnce(resource: string): Promise<AccessToken> {
    const { authorityHost, tenantId, clientId } = this.options
    const credential = await this.credentialFields()
    const context: SignInContext = {
      tenantId,
      clientId,
      credentialKind: this.options.credential.kind,
      oidcSubject: this.oidc?.claims.sub,
      oidcIssuer: this.oidc?.claims.iss,
      oidcAudience: this.oidc?.claims.aud
    }
    const token = await requestAccessToken(
      this.options.transport,
      { authorityHost, tenantId, clientId, resource, credential, context },
      this.clock.now()
    )
    log.mask(token.token)
    return token
  }

  private async credentialFields(): Promise<ClientCredentialFields> {
    const { credential, authorityHost, tenantId, clientId } = this.options
    switch (credential.kind) {
      case 'secret':
        return { client_secret: credential.secret }
      case 'certificate': {
        const assertion = createClientAssertion(
          this.certificate!,
          clientId,
          tokenEndpoint(authorityHost, tenantId),
          this.clock.now()
        )
        log.mask(assertion)
        return {
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion
        }
      }
      case 'oidc': {
        const expiresAt = (this.oidc?.claims.exp ?? 0) * 1000
        if (!this.oidc || (expiresAt && expiresAt - this.clock.now() < OIDC_MARGIN_MS)) {
          this.oidc = await fetchGitHubOidcToken(
            credential.audience,
            this.options.oidcFetcher,
            this.options.env
          )
          const { iss, sub, aud, job_workflow_ref } = this.oidc.claims
          this.info(
            `GitHub OIDC token: issuer '${iss}', subject '${sub}', audience '${aud}'${job_workflow_ref ? `, workflow '${job_workflow_ref}'` : ''}`
          )
        }
        return {
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: this.oidc.token
        }
      }
    }
  }

  private announce(): void {
    if (this.announced) return
    this.announced = true
    const { credential, clientId, tenantId } = this.options
    const how =
      credential.kind === 'secret'
        ? 'a client secret'
        : credential.kind === 'certificate'
          ? `a certificate (SHA-256 thumbprint ${this.certificate!.thumbprintSha256}), listed in the Entra portal as thumbprint ${this.certificate!.thumbprintSha1Hex} (SHA-1)`
          : `GitHub OIDC (audience '${credential.audience}')`
    this.info(`Signing in to tenant ${tenantId} as application ${clientId} with ${how}.`)
  }

  private info(message: string): void {
    ;(this.options.info ?? log.info)(message)
  }
}
