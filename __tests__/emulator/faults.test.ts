import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { request } from 'node:http'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FAULT_PROFILES, type RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, DEMO_CREDENTIALS } from '../../emulator/seed/default.js'
import { api, getToken, start, until } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof api>
beforeAll(async () => {
  emu = await start()
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())
beforeEach(() => emu.setFaults([], 0))

/** Raw request that reports a socket error instead of throwing (fetch retries hide nothing but wrap errors). */
function raw(
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
  timeoutMs = 5000
) {
  return new Promise<{ status?: number; error?: string; body?: string }>(resolve => {
    const req = request(
      url,
      { method, headers: { ...headers, connection: 'close' }, timeout: timeoutMs },
      res => {
        let data = ''
        res.on('data', c => (data += c))
        res.on('end', () => resolve({ status: res.statusCode, body: data }))
        res.on('error', e => resolve({ error: e.message }))
      }
    )
    req.on('timeout', () => {
      req.destroy(new Error('client timeout'))
    })
    req.on('error', e => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }))
    if (body) req.write(body)
    req.end()
  })
}

describe('faults', () => {
  it("'status' 429 with Retry-After and an ICH body; `after` and `times` honoured", async () => {
    emu.setFaults([
      { method: 'GET', path: '/products$', action: 'status', status: 429, retryAfter: 2, after: 1, times: 2 }
    ])
    expect((await call('GET', '/products')).status).toBe(200)
    const r = await call('GET', '/products')
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('2')
    expect(r.body).toMatch(/^ICH42900 - /)
    expect((await call('GET', '/products')).status).toBe(429)
    expect((await call('GET', '/products')).status).toBe(200)
  })

  it("'status' 5xx answers carry an ICH code of their own, never the 400 validation code", async () => {
    const seen = new Map<number, string>()
    for (const status of [500, 502, 503, 504]) {
      emu.setFaults([{ method: 'GET', path: '/products$', action: 'status', status }])
      const r = await call('GET', '/products')
      expect(r.status).toBe(status)
      seen.set(status, /^ICH(\d+) - /.exec(String(r.body))![1])
    }
    expect(new Set(seen.values()).size).toBe(4)
    expect([...seen.values()]).not.toContain('50400')
  })

  it("'status' on the blob and token endpoints speaks their dialects; custom body", async () => {
    emu.setFaults([
      { path: '/oauth2/', action: 'status', status: 503 },
      { path: '^/blob/', action: 'status', status: 503 },
      { path: 'setup', action: 'status', status: 500, body: { custom: true } }
    ])
    const t = await fetch(`${emu.url}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`, { method: 'POST' })
    expect(t.status).toBe(503)
    expect(((await t.json()) as { error: string }).error).toBe('temporarily_unavailable')
    const b = await fetch(`${emu.url}/blob/file/123`, { method: 'PUT', body: 'x' })
    expect(b.status).toBe(503)
    expect(await b.text()).toContain('<Code>ServerBusy</Code>')
    const s = await call('GET', `/products/${CONTOSO_APP.productId}/setup`)
    expect(s.body).toEqual({ custom: true })
  })

  it("'reset' destroys the socket without a response", async () => {
    emu.setFaults([{ method: 'GET', action: 'reset' }])
    const r = await raw('GET', `${emu.ingestionApiUrl}/products`)
    expect(r.status).toBeUndefined()
    expect(r.error).toMatch(/ECONNRESET|socket hang up/)
    const log = emu.requests()
    expect(log[log.length - 1]).toMatchObject({ method: 'GET', status: 0, fault: 'reset', write: false })
  })

  it("'delay' holds the response beyond a client timeout", async () => {
    emu.setFaults([{ method: 'GET', action: 'delay', delayMs: 600 }])
    const tokenPath = `/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`
    const r = await raw('GET', `${emu.url}${tokenPath}`, undefined, {}, 200)
    expect(r.status).toBeUndefined()
    expect(r.error).toBe('client timeout')
    // The emulator goes on holding the abandoned request and logs it when the delay is over. Wait for
    // that here: left in flight, it would land in the log of whichever test runs next (after its reset).
    const abandoned = await until(
      async () => emu.requests().find(e => e.method === 'GET' && e.path === tokenPath),
      entry => entry !== undefined
    )
    expect(abandoned).toMatchObject({ method: 'GET', fault: 'delay' })
    expect(abandoned!.durationMs).toBeGreaterThanOrEqual(600)

    emu.setFaults([{ method: 'GET', action: 'delay', delayMs: 150 }])
    const t0 = Date.now()
    const ok = await call('GET', '/products')
    expect(ok.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
  })

  it("'drop-response' processes the request (package created) but the client gets no answer", async () => {
    emu.setFaults('lost-create')
    const token = await getToken(emu)
    const before = (await call('GET', `/products/${CONTOSO_APP.productId}/packages`)).body.value.length
    const r = await raw(
      'POST',
      `${emu.ingestionApiUrl}/products/${CONTOSO_APP.productId}/packages`,
      JSON.stringify({ resourceType: 'AzureApplicationPackage', fileName: 'lost.zip' }),
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    )
    expect(r.status).toBeUndefined()
    const after = (await call('GET', `/products/${CONTOSO_APP.productId}/packages`)).body.value
    expect(after).toHaveLength(before + 1)
    expect(after.some((p: { fileName: string }) => p.fileName === 'lost.zip')).toBe(true)
    const entry = emu.requests().find(e => e.fault === 'drop-response')
    expect(entry).toMatchObject({ method: 'POST', status: 201, write: true })
    // fired once: the next create answers normally
    expect(
      (
        await call('POST', `/products/${CONTOSO_APP.productId}/packages`, {
          resourceType: 'AzureApplicationPackage',
          fileName: 'b.zip'
        })
      ).status
    ).toBe(201)
  })

  it('named profiles exist and are valid; unknown profile throws', () => {
    for (const name of [
      'none',
      'throttle',
      'flaky',
      'resets',
      'slow',
      'lost-create',
      'etag-conflict',
      'submission-conflict'
    ]) {
      expect(FAULT_PROFILES[name]).toBeDefined()
      expect(() => emu.setFaults(name)).not.toThrow()
    }
    expect(() => emu.setFaults('nope')).toThrow(/unknown fault profile/)
  })

  it("profile 'etag-conflict' answers one 412 on the first package configuration PUT", async () => {
    emu.setFaults('etag-conflict')
    const r = await call(
      'PUT',
      `/products/${CONTOSO_APP.productId}/packageConfigurations/x`,
      {},
      { 'if-match': '*' }
    )
    expect(r.status).toBe(412)
    expect(r.body).toMatch(/^ICH41200/)
  })

  it('latency is added to every response but not to /_emulator', async () => {
    emu.setFaults([], 400)
    const t0 = Date.now()
    const finished: string[] = []
    const api = call('GET', '/products').then(() => finished.push('api'))
    const health = fetch(`${emu.url}/_emulator/health`).then(() => finished.push('health'))
    await Promise.all([api, health])
    expect(finished).toEqual(['health', 'api'])
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390)
  })
})

