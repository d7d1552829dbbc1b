// Client-assertion checks of the token endpoints (issue 5; docs/partner-center-api.md §3.3, §3.4, §3.5):
// - certificate credentials: a JWT signed with the key of a certificate registered on the app
//   (PS256 + x5t#S256, or legacy RS256 + x5t SHA-1), iss = sub = client_id, aud = the token endpoint
//   called, nbf/exp within 10 minutes;
// - federated credentials: a GitHub OIDC token from the emulator's issuer whose iss, sub and aud match
//   one of the app's federated identity credentials exactly (case-sensitive).
// Each failure answers the AADSTS code and text Entra uses (see emulator/README.md, "Certificate and
// federated sign-in"). Times are wall-clock, like the access tokens.
import { constants, createHash, verify, X509Certificate, type KeyObject } from 'node:crypto'
import type { SeedApp, SeedCertificate } from '../types.js'
import type { EntraError } from './errors.js'
import { parseJwt, type GitHubOidcIssuer } from './github-oidc.js'
import type { ClientAssertionInput, ClientAssertionValidator } from './token.js'

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** Entra's allowance for clock differences (5 minutes). */
export const CLOCK_SKEW_SECONDS = 300
/** Longest certificate assertion Entra accepts: exp − nbf ≤ 10 minutes (plus skew). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600

const CERT_DOC =
  'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .'
const FIC_DOC = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation'

const invalidClient = (code: number, text: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code,
  text
})
const iso = (s: number | undefined): string =>
  typeof s === 'number' && Number.isFinite(s) ? new Date(s * 1000).toISOString() : 'unknown'

/** The AADSTS errors of client assertions (texts after real Entra answers). */
export const AssertionErrors = {
  missingType: (): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    text: "The request body must contain the following parameter: 'client_assertion_type'."
  }),
  badType: (type: string): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 50027,
    text: `JWT token is invalid or malformed. The client_assertion_type '${type}' is not supported; use '${JWT_BEARER}'.`
  }),
  malformed: (): EntraError =>
    invalidClient(
      700027,
      'Client assertion failed signature validation. [Reason - The client assertion is not a well-formed JWT (header.claims.signature, base64url JSON).]'
    ),
  keyNotFound: (clientId: string, thumbprint: string | undefined): EntraError =>
    invalidClient(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://learn.microsoft.com/graph/deployments#app-registration-and-token-service-root-endpoints to learn more about configuring keys.]`
    ),
  keyExpired: (clientId: string, thumbprint: string, cert?: X509Certificate): EntraError =>
    invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}'${cert ? `, Found key 'Start=${cert.validFrom}, End=${cert.validTo}'` : ''}, Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`
    ),
  badSignature: (
    thumbprint: string,
    reason = 'Key was found, but use of the key to verify the signature failed.'
  ): EntraError =>
    invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - ${reason}, Thumbprint of key used by client: '${thumbprint}']`
    ),
  badAlgorithm: (alg: string): EntraError =>
    invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - The signing algorithm '${alg}' is not supported; use PS256 (or RS256).]`
    ),
  clientMismatch: (): EntraError =>
    invalidClient(
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${CERT_DOC}`
    ),
  audience: (): EntraError =>
    invalidClient(700023, `Client assertion audience claim does not match Realm issuer. ${CERT_DOC}`),
  timeRange: (nbf: number | undefined, exp: number | undefined, now: number, doc = CERT_DOC): EntraError =>
    invalidClient(
      700024,
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. ${doc}`
    ),
  noIssuer: (issuer: string): EntraError =>
    invalidClient(
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOC}`
    ),
  noAudience: (audience: string): EntraError =>
    invalidClient(
      700212,
      `No matching federated identity record found for presented assertion audience '${audience}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOC}`
    ),
  noSubject: (subject: string): EntraError =>
    invalidClient(
      700213,
      `No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOC}`
    )
}

interface RegisteredKey {
  entry: SeedCertificate
  cert?: X509Certificate
  publicKey?: KeyObject
  sha256?: string
  sha1?: string
}

function registeredKeys(app: SeedApp): RegisteredKey[] {
  return (app.certificates ?? []).map(entry => {
    let cert: X509Certificate | undefined
    if (entry.pem) {
      const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(entry.pem)?.[0]
      if (!block) throw new Error(`seed: app ${app.clientId}: certificates[].pem holds no certificate block`)
      cert = new X509Certificate(block)
    }
    return {
      entry,
      cert,
      publicKey: cert?.publicKey,
      sha256:
        entry.thumbprintSha256 ??
        (cert ? createHash('sha256').update(cert.raw).digest('base64url') : undefined),
      sha1:
        entry.thumbprintSha1 ?? (cert ? createHash('sha1').update(cert.raw).digest('base64url') : undefined)
    }
  })
}

/** Thumbprints are base64url; some clients send the hex form of x5t — accepted too. */
function sameThumbprint(given: string, registered: string | undefined): boolean {
  if (!registered) return false
  if (given === registered) return true
  if (/^[0-9a-fA-F]+$/.test(given)) return Buffer.from(given, 'hex').toString('base64url') === registered
  return false
}

/** Token endpoint URLs a certificate assertion may name: the endpoint called, by tenant id or domain. */
function acceptedAudiences(input: ClientAssertionInput): Set<string> {
  const url = new URL(input.tokenEndpoint)
  const v1 = !/\/oauth2\/v2\.0\/token\/?$/i.test(url.pathname)
  const names = [input.tenant.id, ...input.tenant.domains]
  const out = new Set<string>([input.tokenEndpoint])
  for (const name of names) {
    out.add(`${url.origin}/${name}/oauth2/v2.0/token`.toLowerCase())
    if (v1) out.add(`${url.origin}/${name}/oauth2/token`.toLowerCase())
  }
  return out
}

