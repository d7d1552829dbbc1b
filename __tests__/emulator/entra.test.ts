import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  DEMO_CREDENTIALS,
  DEMO_SECRET_ID,
  DISABLED_APP,
  EXPIRED_SECRET_APP,
  NO_ROLE_APP
} from '../../emulator/seed/default.js'
import { api, start } from './helpers.js'

let emu: RunningEmulator
beforeAll(async () => {
  emu = await start({ tokenLifetimeSeconds: 1200 })
})
afterAll(async () => emu.close())

async function token(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form)
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

const v2 = (extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: DEMO_CREDENTIALS.clientId,
  client_secret: DEMO_CREDENTIALS.clientSecret,
  scope: 'https://api.partner.microsoft.com/.default',
  ...extra
})
const V2 = `/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`

function decode(jwt: string) {
  const [h, p, s] = jwt.split('.')
  expect(s).toBeTruthy()
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString())
  }
}

function expectEntraError(body: Record<string, any>, error: string, code: number) {
  expect(body.error).toBe(error)
  expect(body.error_codes).toEqual([code])
  expect(body.error_description).toMatch(
    new RegExp(
      `^AADSTS${code}: .*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: `,
      's'
    )
  )
  expect(body.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`)
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/)
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/)
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
}

describe('Entra token endpoints', () => {
  it('v2: integer lifetimes and a JWT with aud/tid/appid/iat/nbf/exp', async () => {
    const r = await token(V2, v2())
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      token_type: 'Bearer',
      expires_in: 1200,
      ext_expires_in: 1200,
      access_token: expect.any(String)
    })
    const { payload } = decode(r.body.access_token)
    expect(payload).toMatchObject({
      aud: 'https://api.partner.microsoft.com',
      tid: DEMO_CREDENTIALS.tenantId,
      appid: DEMO_CREDENTIALS.clientId
    })
    expect(payload.exp - payload.iat).toBe(1200)
    expect(payload.nbf).toBe(payload.iat)
  })

  it('v1: string numerics incl. expires_on, not_before, resource; tenant by domain', async () => {
    const r = await token(`/${DEMO_CREDENTIALS.tenantDomain}/oauth2/token`, {
      grant_type: 'client_credentials',
      client_id: DEMO_CREDENTIALS.clientId,
      client_secret: DEMO_CREDENTIALS.clientSecret,
      resource: 'https://graph.microsoft.com'
    })
    expect(r.status).toBe(200)
    expect(r.body.expires_in).toBe('1200')
    expect(r.body.ext_expires_in).toBe('1200')
    expect(typeof r.body.expires_on).toBe('string')
    expect(Number(r.body.expires_on) - Number(r.body.not_before)).toBe(1200)
    expect(r.body.resource).toBe('https://graph.microsoft.com')
    expect(decode(r.body.access_token).payload.aud).toBe('https://graph.microsoft.com')
  })

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(
      `${DEMO_CREDENTIALS.clientId}:${encodeURIComponent(DEMO_CREDENTIALS.clientSecret)}`
    ).toString('base64')
    const r = await token(
      V2,
      { grant_type: 'client_credentials', scope: 'https://api.partner.microsoft.com/.default' },
      { authorization: `Basic ${basic}` }
    )
    expect(r.status).toBe(200)
  })

  it.each([
    ['wrong secret', V2, v2({ client_secret: 'nope' }), 401, 'invalid_client', 7000215],
    ['secret ID instead of value', V2, v2({ client_secret: DEMO_SECRET_ID }), 401, 'invalid_client', 7000215],
    [
      'expired secret',
      V2,
      v2({ client_id: EXPIRED_SECRET_APP.clientId, client_secret: EXPIRED_SECRET_APP.clientSecret }),
      401,
      'invalid_client',
      7000222
    ],
    [
      'unknown client',
      V2,
      v2({ client_id: '00000000-0000-0000-0000-000000000001' }),
      400,
      'unauthorized_client',
      700016
    ],
    [
      'unknown tenant',
      '/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token',
      v2(),
      400,
      'invalid_tenant',
      90002
    ],
    [
      'disabled app',
      V2,
      v2({ client_id: DISABLED_APP.clientId, client_secret: DISABLED_APP.clientSecret }),
      400,
      'unauthorized_client',
      7000112
    ],
    [
      'unknown resource',
      V2,
      v2({ scope: 'https://management.azure.com/.default' }),
      400,
      'invalid_resource',
      500011
    ],
    [
      'no secret',
      V2,
      {
        grant_type: 'client_credentials',
        client_id: DEMO_CREDENTIALS.clientId,
        scope: 'https://api.partner.microsoft.com/.default'
      },
      401,
      'invalid_client',
      7000218
    ],
    [
      'scope without /.default',
      V2,
      v2({ scope: 'https://api.partner.microsoft.com/user_impersonation' }),
      400,
      'invalid_scope',
      70011
    ],
    ['wrong grant type', V2, v2({ grant_type: 'password' }), 400, 'unsupported_grant_type', 70003]
  ])('%s', async (_name, path, form, status, error, code) => {
    const r = await token(path, form)
    expect(r.status).toBe(status)
    expectEntraError(r.body, error, code)
  })

  it('invalid secret text tells the value, not the ID, must be sent', async () => {
    const r = await token(V2, v2({ client_secret: DEMO_SECRET_ID }))
    expect(r.body.error_description).toContain('client secret value, not the client secret ID')
  })

  it('client assertions are refused until a validator is plugged in', async () => {
    const r = await token(V2, {
      grant_type: 'client_credentials',
      client_id: DEMO_CREDENTIALS.clientId,
      scope: 'https://api.partner.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'a.b.c'
    })
    expect(r.status).toBe(401)
    expectEntraError(r.body, 'invalid_client', 700027)
  })
})

describe('v1 API token checks', () => {
  it('401 without a token, with a foreign token, with a Graph token; 403 without a Partner Center role', async () => {
    const noAuth = await fetch(`${emu.ingestionApiUrl}/products`)
    expect(noAuth.status).toBe(401)
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await noAuth.json()).toMatch(/^ICH40100 - /)

    const forged = await api(emu, 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln')('GET', '/products')
    expect(forged.status).toBe(401)

    const graph = await token(V2, v2({ scope: 'https://graph.microsoft.com/.default' }))
    const wrongAud = await api(emu, graph.body.access_token)('GET', '/products')
    expect(wrongAud.status).toBe(401)
    expect(wrongAud.body).toContain('audience')

    const noRole = await token(
      V2,
      v2({ client_id: NO_ROLE_APP.clientId, client_secret: NO_ROLE_APP.clientSecret })
    )
    expect(noRole.status).toBe(200)
    const forbidden = await api(emu, noRole.body.access_token)('GET', '/products')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body).toMatch(/^ICH40300 - .*Manager/)
    expect(forbidden.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('401 once the token has expired', async () => {
    const short = await start({ tokenLifetimeSeconds: 1 })
    try {
      const r = await fetch(`${short.url}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(v2())
      })
      const t = ((await r.json()) as { access_token: string }).access_token
      expect((await api(short, t)('GET', '/products')).status).toBe(200)
      await new Promise(res => setTimeout(res, 2100))
      const late = await api(short, t)('GET', '/products')
      expect(late.status).toBe(401)
      expect(late.body).toContain('expired')
    } finally {
      await short.close()
    }
  })
})
