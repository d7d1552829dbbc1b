import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { HttpError } from '../../src/http/http-error.js'
import { Transport, type TokenSource } from '../../src/http/transport.js'
import { fakeClock } from '../helpers/fake-clock.js'

const BASE = 'https://api.example.test'

/**
 * A real server on 127.0.0.1 that destroys the first `resets` connections without answering, then
 * answers 201/200: connection resets are tested on a real socket, not a mock.
 */
async function resettingServer(
  resets: number
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0
  const server: Server = createServer((req, res) => {
    hits++
    req.resume()
    if (hits <= resets) return req.socket.destroy()
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('{"ok":1}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise(resolve => server.close(() => resolve()))
  }
}

function transport(clock = fakeClock()) {
  return { clock, t: new Transport({ userAgent: 'partner-center-publish/test', clock, random: () => 0.5 }) }
}

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

describe('Transport', () => {
  it('sends JSON with the User-Agent and returns the parsed body and request-id', async () => {
    const scope = nock(BASE, {
      reqheaders: { 'user-agent': 'partner-center-publish/test', 'content-type': /application\/json/ }
    })
      .post('/things', { a: 1 })
      .reply(201, { id: 'x' }, { 'request-id': 'r-1' })
    const { t } = transport()
    const res = await t.request<{ id: string }>({
      method: 'POST',
      url: `${BASE}/things`,
      operation: 'create',
      retry: 'create',
      json: { a: 1 }
    })
    expect(res).toMatchObject({ status: 201, body: { id: 'x' }, requestId: 'r-1' })
    scope.done()
  })

  it('honours Retry-After on 429 for reads', async () => {
    nock(BASE).get('/r').reply(429, 'slow down', { 'retry-after': '7' }).get('/r').reply(200, { ok: true })
    const { t, clock } = transport()
    const res = await t.request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })
    expect(res.status).toBe(200)
    expect(clock.sleeps).toEqual([7000])
  })

  it('honours a Retry-After given as an HTTP date, waiting until then', async () => {
    const { t, clock } = transport()
    const at = new Date(clock.now() + 9_000).toUTCString()
    nock(BASE).get('/r').reply(503, '', { 'retry-after': at }).get('/r').reply(200, { ok: true })
    const res = await t.request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })
    expect(res.status).toBe(200)
    expect(clock.sleeps).toEqual([9000])
  })

  it('backs off exponentially on 5xx bursts and succeeds', async () => {
    nock(BASE)
      .get('/r')
      .reply(500)
      .get('/r')
      .reply(502)
      .get('/r')
      .reply(503)
      .get('/r')
      .reply(504)
      .get('/r')
      .reply(200, {})
    const { t, clock } = transport()
    await t.request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })
    // Full jitter at random() = 0.5: three quarters of 1, 2, 4, 8 s.
    expect(clock.sleeps).toEqual([750, 1500, 3000, 6000])
  })

  it('retries reads after connection resets', async () => {
    nock.enableNetConnect('127.0.0.1')
    const server = await resettingServer(2)
    try {
      const { t, clock } = transport()
      const res = await t.request({
        method: 'GET',
        url: `${server.url}/r`,
        operation: 'read',
        retry: 'idempotent'
      })
      expect(res.body).toEqual({ ok: 1 })
      expect(clock.sleeps).toHaveLength(2)
      expect(server.hits()).toBe(3)
    } finally {
      await server.close()
    }
  })

  it('gives up after the attempt budget with the last answer', async () => {
    nock(BASE).get('/r').times(6).reply(503, JSON.stringify('ICH50300 - Service unavailable.'))
    const { t } = transport()
    const error = (await t
      .request({ method: 'GET', url: `${BASE}/r`, operation: 'read thing', retry: 'idempotent' })
      .catch(e => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toContain(
      'read thing failed after 6 attempts: HTTP 503 - ICH50300: Service unavailable'
    )
    expect(nock.isDone()).toBe(true)
  })

  it('never retries a create on 5xx or a reset, and marks the outcome unknown', async () => {
    nock(BASE).post('/p').reply(500)
    const { t } = transport()
    const e1 = (await t
      .request({ method: 'POST', url: `${BASE}/p`, operation: 'create', retry: 'create', json: {} })
      .catch(e => e)) as HttpError
    expect(e1.details).toMatchObject({ status: 500, outcomeUnknown: true, attempts: 1 })

    expect(nock.pendingMocks()).toEqual([])

    nock.enableNetConnect('127.0.0.1')
    const server = await resettingServer(1)
    try {
      const e2 = (await t
        .request({ method: 'POST', url: `${server.url}/p`, operation: 'create', retry: 'create', json: {} })
        .catch(e => e)) as HttpError
      expect(e2.details).toMatchObject({
        status: undefined,
        networkCode: 'ECONNRESET',
        outcomeUnknown: true,
        attempts: 1
      })
      expect(server.hits()).toBe(1)
    } finally {
      await server.close()
    }
  })

  it('retries a create on 429 (refused before processing) and on 4xx says the outcome is known', async () => {
    nock(BASE).post('/p').reply(429, '', { 'retry-after': '1' }).post('/p').reply(201, { id: 1 })
    const { t } = transport()
    expect(
      (await t.request({ method: 'POST', url: `${BASE}/p`, operation: 'create', retry: 'create', json: {} }))
        .status
    ).toBe(201)
    nock(BASE).post('/p').reply(409, JSON.stringify('ICH40900 - Conflict.'))
    const e = (await t
      .request({ method: 'POST', url: `${BASE}/p`, operation: 'create', retry: 'create', json: {} })
      .catch(e => e)) as HttpError
    expect(e.details).toMatchObject({ status: 409, outcomeUnknown: false })
  })

  it('does not wait for a Retry-After beyond its bound', async () => {
    nock(BASE).get('/r').reply(429, '', { 'retry-after': '3600' })
    const { t, clock } = transport()
    const e = (await t
      .request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })
      .catch(e => e)) as HttpError
    expect(e.status).toBe(429)
    expect(clock.sleeps).toEqual([])
  })

  it('refreshes the token once on 401 and sends the new one', async () => {
    let issued = 0
    let dropped = 0
    const auth: TokenSource = {
      getToken: async () => `token-${++issued}`,
      invalidate: () => void dropped++,
      origin: BASE,
      originInput: 'ingestion-api-url'
    }
    nock(BASE, { reqheaders: { authorization: 'Bearer token-1' } })
      .get('/r')
      .reply(401)
    nock(BASE, { reqheaders: { authorization: 'Bearer token-2' } })
      .get('/r')
      .reply(200, {})
    const { t } = transport()
    expect(
      (await t.request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent', auth }))
        .status
    ).toBe(200)
    expect(dropped).toBe(1)
    nock(BASE).get('/r').times(2).reply(401)
    const e = (await t
      .request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent', auth })
      .catch(e => e)) as HttpError
    expect(e.status).toBe(401)
  })

  it('returns allowed statuses instead of raising, and attaches hints', async () => {
    nock(BASE).get('/missing').reply(404).get('/forbidden').reply(403)
    const { t } = transport()
    expect(
      (
        await t.request({
          method: 'GET',
          url: `${BASE}/missing`,
          operation: 'read',
          retry: 'idempotent',
          allowStatus: [404]
        })
      ).status
    ).toBe(404)
    const e = (await t
      .request({
        method: 'GET',
        url: `${BASE}/forbidden`,
        operation: 'read',
        retry: 'idempotent',
        hint: err => (err.status === 403 ? 'add the role' : undefined)
      })
      .catch(e => e)) as HttpError
    expect(e.hint).toBe('add the role')
  })

  it('keeps SAS signatures out of error messages', async () => {
    nock(BASE)
      .put(/\/blob/)
      .reply(403, '<Error><Code>AuthenticationFailed</Code><Message>no</Message></Error>')
    const { t } = transport()
    const e = (await t
      .request({
        method: 'PUT',
        url: `${BASE}/blob/x?sv=1&sig=SuperSecretSignature%3D&sp=rwl`,
        operation: 'upload',
        retry: 'idempotent',
        body: 'x'
      })
      .catch(e => e)) as HttpError
    expect(e.message).toContain('AuthenticationFailed')
    expect(e.message).not.toContain('SuperSecretSignature')
  })
})