function checkTime(
  claims: Record<string, unknown>,
  now: number,
  maxLifetime: number | undefined,
  doc?: string
): EntraError | undefined {
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined
  if (exp === undefined) return AssertionErrors.timeRange(nbf, exp, now, doc)
  if (exp + CLOCK_SKEW_SECONDS < now) return AssertionErrors.timeRange(nbf, exp, now, doc)
  if (nbf !== undefined && nbf - CLOCK_SKEW_SECONDS > now)
    return AssertionErrors.timeRange(nbf, exp, now, doc)
  const start = nbf ?? iat
  if (maxLifetime !== undefined && start !== undefined && exp - start > maxLifetime + CLOCK_SKEW_SECONDS) {
    return AssertionErrors.timeRange(nbf, exp, now, doc)
  }
  return undefined
}

function validateCertificateAssertion(
  input: ClientAssertionInput,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signingInput: string,
  signature: Buffer,
  now: number
): EntraError | undefined {
  const { app } = input
  const s256 = typeof header['x5t#S256'] === 'string' ? (header['x5t#S256'] as string) : undefined
  const s1 = typeof header.x5t === 'string' ? (header.x5t as string) : undefined
  const shown = s256 ?? s1
  const keys = registeredKeys(app)
  const key = keys.find(
    k =>
      (s256 !== undefined && sameThumbprint(s256, k.sha256)) ||
      (s256 === undefined && s1 !== undefined && sameThumbprint(s1, k.sha1))
  )
  if (!key) return AssertionErrors.keyNotFound(app.clientId, shown)
  const expired =
    key.entry.expired === true ||
    (key.cert !== undefined && new Date(key.cert.validTo).getTime() < now * 1000)
  if (expired) return AssertionErrors.keyExpired(app.clientId, shown!, key.cert)

  const alg = String(header.alg ?? '')
  if (alg !== 'PS256' && alg !== 'RS256') return AssertionErrors.badAlgorithm(alg)
  if (!key.publicKey)
    return AssertionErrors.badSignature(
      shown!,
      'The registered key has no public key to verify with (seed lists only a thumbprint).'
    )
  let ok = false
  try {
    ok =
      alg === 'PS256'
        ? verify(
            'sha256',
            Buffer.from(signingInput),
            { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            signature
          )
        : verify(
            'sha256',
            Buffer.from(signingInput),
            { key: key.publicKey, padding: constants.RSA_PKCS1_PADDING },
            signature
          )
  } catch {
    ok = false
  }
  if (!ok) return AssertionErrors.badSignature(shown!)

  const iss = typeof claims.iss === 'string' ? claims.iss : ''
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  if (iss.toLowerCase() !== app.clientId.toLowerCase() || sub.toLowerCase() !== app.clientId.toLowerCase())
    return AssertionErrors.clientMismatch()

  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  const accepted = acceptedAudiences(input)
  if (!aud.some(a => typeof a === 'string' && (accepted.has(a) || accepted.has(a.toLowerCase()))))
    return AssertionErrors.audience()

  return checkTime(claims, now, MAX_ASSERTION_LIFETIME_SECONDS)
}

function validateFederatedAssertion(
  input: ClientAssertionInput,
  github: GitHubOidcIssuer,
  token: string,
  claims: Record<string, unknown>,
  now: number
): EntraError | undefined {
  const { app } = input
  const iss = typeof claims.iss === 'string' ? claims.iss : ''
  const records = (app.federatedCredentials ?? []).filter(f => f.issuer === iss)
  if (!records.length) return AssertionErrors.noIssuer(iss)
  // Only the emulator's GitHub issuer has signing keys here.
  const verified = iss === github.issuer ? github.verify(token) : undefined
  if (!verified) {
    return invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - The key was not found., issuer '${iss}']`
    )
  }
  const timeError = checkTime(claims, now, undefined, FIC_DOC)
  if (timeError) return timeError
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  const bySubject = records.filter(f => f.subject === sub)
  if (!bySubject.length) return AssertionErrors.noSubject(sub)
  const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (a): a is string => typeof a === 'string'
  )
  if (!bySubject.some(f => f.audiences.some(a => auds.includes(a))))
    return AssertionErrors.noAudience(auds.join(','))
  return undefined
}

export interface AssertionValidatorOptions {
  github: GitHubOidcIssuer
  /** wall clock in ms; default Date.now */
  now?: () => number
}

/**
 * The emulator's client-assertion check. An assertion with an `x5t#S256`/`x5t` header or whose issuer
 * is the client id is a certificate assertion; anything else is a federated one.
 */
export function createAssertionValidator(options: AssertionValidatorOptions): ClientAssertionValidator {
  return input => {
    if (!input.assertionType) return AssertionErrors.missingType()
    if (input.assertionType !== JWT_BEARER) return AssertionErrors.badType(input.assertionType)
    const jwt = parseJwt(input.assertion)
    if (!jwt) return AssertionErrors.malformed()
    const now = Math.floor((options.now ?? Date.now)() / 1000)
    const iss = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : ''
    const byClient = iss.toLowerCase() === input.app.clientId.toLowerCase()
    const hasThumbprint = 'x5t#S256' in jwt.header || 'x5t' in jwt.header
    // A federated token's issuer is a URL (it may carry x5t too, as GitHub's do).
    const certificate = byClient || (hasThumbprint && !/^https?:\/\//i.test(iss))
    return certificate
      ? validateCertificateAssertion(input, jwt.header, jwt.claims, jwt.signingInput, jwt.signature, now)
      : validateFederatedAssertion(input, options.github, input.assertion, jwt.claims, now)
  }
}
