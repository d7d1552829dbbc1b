// The emulator's certificate and federated (GitHub OIDC) sign-in: every accepted shape and every
// refusal with its AADSTS code, over HTTP; time checks through the validator with a moved clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  constants,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  X509Certificate,
  type KeyObject
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator, type RunningEmulator } from '../../emulator/index.js'
import { createAssertionValidator, JWT_BEARER } from '../../emulator/entra/assertions.js'
import { GitHubOidcIssuer, GITHUB_OIDC_ISSUER } from '../../emulator/entra/github-oidc.js'
import {
  DEFAULT_GITHUB_OIDC_SUBJECT,
  DEMO_CERTIFICATE_PEM,
  DEMO_CREDENTIALS,
  DEMO_FEDERATED_AUDIENCE,
  DEMO_FEDERATED_SUBJECTS,
  DEMO_TENANT_DOMAIN,
  GITHUB_OIDC_REQUEST_TOKEN,
  defaultSeed
} from '../../emulator/seed/default.js'
import type { Seed, SeedApp, SeedTenant } from '../../emulator/types.js'
import { ROOT } from '../helpers/run-action.js'

const FIXTURES = join(ROOT, '__tests__/fixtures/certificates')
const pem = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
const certBlock = (text: string) =>
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)![0]
const keyOf = (text: string) =>
  createPrivateKey(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(text)![0])

const VALID = pem('valid.pem')
const MISMATCHED = pem('mismatched.pem') // the demo certificate with a key that is not its own
const EXPIRED = pem('expired.pem')
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const thumb = (text: string, alg: 'sha256' | 'sha1') =>
  createHash(alg)
    .update(new X509Certificate(certBlock(text)).raw)
    .digest('base64url')

interface AssertionOptions {
  key?: KeyObject
  cert?: string
  alg?: 'PS256' | 'RS256'
  legacyThumbprint?: boolean
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  aud?: string
}

let emu: RunningEmulator
const clientId = DEMO_CREDENTIALS.clientId
const v2Url = () => `${emu.authorityHost}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`
const v1Url = () => `${emu.authorityHost}/${DEMO_CREDENTIALS.tenantId}/oauth2/token`

function assertion(o: AssertionOptions = {}): string {
  const alg = o.alg ?? (o.legacyThumbprint ? 'RS256' : 'PS256')
  const certPem = o.cert ?? VALID
  const header: Record<string, unknown> = o.legacyThumbprint
    ? { alg, typ: 'JWT', x5t: thumb(certPem, 'sha1') }
    : { alg, typ: 'JWT', 'x5t#S256': thumb(certPem, 'sha256') }
  Object.assign(header, o.header)
  const now = Math.floor(Date.now() / 1000)
  const claims = {
    aud: o.aud ?? v2Url(),
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
    ...o.claims
  }
  const input = `${b64(header)}.${b64(claims)}`
  const key = o.key ?? keyOf(certPem)
  const sig =
    alg === 'PS256'
      ? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : sign('sha256', Buffer.from(input), key)
  return `${input}.${sig.toString('base64url')}`
}

async function exchange(
  client_assertion: string,
  opts: { url?: string; v1?: boolean; clientId?: string; type?: string | null } = {}
) {
  const form: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: opts.clientId ?? clientId,
    client_assertion
  }
  if (opts.type !== null) form.client_assertion_type = opts.type ?? JWT_BEARER
  if (opts.v1) form.resource = 'https://api.partner.microsoft.com'
  else form.scope = 'https://api.partner.microsoft.com/.default'
  const res = await fetch(opts.url ?? (opts.v1 ? v1Url() : v2Url()), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form)
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

