import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createPublicKey, verify, constants, X509Certificate, createHash } from 'node:crypto'
import nock from 'nock'
import { parseTokenResponse } from '../../src/auth/entra-token.js'
import { fetchGitHubOidcToken } from '../../src/auth/github-oidc.js'
import { redact } from '../../src/http/redact.js'
import { TokenProvider, RESOURCES } from '../../src/auth/token-provider.js'
import { ActionError, InputError } from '../../src/errors.js'
import { Transport } from '../../src/http/transport.js'
import type { Credential } from '../../src/inputs.js'
import { fakeClock } from '../helpers/fake-clock.js'

const AUTHORITY = 'https://login.example.test'
const TENANT = '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63'
const CLIENT = '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48'
const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`
const cert = (name: string) =>
  readFileSync(new URL(`../fixtures/certificates/${name}.pem`, import.meta.url), 'utf8')

function provider(
  credential: Credential = { kind: 'secret', secret: 'the-secret-value' },
  clock = fakeClock(),
  extra = {}
) {
  const messages: string[] = []
  const tokens = new TokenProvider({
    transport: new Transport({ userAgent: 'test', clock }),
    authorityHost: AUTHORITY,
    tenantId: TENANT,
    clientId: CLIENT,
    credential,
    clock,
    info: m => void messages.push(m),
    ...extra
  })
  return { tokens, clock, messages }
}

function entraError(status: number, error: string, code: number, text: string) {
  return [
    status,
    {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: now`,
      error_codes: [code],
      correlation_id: 'corr-1'
    }
  ] as const
}

afterEach(() => nock.cleanAll())

describe('TokenProvider with a client secret', () => {
  it('requests the v2 client-credentials grant for the resource and caches the token', async () => {
    const scope = nock(AUTHORITY)
      .post(
        TOKEN_PATH,
        body =>
          body.grant_type === 'client_credentials' &&
          body.client_id === CLIENT &&
          body.client_secret === 'the-secret-value' &&
          body.scope === 'https://api.partner.microsoft.com/.default'
      )
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'pc-token' })
    const { tokens, messages } = provider()
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('pc-token')
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('pc-token')
    scope.done()
    expect(messages[0]).toContain('with a client secret')
  })

  it('passes on a failure that is not an HTTP answer (a cancelled run, a refused URL) as it was', async () => {
    const cancelled = new ActionError('The run was cancelled (SIGTERM).')
    const clock = fakeClock()
    const tokens = new TokenProvider({
      transport: {
        request: async () => {
          throw cancelled
        }
      } as unknown as Transport,
      authorityHost: AUTHORITY,
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', secret: 'the-secret-value' },
      clock,
      info: () => undefined
    })
    await expect(tokens.getToken(RESOURCES.partnerCenter)).rejects.toBe(cancelled)
  })

  it('accepts v1-style string numerics and keeps one cache per resource', async () => {
    const { tokens, clock } = provider()
    const expiresOn = String(Math.floor(clock.now() / 1000) + 3600)
    nock(AUTHORITY)
      .post(TOKEN_PATH, b => b.scope === 'https://graph.microsoft.com/.default')
      .reply(200, {
        token_type: 'Bearer',
        expires_in: '3599',
        expires_on: expiresOn,
        not_before: '0',
        resource: 'https://graph.microsoft.com',
        access_token: 'graph-token'
      })
      .post(TOKEN_PATH, b => b.scope === 'https://api.partner.microsoft.com/.default')
      .reply(200, { expires_in: 3599, access_token: 'pc-token' })
    expect(await tokens.getToken(RESOURCES.graph)).toBe('graph-token')
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('pc-token')
  })

  it('refreshes a token before it expires, so long waits keep working', async () => {
    const { tokens, clock } = provider()
    nock(AUTHORITY)
      .post(TOKEN_PATH)
      .reply(200, { expires_in: 3599, access_token: 'first' })
      .post(TOKEN_PATH)
      .reply(200, { expires_in: 3599, access_token: 'second' })
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('first')
    clock.advance(50 * 60_000)
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('first')
    clock.advance(6 * 60_000) // 4 minutes left: inside the refresh margin
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('second')
  })

  it('shares one request between concurrent callers', async () => {
    const scope = nock(AUTHORITY)
      .post(TOKEN_PATH)
      .once()
      .reply(200, { expires_in: 3599, access_token: 'once' })
    const { tokens } = provider()
    const all = await Promise.all([1, 2, 3].map(() => tokens.getToken(RESOURCES.partnerCenter)))
    expect(all).toEqual(['once', 'once', 'once'])
    scope.done()
  })

  it('prefetches a token that the first use then takes, and keeps a prefetch failure for it: one request either way', async () => {
    const ok = nock(AUTHORITY).post(TOKEN_PATH).once().reply(200, { expires_in: 3599, access_token: 'early' })
    const { tokens } = provider()
    tokens.prefetch(RESOURCES.partnerCenter)
    tokens.prefetch(RESOURCES.partnerCenter)
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('early')
    ok.done()

    const refused = nock(AUTHORITY)
      .post(TOKEN_PATH)
      .once()
      .reply(...entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'))
    const { tokens: other } = provider()
    other.prefetch(RESOURCES.graph)
    await new Promise(resolve => setTimeout(resolve, 50)) // the failure arrives before anyone asks
    const error = (await other.getToken(RESOURCES.graph).catch(e => e)) as ActionError
    expect(error.message).toContain('AADSTS7000215')
    refused.done()
  })

  it.each([
    [entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), 'Value', 'Secret ID'],
    [
      entraError(401, 'invalid_client', 7000222, 'The provided client secret keys are expired.'),
      'expired',
      'new one'
    ],
    [
      entraError(400, 'unauthorized_client', 700016, 'Application not found in the directory.'),
      CLIENT,
      '`client-id`'
    ],
    [entraError(400, 'invalid_tenant', 90002, 'Tenant not found.'), TENANT, '`tenant-id`'],
    [entraError(400, 'unauthorized_client', 7000112, 'Application is disabled.'), 'disabled', 'enable'],
    [
      entraError(400, 'invalid_resource', 500011, 'The resource principal was not found.'),
      'service principal',
      'linked to a Partner Center account'
    ]
  ])('maps %j to a message and a fix', async (reply, ...hintParts) => {
    nock(AUTHORITY).post(TOKEN_PATH).reply(reply[0], reply[1])
    const { tokens } = provider()
    const error = (await tokens.getToken(RESOURCES.partnerCenter).catch(e => e)) as ActionError
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toContain(`AADSTS${reply[1].error_codes[0]}`)
    expect(error.message).not.toContain('the-secret-value')
    for (const part of hintParts) expect(error.hint).toContain(part)
  })
})

