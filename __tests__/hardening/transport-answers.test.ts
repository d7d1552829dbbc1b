import { afterEach, describe, expect, it } from '@jest/globals'
import { errorAnnotations, runAction } from '../helpers/run-action.js'
import { answerToken, hostileInputs, hostileServer, type HostileServer } from './transport-hostile-server.js'

// Answers that make no sense are errors (issue #15, item 5): a 200 whose body is an HTML page or JSON
// cut short must fail the run naming the request, never report "0 offers".

const servers: HostileServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()))
})

async function listAnswering(
  body: string,
  contentType: string
): Promise<Awaited<ReturnType<typeof runAction>>> {
  const api = await hostileServer((req, res) => {
    if (answerToken(req, res)) return
    res.writeHead(200, { 'content-type': contentType })
    res.end(body)
  })
  servers.push(api)
  return runAction({ inputs: hostileInputs(api) })
}

describe('a 200 that is not what the API answers', () => {
  it('an HTML page (a proxy sign-in page) fails the list, naming the request', async () => {
    const run = await listAnswering(
      '<!DOCTYPE html><html><body>Please sign in to the proxy</body></html>',
      'text/html'
    )
    expect(run.code).toBe(1)
    expect(errorAnnotations(run).join('\n')).toMatch(
      /List (?:\w+ )?offers \(page 1\) failed: HTTP 200 - the answer is not valid JSON \(starts with '<!DOCTYPE html><html><body>Please sign i', \d+ bytes\)/
    )
    expect(run.outputs.count).toBeUndefined()
    expect(run.summary).not.toMatch(/\b0 offers\b/)
  })

  it('JSON cut short fails the list', async () => {
    const run = await listAnswering('{"value":[{"id":"1","name":"Contoso', 'application/json')
    expect(run.code).toBe(1)
    expect(errorAnnotations(run).join('\n')).toContain(
      'List AzureApplication offers (page 1) failed: HTTP 200 - the answer is not valid JSON (JSON cut short or malformed'
    )
    expect(run.outputs.count).toBeUndefined()
  })

  it('an empty 200 fails the list', async () => {
    const run = await listAnswering('', 'application/json')
    expect(run.code).toBe(1)
    expect(errorAnnotations(run).join('\n')).toContain(
      'List AzureApplication offers (page 1) failed: HTTP 200 - the answer had an empty body where JSON was expected'
    )
  })
})
