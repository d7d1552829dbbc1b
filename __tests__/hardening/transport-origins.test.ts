import { afterEach, describe, expect, it } from '@jest/globals'
import { errorAnnotations, everythingWritten, findLeaks, runAction } from '../helpers/run-action.js'
import {
  answerToken,
  credentialsSeen,
  hostileInputs,
  hostileServer,
  json,
  SECRET,
  TOKEN,
  type HostileServer
} from './transport-hostile-server.js'

// Tokens and secrets go only to the configured origins, and redirects never carry them (issue #15,
// items 1, 2 and 8). Each test runs the bundle against a service on 127.0.0.1 that tries to lure a
// credential to a second server, and checks what that second server received: nothing.

const servers: HostileServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()))
})

async function server(handler: Parameters<typeof hostileServer>[0]): Promise<HostileServer> {
  const s = await hostileServer(handler)
  servers.push(s)
  return s
}

/** Whoever is lured: answers everything with an empty page, so a leak would also "work". */
const lure = (): Promise<HostileServer> =>
  server((req, res) => (answerToken(req, res) ? undefined : json(res, 200, { value: [] })))

function expectCleanFailure(
  run: Awaited<ReturnType<typeof runAction>>,
  inputs: Record<string, string>
): void {
  expect(run.code).toBe(1)
  expect(findLeaks(run, { inputs })).toEqual([])
  const text = everythingWritten(run)
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain(TOKEN)
}

describe('tokens stay with their origin', () => {
  it('refuses an absolute nextLink to another host and sends it nothing', async () => {
    const other = await lure()
    // `localhost` is loopback, but another origin than 127.0.0.1.
    const link = `http://localhost:${other.port}/v1.0/ingestion/products?$skipToken=2`
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      json(res, 200, { value: [], nextLink: link })
    })
    const inputs = hostileInputs(api)
    const run = await runAction({ inputs })
    expectCleanFailure(run, inputs)
    expect(other.seen).toEqual([])
    expect(errorAnnotations(run).join('\n')).toMatch(
      /List (?:\w+ )?offers \(page 2\): refused to send the access token to http:\/\/localhost:\d+: it is not the origin of ingestion-api-url/
    )
    // The first page did get the token: it is the configured origin.
    expect(api.seen.filter(r => r.authorization === `Bearer ${TOKEN}`)).toHaveLength(1)
  })

  it('refuses a nextLink to the same host on another port', async () => {
    const other = await lure()
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      json(res, 200, { value: [], '@odata.nextLink': `${other.origin}/v1.0/ingestion/products?page=2` })
    })
    const inputs = hostileInputs(api)
    const run = await runAction({ inputs })
    expectCleanFailure(run, inputs)
    expect(other.seen).toEqual([])
    expect(errorAnnotations(run).join('\n')).toContain(`refused to send the access token to ${other.origin}`)
  })

  it('refuses a nextLink over plain http to a host that is not loopback, before any lookup', async () => {
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      json(res, 200, { value: [], nextLink: 'http://partner-center.example/v1.0/ingestion/products?page=2' })
    })
    const inputs = hostileInputs(api)
    const run = await runAction({ inputs })
    expectCleanFailure(run, inputs)
    expect(errorAnnotations(run).join('\n')).toContain(
      'refused to send a request to http://partner-center.example: it is not https'
    )
  })
})

describe('redirects are not followed', () => {
  it('a 307 from the token endpoint does not re-post the client secret elsewhere', async () => {
    const other = await lure()
    const authority = await server((req, res) => {
      res.writeHead(307, { location: `${other.origin}${req.url}` })
      res.end()
    })
    const inputs = hostileInputs(authority)
    const run = await runAction({ inputs })
    expectCleanFailure(run, inputs)
    expect(other.seen).toEqual([])
    // The authority host itself got the secret once (it is the configured one), and no retry.
    expect(authority.seen.filter(r => r.body.includes(SECRET))).toHaveLength(1)
    expect(errorAnnotations(run).join('\n')).toContain(`a redirect to ${other.origin}, which is not followed`)
  })

  it('a 307 from the API to another port does not carry the bearer token', async () => {
    const other = await lure()
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      res.writeHead(307, { location: `${other.origin}${req.url}` })
      res.end()
    })
    const inputs = hostileInputs(api)
    const run = await runAction({ inputs })
    expectCleanFailure(run, inputs)
    expect(other.seen).toEqual([])
    expect(credentialsSeen(other)).toEqual([])
    expect(errorAnnotations(run).join('\n')).toMatch(
      /List (?:\w+ )?offers \(page 1\) failed: HTTP 307 - a redirect to/
    )
  })
})

describe('loopback means loopback', () => {
  it.each(['http://login.localhost', 'http://127.0.0.1.nip.io', 'http://[::ffff:7f00:1]'])(
    'authority-host %s over plain http is refused before any request',
    async host => {
      const api = await lure()
      const inputs = hostileInputs(api, { 'authority-host': `${host}:${api.port}` })
      const run = await runAction({ inputs })
      expect(run.code).toBe(1)
      expect(errorAnnotations(run).join('\n')).toMatch(/authority-host.*is not https/s)
      expect(api.seen).toEqual([])
    }
  )
})