describe('TokenProvider with a certificate', () => {
  it('signs a PS256 client assertion with x5t#S256 for the token endpoint', async () => {
    let assertion = ''
    nock(AUTHORITY)
      .post(TOKEN_PATH, body => {
        assertion = body.client_assertion
        return (
          body.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
          !body.client_secret
        )
      })
      .reply(200, { expires_in: 3599, access_token: 'cert-token' })
    const pem = cert('valid')
    // The fixture certificate was made today; the clock must be inside its validity.
    const { tokens, clock, messages } = provider({ kind: 'certificate', pem }, fakeClock(Date.now()))
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('cert-token')
    const [h, p, s] = assertion.split('.')
    const header = JSON.parse(Buffer.from(h, 'base64url').toString())
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const x509 = new X509Certificate(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0]
    )
    expect(header).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': createHash('sha256').update(x509.raw).digest('base64url')
    })
    expect(claims).toMatchObject({ aud: `${AUTHORITY}${TOKEN_PATH}`, iss: CLIENT, sub: CLIENT })
    expect(claims.exp - claims.nbf).toBeLessThanOrEqual(600)
    expect(claims.nbf).toBe(Math.floor(clock.now() / 1000))
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    const ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      {
        key: createPublicKey(x509.publicKey.export({ format: 'pem', type: 'spki' })),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32
      },
      Buffer.from(s, 'base64url')
    )
    expect(ok).toBe(true)
    expect(messages[0]).toContain('certificate (SHA-256 thumbprint')
    // The Entra portal lists certificates by their SHA-1 thumbprint in hex (Node's `fingerprint`).
    expect(x509.fingerprint).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/)
    expect(messages[0]).toContain(
      `listed in the Entra portal as thumbprint ${x509.fingerprint.replace(/:/g, '')} (SHA-1)`
    )
  })

  it('names the certificate a key does not belong to by its whole subject, the way the portal shows it', () => {
    expect(() => provider({ kind: 'certificate', pem: cert('mismatched-long-subject') })).toThrow(
      'the private key does not belong to the certificate (CN=contoso-release, O=Contoso Ltd, C=US).'
    )
  })

  it.each([
    ['mismatched', 'does not belong to the certificate'],
    ['expired', 'expired on 2021-01-01'],
    ['ec-key', 'need an RSA key']
  ])('refuses a %s certificate before any request', (name, text) => {
    expect(() => provider({ kind: 'certificate', pem: cert(name) })).toThrow(InputError)
    expect(() => provider({ kind: 'certificate', pem: cert(name) })).toThrow(text)
  })
})