function expectAadsts(
  r: { status: number; body: Record<string, any> },
  code: number,
  status = 401,
  error = 'invalid_client'
): string {
  expect({ status: r.status, error: r.body.error, codes: r.body.error_codes }).toEqual({
    status,
    error,
    codes: [code]
  })
  expect(r.body.error_description).toMatch(new RegExp(`^AADSTS${code}: `))
  expect(r.body.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`)
  return r.body.error_description as string
}

async function oidcToken(audience = DEMO_FEDERATED_AUDIENCE, bearer = GITHUB_OIDC_REQUEST_TOKEN) {
  const res = await fetch(`${emu.githubOidc.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {}
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>
const headerOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, any>

beforeAll(async () => {
  emu = await startEmulator({ quiet: true })
})
afterAll(() => emu.close())
beforeEach(() => emu.reset())

describe('the default seed', () => {
  it('registers only the public certificate of valid.pem and the two federated subjects', () => {
    expect(DEMO_CERTIFICATE_PEM).toBe(certBlock(VALID))
    expect(DEMO_CERTIFICATE_PEM).not.toMatch(/PRIVATE KEY/)
    const app = defaultSeed().identities!.tenants[0]!.apps.find(a => a.clientId === clientId)!
    expect(app.certificates).toEqual([{ pem: DEMO_CERTIFICATE_PEM }])
    expect(app.federatedCredentials!.map(f => [f.issuer, f.subject, f.audiences])).toEqual(
      DEMO_FEDERATED_SUBJECTS.map(s => [GITHUB_OIDC_ISSUER, s, ['api://AzureADTokenExchange']])
    )
    expect(DEFAULT_GITHUB_OIDC_SUBJECT).toBe(DEMO_FEDERATED_SUBJECTS[0])
  })
})

describe('certificate assertions', () => {
  it('PS256 with x5t#S256 and aud = the v2 endpoint: a token', async () => {
    const r = await exchange(assertion())
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 })
    // …that works against the v1 API
    const products = await fetch(`${emu.ingestionApiUrl}/products`, {
      headers: { authorization: `Bearer ${r.body.access_token}` }
    })
    expect(products.status).toBe(200)
  })

  it('legacy RS256 with an x5t SHA-1 thumbprint is accepted; so is the hex form and the tenant domain in aud', async () => {
    expect((await exchange(assertion({ legacyThumbprint: true }))).status).toBe(200)
    const hex = Buffer.from(thumb(VALID, 'sha1'), 'base64url').toString('hex').toUpperCase()
    expect(
      (await exchange(assertion({ alg: 'RS256', header: { 'x5t#S256': undefined, x5t: hex } }))).status
    ).toBe(200)
    expect(
      (await exchange(assertion({ aud: `${emu.authorityHost}/${DEMO_TENANT_DOMAIN}/oauth2/v2.0/token` })))
        .status
    ).toBe(200)
  })

  it('the v1 endpoint accepts aud = the v1 endpoint (and the v2 one); the v2 endpoint refuses the v1 URL (AADSTS700023)', async () => {
    const v1 = await exchange(assertion({ aud: v1Url() }), { v1: true })
    expect(v1.status).toBe(200)
    expect(v1.body.expires_on).toMatch(/^\d+$/)
    expect((await exchange(assertion(), { v1: true })).status).toBe(200)
    const text = expectAadsts(await exchange(assertion({ aud: v1Url() })), 700023)
    expect(text).toContain('Client assertion audience claim does not match Realm issuer')
    expectAadsts(
      await exchange(assertion({ aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' })),
      700023
    )
  })

  it('an unknown certificate: AADSTS700027 key not found, naming the thumbprint and the app', async () => {
    // expired.pem's certificate is registered nowhere
    const text = expectAadsts(await exchange(assertion({ cert: EXPIRED })), 700027)
    expect(text).toContain('The key was not found')
    expect(text).toContain(thumb(EXPIRED, 'sha256'))
    expect(text).toContain(clientId)
  })

  it('the registered thumbprint signed with another key: AADSTS700027 signature validation failed', async () => {
    const text = expectAadsts(await exchange(assertion({ key: keyOf(MISMATCHED) })), 700027)
    expect(text).toContain('Client assertion failed signature validation')
    expect(text).toContain('verify the signature failed')
    // RS256 signature presented as PS256 fails too
    const rs = assertion({ alg: 'RS256' })
    const [h, p, s] = rs.split('.')
    const ps = `${b64({ ...JSON.parse(Buffer.from(h!, 'base64url').toString()), alg: 'PS256' })}.${p}.${s}`
    expectAadsts(await exchange(ps), 700027)
  })

  it('an unsupported algorithm or no thumbprint: AADSTS700027', async () => {
    expect(expectAadsts(await exchange(assertion({ header: { alg: 'HS256' } })), 700027)).toContain(
      "'HS256' is not supported"
    )
    expectAadsts(await exchange(assertion({ header: { 'x5t#S256': undefined } })), 700027)
  })

  it('iss or sub other than client_id: AADSTS700021', async () => {
    const text = expectAadsts(await exchange(assertion({ claims: { iss: randomUUID() } })), 700021)
    expect(text).toContain("Client assertion application identifier doesn't match 'client_id' parameter")
    expectAadsts(await exchange(assertion({ claims: { sub: 'someone-else' } })), 700021)
  })

  it('expired, not yet valid, or living longer than 10 minutes: AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000)
    const text = expectAadsts(
      await exchange(assertion({ claims: { nbf: now - 1200, iat: now - 1200, exp: now - 600 } })),
      700024
    )
    expect(text).toContain('Client assertion is not within its valid time range. Current time: ')
    expectAadsts(await exchange(assertion({ claims: { nbf: now + 900, exp: now + 1200 } })), 700024)
    expectAadsts(await exchange(assertion({ claims: { exp: now + 3600 } })), 700024)
    expectAadsts(await exchange(assertion({ claims: { exp: undefined } })), 700024)
    // within the 5-minute skew: accepted
    expect(
      (await exchange(assertion({ claims: { nbf: now + 60, iat: now + 60, exp: now + 600 } }))).status
    ).toBe(200)
  })

  it('a registered certificate that has expired: AADSTS700027 "The key used is expired"', async () => {
    const seed: Seed = defaultSeed()
    const app = seed.identities!.tenants[0]!.apps.find(a => a.clientId === clientId)!
    app.certificates = [{ pem: certBlock(EXPIRED) }]
    const other = await startEmulator({ quiet: true, seed })
    try {
      const url = `${other.authorityHost}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          scope: 'https://api.partner.microsoft.com/.default',
          client_assertion_type: JWT_BEARER,
          client_assertion: assertion({ cert: EXPIRED, aud: url })
        })
      })
      const text = expectAadsts(
        { status: res.status, body: (await res.json()) as Record<string, any> },
        700027
      )
      expect(text).toContain('The key used is expired')
    } finally {
      await other.close()
    }
  })

  it('a wrong or missing client_assertion_type, or a non-JWT', async () => {
    expectAadsts(await exchange(assertion(), { type: null }), 900144, 400, 'invalid_request')
    expectAadsts(
      await exchange(assertion(), { type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
      50027,
      400,
      'invalid_request'
    )
    expectAadsts(await exchange('not-a-jwt'), 700027)
  })

  it('the certificate of one app does not sign in another', async () => {
    const r = await exchange(
      assertion({
        claims: { iss: '6c1e9f6f-2d3b-4e4c-9f50-b2c3d4e5f607', sub: '6c1e9f6f-2d3b-4e4c-9f50-b2c3d4e5f607' }
      }),
      {
        clientId: '6c1e9f6f-2d3b-4e4c-9f50-b2c3d4e5f607'
      }
    )
    expectAadsts(r, 700027)
  })

  it('assertions never reach the request log', async () => {
    await exchange(assertion())
    expect(JSON.stringify(emu.requests())).not.toMatch(/eyJ/)
  })
})

describe('the GitHub OIDC stand-in', () => {
  it('issues RS256 tokens with GitHub claims for the requested audience, to the request token only', async () => {
    const r = await oidcToken()
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['value'])
    const jwt = r.body.value as string
    expect(headerOf(jwt)).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    const c = claimsOf(jwt)
    expect(c).toMatchObject({
      iss: GITHUB_OIDC_ISSUER,
      sub: DEFAULT_GITHUB_OIDC_SUBJECT,
      aud: DEMO_FEDERATED_AUDIENCE,
      repository: 'contoso/contoso-app',
      ref: 'refs/tags/v1.2.3'
    })
    expect(c.exp - c.iat).toBe(300)
    expect((await oidcToken(DEMO_FEDERATED_AUDIENCE, '')).status).toBe(401)
    expect((await oidcToken(DEMO_FEDERATED_AUDIENCE, 'wrong')).status).toBe(401)
    expect(claimsOf((await oidcToken('api://other')).body.value).aud).toBe('api://other')
  })

  it('PUT /_emulator/github-oidc sets subject and claims; GET reads them; reset restores the defaults', async () => {
    const put = await fetch(`${emu.url}/_emulator/github-oidc`, {
      method: 'PUT',
      body: JSON.stringify({
        repository: 'contoso/contoso-app',
        ref: 'refs/heads/main',
        environment: 'production',
        lifetimeSeconds: 120
      })
    })
    expect(put.status).toBe(200)
    expect(await put.json()).toMatchObject({ subject: DEMO_FEDERATED_SUBJECTS[1], lifetimeSeconds: 120 })
    const c = claimsOf((await oidcToken()).body.value)
    expect(c).toMatchObject({
      sub: DEMO_FEDERATED_SUBJECTS[1],
      environment: 'production',
      ref: 'refs/heads/main'
    })
    expect(c.exp - c.iat).toBe(120)
    expect(
      ((await (await fetch(`${emu.url}/_emulator/github-oidc`)).json()) as { subject: string }).subject
    ).toBe(DEMO_FEDERATED_SUBJECTS[1])
    const bad = await fetch(`${emu.url}/_emulator/github-oidc`, {
      method: 'PUT',
      body: JSON.stringify({ lifetimeSeconds: -1 })
    })
    expect(bad.status).toBe(400)
    emu.reset()
    expect(claimsOf((await oidcToken()).body.value).sub).toBe(DEFAULT_GITHUB_OIDC_SUBJECT)
  })
})

describe('federated assertions', () => {
  it.each(DEMO_FEDERATED_SUBJECTS)('a GitHub token with subject %s signs in', async subject => {
    emu.githubOidc.configure({ subject })
    const r = await exchange((await oidcToken()).body.value)
    expect(r.status).toBe(200)
    expect(typeof r.body.access_token).toBe('string')
  })

  it('an unregistered subject: AADSTS700213 naming the subject; case matters', async () => {
    emu.githubOidc.configure({ ref: 'refs/heads/main' })
    const text = expectAadsts(await exchange((await oidcToken()).body.value), 700213)
    expect(text).toContain(
      "No matching federated identity record found for presented assertion subject 'repo:contoso/contoso-app:ref:refs/heads/main'"
    )
    expect(text).toContain(
      'Check your federated identity credential Subject, Audience and Issuer against the presented assertion.'
    )
    emu.githubOidc.configure({ repository: 'Contoso/contoso-app' })
    expectAadsts(await exchange((await oidcToken()).body.value), 700213)
  })

  it('another audience: AADSTS700212', async () => {
    const text = expectAadsts(
      await exchange((await oidcToken('api://AzureADTokenExchange2')).body.value),
      700212
    )
    expect(text).toContain("presented assertion audience 'api://AzureADTokenExchange2'")
  })

  it('an issuer the app does not trust: AADSTS700211; a forged GitHub token: AADSTS700027', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const forge = (iss: string) => {
      const now = Math.floor(Date.now() / 1000)
      const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'x' })}.${b64({ iss, sub: DEMO_FEDERATED_SUBJECTS[0], aud: DEMO_FEDERATED_AUDIENCE, nbf: now, iat: now, exp: now + 300 })}`
      return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`
    }
    expect(expectAadsts(await exchange(forge('https://gitlab.example.com')), 700211)).toContain(
      "assertion issuer 'https://gitlab.example.com'"
    )
    expectAadsts(await exchange(forge(GITHUB_OIDC_ISSUER)), 700027)
  })

  it('an app without federated credentials: AADSTS700211', async () => {
    const r = await exchange((await oidcToken()).body.value, {
      clientId: '9f41c292-5a6e-4b7f-8283-e5f60718293a'
    })
    expectAadsts(r, 700211)
  })

  it('an expired GitHub token: AADSTS700024 (validator with a clock 10 minutes ahead)', () => {
    const github = new GitHubOidcIssuer()
    const seedTenant = defaultSeed().identities!.tenants[0]! as SeedTenant
    const app = seedTenant.apps.find(a => a.clientId === clientId) as SeedApp
    const token = github.issue(DEMO_FEDERATED_AUDIENCE)
    const input = {
      tenant: seedTenant,
      app,
      assertion: token,
      assertionType: JWT_BEARER,
      tokenEndpoint: 'http://127.0.0.1/x/oauth2/v2.0/token'
    }
    expect(createAssertionValidator({ github })(input)).toBeUndefined()
    const err = createAssertionValidator({ github, now: () => Date.now() + 11 * 60_000 })(input)
    expect(err).toMatchObject({ status: 401, error: 'invalid_client', code: 700024 })
  })
})

describe('access-token lifetime', () => {
  it('an expired access token gets 401 from the v1 API', async () => {
    // Expiry is counted in whole seconds of wall time: a 1-second token may have only a fraction of a
    // second left when it is first used (a flake on a busy machine); 3 seconds leave at least 2.
    const short = await startEmulator({ quiet: true, tokenLifetimeSeconds: 3 })
    try {
      const res = await fetch(`${short.authorityHost}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: DEMO_CREDENTIALS.clientSecret,
          scope: 'https://api.partner.microsoft.com/.default'
        })
      })
      const { access_token, expires_in } = (await res.json()) as { access_token: string; expires_in: number }
      expect(expires_in).toBe(3)
      const call = () =>
        fetch(`${short.ingestionApiUrl}/products`, { headers: { authorization: `Bearer ${access_token}` } })
      expect((await call()).status).toBe(200)
      await new Promise(r => setTimeout(r, 3100))
      const late = await call()
      expect(late.status).toBe(401)
      expect(await late.json()).toContain('The access token has expired')
    } finally {
      await short.close()
    }
  })
})