describe('inspection endpoints and request log', () => {
  it('redacts secrets: no client_secret, no Authorization, sig=REDACTED', async () => {
    emu.reset()
    const token = await getToken(emu)
    const pkg = (
      await api(emu, token)('POST', `/products/${CONTOSO_APP.productId}/packages`, {
        resourceType: 'AzureApplicationPackage',
        fileName: 'a.zip'
      })
    ).body
    await fetch(pkg.fileSasUri, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'zip' })
    await fetch(
      `${emu.url}/${DEMO_CREDENTIALS.tenantId}/oauth2/token?client_secret=${encodeURIComponent(DEMO_CREDENTIALS.clientSecret)}`,
      { method: 'POST' }
    )
    const res = await fetch(`${emu.url}/_emulator/requests`)
    const text = await res.text()
    expect(text).not.toContain(DEMO_CREDENTIALS.clientSecret)
    expect(text).not.toContain(token)
    expect(text).not.toContain(new URL(pkg.fileSasUri).searchParams.get('sig')!)
    expect(text).not.toContain(encodeURIComponent(new URL(pkg.fileSasUri).searchParams.get('sig')!))
    const entries = (JSON.parse(text) as { value: Array<Record<string, unknown>> }).value
    expect(entries.find(e => String(e.path).startsWith('/blob/'))!.path).toMatch(/sig=REDACTED/)
    expect(entries[0]).toEqual({
      seq: 1,
      time: expect.any(String),
      method: 'POST',
      path: `/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`,
      status: 200,
      durationMs: expect.any(Number),
      write: true
    })
    expect(entries.some(e => String(e.path).startsWith('/_emulator'))).toBe(false)
    expect(emu.requests()).toEqual(entries)
  })

  it('state, health, faults PUT/DELETE, reset over HTTP', async () => {
    expect(await (await fetch(`${emu.url}/_emulator/health`)).json()).toEqual({ status: 'ok' })
    const st = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as {
      products: Array<{ offerId: string }>
      tenants: unknown
    }
    expect(st.products.some(p => p.offerId === 'contoso-app')).toBe(true)
    expect(JSON.stringify(st)).not.toContain(DEMO_CREDENTIALS.clientSecret)
    expect((emu.state() as { products: unknown }).products).toEqual(st.products)

    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ profile: 'throttle' })
    })
    expect(((await put.json()) as { rules: unknown[] }).rules.length).toBeGreaterThan(0)
    expect((await call('GET', '/products')).status).toBe(429)
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' })
    expect((await call('GET', '/products')).status).toBe(200)
    const bad = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ action: 'explode' }] })
    })
    expect(bad.status).toBe(400)

    await call('POST', '/products', {
      resourceType: 'AzureContainer',
      name: 'x',
      externalIDs: [{ type: 'AzureOfferId', value: 'to-be-reset' }]
    })
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(emu.requests()).toEqual([])
    const f = encodeURIComponent("externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq 'to-be-reset')")
    expect((await call('GET', `/products?$filter=${f}`)).body.value).toEqual([])
  })
})

