import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { ActionError } from '../../src/errors.js'
import { HttpError } from '../../src/http/http-error.js'
import { originOf } from '../../src/http/origin-policy.js'
import { MAX_PAGES, PageGuard } from '../../src/http/page-guard.js'
import { Transport, type TokenSource } from '../../src/http/transport.js'
import { isLoopback, isSecureUrl } from '../../src/http/url-policy.js'
import { fakeClock } from '../helpers/fake-clock.js'

const BASE = 'https://api.example.test'

const transport = (options: Partial<ConstructorParameters<typeof Transport>[0]> = {}) =>
  new Transport({ userAgent: 'test', clock: fakeClock(), random: () => 0.5, ...options })

const source = (origin = BASE): TokenSource & { issued: number } => {
  const s = {
    issued: 0,
    getToken: async () => `token-${++s.issued}`,
    invalidate: () => undefined,
    origin,
    originInput: 'ingestion-api-url'
  }
  return s
}

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

describe('a create answered without a body', () => {
  it.each([
    [201, ''],
    [200, ''],
    [201, '{"id":'],
    [201, '<html>created</html>']
  ])('%s %j: a typed error, outcome unknown, not retried', async (status, body) => {
    nock(BASE).post('/things').reply(status, body)
    const error = (await transport()
      .request({
        method: 'POST',
        url: `${BASE}/things`,
        operation: 'create thing',
        retry: 'create',
        json: {}
      })
      .catch(e => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.details).toMatchObject({ status, outcomeUnknown: true, attempts: 1 })
    expect(error.message).toContain(`create thing failed: HTTP ${status} - the answer`)
    expect(error.message).toContain('outcome unknown: the object may exist')
    expect(nock.isDone()).toBe(true)
  })

  it('a read with an empty 200 is an error whose outcome is known; 204 and an empty PUT are fine', async () => {
    nock(BASE).get('/r').reply(200, '').get('/r').reply(204).put('/r').reply(200, '')
    const t = transport()
    const error = (await t
      .request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })
      .catch(e => e)) as HttpError
    expect(error.details).toMatchObject({ status: 200, outcomeUnknown: false })
    expect(
      (await t.request({ method: 'GET', url: `${BASE}/r`, operation: 'read', retry: 'idempotent' })).status
    ).toBe(204)
    expect(
      (await t.request({ method: 'PUT', url: `${BASE}/r`, operation: 'put', retry: 'idempotent' })).status
    ).toBe(200)
  })

  it("answer: 'any' takes a blob service's XML or empty body as it is", async () => {
    nock(BASE).put('/blob').reply(201, '<?xml version="1.0"?><x/>')
    const response = await transport().request({
      method: 'PUT',
      url: `${BASE}/blob`,
      operation: 'upload',
      retry: 'idempotent',
      answer: 'any'
    })
    expect(response.status).toBe(201)
  })
})

describe('where a token may go', () => {
  it('is sent to its own origin, default port written or not', async () => {
    nock(BASE, { reqheaders: { authorization: 'Bearer token-1' } })
      .get('/r')
      .reply(200, {})
    const auth = source('https://API.example.test:443/v1.0/ingestion')
    await transport().request({
      method: 'GET',
      url: `${BASE}/r`,
      operation: 'read',
      retry: 'idempotent',
      auth
    })
    expect(auth.issued).toBe(1)
  })

  it.each([
    ['another host', 'https://evil.example.test/r'],
    ['another port', 'https://api.example.test:8443/r'],
    ['another scheme', 'http://127.0.0.1/r']
  ])('is refused to %s before a token is even fetched for it', async (_what, url) => {
    const auth = source()
    const error = await transport()
      .request({ method: 'GET', url, operation: 'read page 2', retry: 'idempotent', auth })
      .catch(e => e)
    expect(error).toBeInstanceOf(ActionError)
    expect(auth.issued).toBe(0)
    expect((error as Error).message).toContain(
      `read page 2: refused to send the access token to ${new URL(url).origin}: it is not the origin of ingestion-api-url (${BASE})`
    )
  })

  it('no request at all goes over plain http to a host that is not loopback', async () => {
    const error = await transport()
      .request({
        method: 'PUT',
        url: 'http://blob.example.test/c/b?sig=x',
        operation: 'upload',
        retry: 'idempotent'
      })
      .catch(e => e)
    expect((error as Error).message).toContain(
      'refused to send a request to http://blob.example.test: it is not https'
    )
  })

  it('originOf writes the default port, so that equal origins compare equal', () => {
    expect(originOf('https://Host.example/a')).toBe('https://host.example:443')
    expect(originOf('https://host.example:443/b')).toBe('https://host.example:443')
    expect(originOf('http://127.0.0.1/b')).toBe('http://127.0.0.1:80')
  })
})

