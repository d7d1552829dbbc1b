import { afterEach, describe, expect, it } from '@jest/globals'
import type { ServerResponse } from 'node:http'
import { errorAnnotations, runAction } from '../helpers/run-action.js'
import { rehearsalEnv } from '../helpers/emulator.js'
import {
  answerToken,
  hostileInputs,
  hostileServer,
  json,
  type HostileServer
} from './transport-hostile-server.js'

// Every request ends (issue #15, item 4): a body that trickles, a body that stalls, a list that
// loops. Each run must end with exit code 1, an ::error naming the request and a job summary —
// never hang, and never exit 13 ("unsettled top-level await") with nothing said.

const servers: HostileServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()))
})

async function server(handler: Parameters<typeof hostileServer>[0]): Promise<HostileServer> {
  const s = await hostileServer(handler)
  servers.push(s)
  return s
}

/** Headers at once, then one byte of a never-ending body every `everyMs` (until the client leaves). */
function trickle(res: ServerResponse, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000000' })
  res.write('{"value":[')
  const timer = setInterval(() => res.write(' '), everyMs)
  res.on('close', () => clearInterval(timer))
}

function expectReportedFailure(run: Awaited<ReturnType<typeof runAction>>, text: RegExp): void {
  expect(run.signal).toBeNull()
  expect(run.code).toBe(1)
  expect(errorAnnotations(run).join('\n')).toMatch(text)
  // The summary shows the same words, as escaped Markdown text.
  expect(run.summary.replace(/\\(.)/g, '$1').replace(/\u200b/g, '')).toMatch(text)
}

describe('a body that trickles', () => {
  it('ends at timeout-minutes, although the socket is never silent', async () => {
    const api = await server((req, res) => (answerToken(req, res) ? undefined : trickle(res, 50)))
    // 0.05 minutes: 3 s.
    const run = await runAction({ inputs: hostileInputs(api, { 'timeout-minutes': '0.05' }) })
    expectReportedFailure(run, /List (?:\w+ )?offers \(page 1\) failed: no response \(RUN_DEADLINE\)/)
    expect(run.durationMs).toBeLessThan(20_000)
    // Nothing is retried past the deadline.
    expect(api.seen.filter(r => r.url.includes('/products'))).toHaveLength(1)
  })

  it('ends at the whole-request limit, and is retried like a timeout (rehearsal: 5 min / 1000, at least 1 s)', async () => {
    const api = await server((req, res) => (answerToken(req, res) ? undefined : trickle(res, 20)))
    const run = await runAction({ inputs: hostileInputs(api), env: rehearsalEnv(1000) })
    expectReportedFailure(
      run,
      /List (?:\w+ )?offers \(page 1\) failed after 6 attempts: no response \(REQUEST_TIMEOUT\)/
    )
    expect(api.seen.filter(r => r.url.includes('/products'))).toHaveLength(6)
  })
})

describe('a body that stalls', () => {
  it('ends with an error naming the request, not exit 13', async () => {
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{"value":[')
      // …and nothing more, ever.
    })
    // A rehearsal at 1000x shortens both limits to their floor of 1 s: whichever ends it first.
    const run = await runAction({ inputs: hostileInputs(api), env: rehearsalEnv(1000) })
    expectReportedFailure(
      run,
      /List (?:\w+ )?offers \(page 1\) failed after 6 attempts: no response \((SOCKET_TIMEOUT|REQUEST_TIMEOUT)\)/
    )
  })
})

describe('a list that never ends', () => {
  it('stops at a link it has already followed', async () => {
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      // Every page links to itself: the page just read.
      json(res, 200, { value: [], nextLink: (req.url ?? '/').slice(1) })
    })
    const run = await runAction({ inputs: hostileInputs(api) })
    expectReportedFailure(
      run,
      /List (?:\w+ )?offers: the service sent a next-page link that was already followed/
    )
    expect(api.seen.filter(r => r.url.includes('/products'))).toHaveLength(1)
  })

  it('stops after 1000 pages of ever-new links', async () => {
    const api = await server((req, res) => {
      if (answerToken(req, res)) return
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('$skipToken') ?? '0')
      json(res, 200, { value: [], nextLink: `v1.0/ingestion/products?$skipToken=${page + 1}` })
    })
    const run = await runAction({ inputs: hostileInputs(api) })
    expectReportedFailure(
      run,
      /List (?:\w+ )?offers: stopped after 1000 pages; the service kept sending next-page links/
    )
    expect(api.seen.filter(r => r.url.includes('/products'))).toHaveLength(1000)
  }, 120_000)
})