describe('seeds', () => {
  it('loads a YAML seed file; generate: 10,000 offers, served in pages of the page size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'))
    const file = join(dir, 'seed.yaml')
    writeFileSync(
      file,
      [
        'identities:',
        '  tenants:',
        '    - id: 0a0a0a0a-0000-4000-8000-000000000001',
        '      domains: [fabrikam.onmicrosoft.com]',
        '      apps:',
        '        - clientId: 0a0a0a0a-0000-4000-8000-000000000002',
        '          displayName: ci',
        '          partnerCenterRole: Manager',
        '          secrets: [{ id: 0a0a0a0a-0000-4000-8000-000000000003, value: "EMU~yaml.secret" }]',
        'offers:',
        '  - resourceType: AzureApplication',
        '    offerId: fabrikam-app',
        '    name: Fabrikam',
        '    plans: [{ planId: gold, name: Gold, packageVersion: 3.1.4 }]',
        'generate: { offers: 10000 }'
      ].join('\n')
    )
    // How fast the emulator generates and pages this many offers is measured by `npm run bench`
    // (listing 10,000 offers against 1,000), not by a wall-clock limit here.
    const big = await start({ seed: file, pageSize: 100 })
    try {
      const tok = await getToken(big, {
        tenant: 'fabrikam.onmicrosoft.com',
        clientId: '0a0a0a0a-0000-4000-8000-000000000002',
        clientSecret: 'EMU~yaml.secret'
      })
      const c = api(big, tok)
      const f = encodeURIComponent(
        "externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq 'fabrikam-app')"
      )
      const prod = (await c('GET', `/products?$filter=${f}`)).body.value[0]
      const plans = (await c('GET', `/products/${prod.id}/variants`)).body.value
      expect(plans[0]).toMatchObject({ externalID: 'gold', subType: 'solution-template' })
      let path = '/products'
      const pages: number[] = []
      for (;;) {
        const r = await c('GET', path)
        pages.push(r.body.value.length)
        if (!r.body.nextLink) break
        path = '/' + r.body.nextLink.replace(/^v1\.0\/ingestion\//, '')
      }
      expect(pages.reduce((a, b) => a + b, 0)).toBe(10001)
      expect(pages).toHaveLength(101)
      expect(pages.slice(0, -1).every(n => n === 100)).toBe(true)
    } finally {
      await big.close()
    }
  })

  it('refuses an invalid seed with the path of the bad field', async () => {
    await expect(start({ seed: { offers: [{ offerId: 'x' } as never] } })).rejects.toThrow(/offers\[0\]/)
  })
})