describe('what counts as loopback', () => {
  it.each(['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', '[::1]', '::1'])('%s is loopback', host =>
    expect(isLoopback(host)).toBe(true)
  )
  it.each([
    'evil.localhost',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    '127.0.0.256',
    '[::ffff:7f00:1]',
    '10.0.0.1',
    '0.0.0.0'
  ])('%s is not', host => expect(isLoopback(host)).toBe(false))
  it('plain http is secure only to loopback', () => {
    expect(isSecureUrl(new URL('http://127.0.0.1:4010/x'))).toBe(true)
    expect(isSecureUrl(new URL('http://a.localhost:4010/x'))).toBe(false)
    expect(isSecureUrl(new URL('https://a.localhost/x'))).toBe(true)
  })
})

describe('every request ends', () => {
  it('an answer larger than the limit ends the request with RESPONSE_TOO_LARGE, not retried', async () => {
    nock(BASE).get('/big').reply(200, 'x'.repeat(2048))
    const error = (await transport({ maxResponseBytes: 1024 })
      .request({ method: 'GET', url: `${BASE}/big`, operation: 'read', retry: 'idempotent' })
      .catch(e => e)) as HttpError
    expect(error.details).toMatchObject({ networkCode: 'RESPONSE_TOO_LARGE', attempts: 1 })
  })

  it('a body that trickles ends at the whole-request limit, on a real socket', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000000' })
      const timer = setInterval(() => res.write(' '), 10)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`
      const started = Date.now()
      const error = (await transport({ requestTimeoutMs: 300, policy: { maxAttempts: 2 } })
        .request({ method: 'GET', url, operation: 'read slowly', retry: 'idempotent' })
        .catch(e => e)) as HttpError
      expect(error.details).toMatchObject({ networkCode: 'REQUEST_TIMEOUT', attempts: 2 })
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('the run deadline ends a request and no retry starts after it', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000000' })
      const timer = setInterval(() => res.write(' '), 10)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`
      const error = (await transport({ deadlineAt: Date.now() + 300 })
        .request({ method: 'GET', url, operation: 'read slowly', retry: 'idempotent' })
        .catch(e => e)) as HttpError
      expect(error.details).toMatchObject({ networkCode: 'RUN_DEADLINE', attempts: 1 })
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })
})

describe('PageGuard', () => {
  it('refuses a link already followed, however its fragment differs', () => {
    const guard = new PageGuard('List offers')
    guard.visit('https://h/v1/products')
    guard.visit('https://h/v1/products?$skipToken=1')
    expect(() => guard.visit('https://h/v1/products?$skipToken=1#x')).toThrow(
      'List offers: the service sent a next-page link that was already followed'
    )
  })

  it(`stops after ${MAX_PAGES} pages`, () => {
    const guard = new PageGuard('List plans')
    for (let page = 0; page < MAX_PAGES; page++) guard.visit(`https://h/p?page=${page}`)
    expect(() => guard.visit('https://h/p?page=new')).toThrow(`List plans: stopped after ${MAX_PAGES} pages`)
  })
})