describe('TokenProvider with GitHub OIDC', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?a=1',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt'
  }

  it('exchanges the GitHub token as a client assertion and logs its non-secret claims', async () => {
    const clock = fakeClock()
    const idToken = jwt({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:contoso/app:ref:refs/tags/v1.0.0',
      aud: 'api://AzureADTokenExchange',
      exp: clock.now() / 1000 + 300
    })
    nock(AUTHORITY)
      .post(TOKEN_PATH, b => b.client_assertion === idToken)
      .reply(200, { expires_in: 3599, access_token: 'oidc-token' })
    const audiences: string[] = []
    const { tokens, messages } = provider({ kind: 'oidc', audience: 'api://AzureADTokenExchange' }, clock, {
      env,
      oidcFetcher: async (aud: string) => (audiences.push(aud), idToken)
    })
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('oidc-token')
    expect(audiences).toEqual(['api://AzureADTokenExchange'])
    expect(messages.join('\n')).toContain("subject 'repo:contoso/app:ref:refs/tags/v1.0.0'")
  })

  it('fetches the GitHub token again once it is about to expire, and reuses it while it is fresh', async () => {
    const clock = fakeClock()
    let fetched = 0
    const fetcher = async () => jwt({ sub: `s${++fetched}`, exp: clock.now() / 1000 + 5 * 60 })
    // Access tokens of 200 s: the Partner Center one must be asked for again after 4.5 minutes.
    nock(AUTHORITY).post(TOKEN_PATH).times(3).reply(200, { expires_in: 200, access_token: 'oidc-token' })
    const { tokens } = provider({ kind: 'oidc', audience: 'api://AzureADTokenExchange' }, clock, {
      env,
      oidcFetcher: fetcher
    })
    await tokens.getToken(RESOURCES.partnerCenter)
    clock.advance(60_000)
    await tokens.getToken(RESOURCES.graph) // 4 minutes left: the same GitHub token
    expect(fetched).toBe(1)
    clock.advance(4 * 60_000 - 30_000)
    await tokens.getToken(RESOURCES.partnerCenter) // 30 s left: a fresh one
    expect(fetched).toBe(2)
  })

  it('the GitHub token is removed from anything the action prints', async () => {
    const idToken = jwt({ sub: 'repo:contoso/app:ref:refs/tags/v1.0.0', exp: Date.now() / 1000 + 300 })
    const oidc = await fetchGitHubOidcToken('api://AzureADTokenExchange', async () => idToken, env)
    expect(oidc.token).toBe(idToken)
    expect(redact(`assertion ${idToken} sent`)).toBe('assertion *** sent')
  })

  it('says to add id-token: write when the runner offers no OIDC token', async () => {
    const { tokens } = provider({ kind: 'oidc', audience: 'api://AzureADTokenExchange' }, fakeClock(), {
      env: {}
    })
    const error = (await tokens.getToken(RESOURCES.partnerCenter).catch(e => e)) as ActionError
    expect(error.hint).toContain('permissions: id-token: write')
  })

  it('shows the subject the federated credential must match on AADSTS700213', async () => {
    const idToken = jwt({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:contoso/app:environment:production',
      aud: 'api://AzureADTokenExchange'
    })
    nock(AUTHORITY)
      .post(TOKEN_PATH)
      .reply(
        ...entraError(
          400,
          'invalid_request',
          700213,
          'No matching federated identity record found for presented assertion subject.'
        )
      )
    const { tokens } = provider({ kind: 'oidc', audience: 'api://AzureADTokenExchange' }, fakeClock(), {
      env,
      oidcFetcher: async () => idToken
    })
    const error = (await tokens.getToken(RESOURCES.partnerCenter).catch(e => e)) as ActionError
    expect(error.hint).toContain("subject 'repo:contoso/app:environment:production'")
    expect(error.hint).toContain('repo:contoso/app:ref:refs/heads/main')
    expect(error.hint).toContain('repo:contoso/app:pull_request')
  })

  it('fetches a fresh GitHub token once when Entra finds the assertion too old (AADSTS700024)', async () => {
    let fetched = 0
    nock(AUTHORITY)
      .post(TOKEN_PATH)
      .reply(
        ...entraError(400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.')
      )
      .post(TOKEN_PATH)
      .reply(200, { expires_in: 3599, access_token: 'after-refetch' })
    const { tokens } = provider({ kind: 'oidc', audience: 'api://AzureADTokenExchange' }, fakeClock(), {
      env,
      oidcFetcher: async () => jwt({ sub: `s${++fetched}` })
    })
    expect(await tokens.getToken(RESOURCES.partnerCenter)).toBe('after-refetch')
    expect(fetched).toBe(2)
  })
})

describe('the lifetime of a token answer', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z')
  it('takes expires_on (v1, epoch seconds, as text), else expires_in, else an hour', () => {
    expect(
      parseTokenResponse({ access_token: 'a-token-1', expires_on: String(NOW / 1000 + 600) }, NOW).lifetimeMs
    ).toBe(600_000)
    expect(parseTokenResponse({ access_token: 'a-token-2', expires_in: '1800' }, NOW).lifetimeMs).toBe(
      1_800_000
    )
    expect(parseTokenResponse({ access_token: 'a-token-3' }, NOW).lifetimeMs).toBe(3_599_000)
  })

  it('a lifetime of zero, below zero or not a number is not believed: an hour is assumed', () => {
    for (const expires_in of [0, '-5', 'soon', 'Infinity'])
      expect(parseTokenResponse({ access_token: 'a-token-4', expires_in }, NOW).lifetimeMs).toBe(3_599_000)
  })
})
