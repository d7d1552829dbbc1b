// The v1 client against the ways the real service behaved (docs/partner-center-api.md §7), with nock.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { ActionError } from '../../src/errors.js'
import { HttpError } from '../../src/http/http-error.js'
import { Transport, type TokenSource } from '../../src/http/transport.js'
import { IngestionClient, LISTED_RESOURCE_TYPES } from '../../src/ingestion/client.js'
import type { Product } from '../../src/ingestion/types.js'
import { fakeClock } from '../helpers/fake-clock.js'

const HOST = 'https://api.example.test'
const BASE = `${HOST}/v1.0/ingestion`
const token: TokenSource = {
  getToken: async () => 'token',
  invalidate: () => undefined,
  origin: HOST,
  originInput: 'ingestion-api-url'
}

function client(options: { publisherId?: string } = {}): IngestionClient {
  const transport = new Transport({ userAgent: 'test', clock: fakeClock(), random: () => 0.5 })
  return new IngestionClient(transport, BASE, token, options)
}

const product = (offerId: string, resourceType = 'AzureApplication'): Product => ({
  resourceType,
  id: `id-${offerId}`,
  name: offerId,
  externalIDs: [{ type: 'AzureOfferId', value: offerId }]
})

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  nock.cleanAll()
  nock.enableNetConnect()
})

describe('findProductByOfferId', () => {
  it('matches the offer ID exactly (any case) in every page; the first product is never taken for it', async () => {
    // The service ignored the filter: it lists other offers first, the wanted one on page 2.
    const scope = nock(HOST)
      .get('/v1.0/ingestion/products')
      .query(q => String(q.$filter).includes("i/value eq 'Contoso-App'"))
      .reply(200, {
        value: [product('contoso-app-invalid'), product('contoso-app2')],
        nextLink: 'v1.0/ingestion/products?$skipToken=p2'
      })
      .get('/v1.0/ingestion/products')
      .query({ $skipToken: 'p2' })
      .reply(200, { value: [product('fabrikam'), product('contoso-app')] })
    const found = await client().findProductByOfferId('Contoso-App')
    expect(found?.id).toBe('id-contoso-app')
    expect(scope.isDone()).toBe(true)
  })

  it('answers undefined when no product carries the offer ID, however many the service returned', async () => {
    nock(HOST)
      .get('/v1.0/ingestion/products')
      .query(true)
      .reply(200, { value: [product('contoso-app'), product('contoso-saas', 'SoftwareAsAService')] })
    expect(await client().findProductByOfferId('contoso')).toBeUndefined()
  })
})

describe('listProductPages', () => {
  it('without a type, asks for every known type with its own filter (never the unfiltered list)', async () => {
    const asked: string[] = []
    nock(HOST)
      .get('/v1.0/ingestion/products')
      .query(q => typeof q.$filter === 'string')
      .times(LISTED_RESOURCE_TYPES.length)
      .reply(uri => {
        const filter = new URL(uri, HOST).searchParams.get('$filter') ?? ''
        const type = /ResourceType eq '([^']+)'/.exec(filter)?.[1] ?? ''
        asked.push(type)
        // A filter the service did not apply: other types come back too, and are dropped.
        return [200, { value: [product(`${type.toLowerCase()}-1`, type), product('stray', 'Unrelated')] }]
      })
    const seen: Product[] = []
    for await (const page of client().listProductPages()) seen.push(...page)
    expect(asked).toEqual([...LISTED_RESOURCE_TYPES])
    expect(asked).toEqual(expect.arrayContaining(['AzureApplication', 'AzureDynamics365BusinessCentral']))
    expect(seen.map(p => p.resourceType)).toEqual([...LISTED_RESOURCE_TYPES])
  })

  it('asks for the first pages a few at a time, and yields them in type order', async () => {
    nock.enableNetConnect('127.0.0.1')
    let inFlight = 0
    let most = 0
    const server = createServer((req, res) => {
      inFlight++
      most = Math.max(most, inFlight)
      const type = /ResourceType eq '([^']+)'/.exec(decodeURIComponent(req.url ?? ''))?.[1] ?? ''
      // Later types answer sooner: the order of the pages must not follow the order of the answers.
      const delay = 40 - LISTED_RESOURCE_TYPES.indexOf(type) * 2
      setTimeout(() => {
        inFlight--
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ value: [product(`${type.toLowerCase()}-1`, type)] }))
      }, delay)
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const transport = new Transport({ userAgent: 'test', clock: fakeClock(), random: () => 0.5 })
      const origin = `http://127.0.0.1:${port}`
      const local = new IngestionClient(transport, `${origin}/v1.0/ingestion`, { ...token, origin })
      const seen: string[] = []
      for await (const page of local.listProductPages()) seen.push(...page.map(p => p.resourceType))
      expect(seen).toEqual([...LISTED_RESOURCE_TYPES])
      expect(most).toBeGreaterThan(1)
      expect(most).toBeLessThanOrEqual(4)
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('with a type, asks for that type only', async () => {
    const scope = nock(HOST)
      .get('/v1.0/ingestion/products')
      .query({ $filter: "ResourceType eq 'SoftwareAsAService'" })
      .reply(200, { value: [product('contoso-saas', 'SoftwareAsAService')] })
    const seen: Product[] = []
    for await (const page of client().listProductPages('SoftwareAsAService')) seen.push(...page)
    expect(seen).toHaveLength(1)
    expect(scope.isDone()).toBe(true)
  })
})

describe('paging', () => {
  const first = () =>
    nock(HOST)
      .get('/v1.0/ingestion/products')
      .query(q => q.$filter !== undefined)
      .reply(200, { value: [product('a')], nextLink: 'v1.0/ingestion/products?$skipToken=p2' })

  it('asks again once for a nextLink page that answered 404', async () => {
    first()
      .get('/v1.0/ingestion/products')
      .query({ $skipToken: 'p2' })
      .reply(404, '"ICH40400 - Unable to complete request."')
      .get('/v1.0/ingestion/products')
      .query({ $skipToken: 'p2' })
      .reply(200, { value: [product('b')] })
    const seen: Product[] = []
    for await (const page of client().listProductPages('AzureApplication')) seen.push(...page)
    expect(seen.map(p => p.id)).toEqual(['id-a', 'id-b'])
  })

  it('a second 404 on the same page is a clear error, not a short list', async () => {
    first().get('/v1.0/ingestion/products').query({ $skipToken: 'p2' }).times(2).reply(404, 'Not Found')
    const seen: Product[] = []
    const run = async () => {
      for await (const page of client().listProductPages('AzureApplication')) seen.push(...page)
    }
    const error = await run().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(/page 2.*404 twice/)
    expect((error as ActionError).hint).toMatch(/run again/)
    expect(seen).toHaveLength(1)
  })
})

describe('x-ms-publisherId', () => {
  it('goes on every call when a seller ID is given', async () => {
    const scope = nock(HOST, { reqheaders: { 'x-ms-publisherid': '1234567' } })
      .get('/v1.0/ingestion/products/p1')
      .reply(200, product('a'))
      .post('/v1.0/ingestion/products/p1/submissions/9/promote')
      .reply(200, { id: '9', state: 'Published', substate: 'Publishing' })
    const c = client({ publisherId: '1234567' })
    await c.getProduct('p1')
    await c.promoteSubmission('p1', '9')
    expect(scope.isDone()).toBe(true)
  })

  it('is absent otherwise, and the refusal names the input that fixes it', async () => {
    nock(HOST, { badheaders: ['x-ms-publisherid'] })
      .get('/v1.0/ingestion/products/p1')
      .reply(400, 'PublisherId is a required header, and must be a positive number.', {
        'content-type': 'text/plain'
      })
    const error = (await client()
      .getProduct('p1')
      .catch((e: unknown) => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    // Plain-text bodies are quoted as the service wrote them (§7.9).
    expect(error.message).toContain('PublisherId is a required header, and must be a positive number.')
    expect(error.hint).toContain('`seller-id`')
  })
})

describe('submissions', () => {
  it('readSubmission looks in the list when the read by ID answers 404 (§7.3)', async () => {
    nock(HOST)
      .get('/v1.0/ingestion/products/p1/submissions/9')
      .reply(404, '"ICH40400 - Unable to complete request."')
      .get('/v1.0/ingestion/products/p1/submissions')
      .reply(200, { value: [{ id: '9', state: 'Published', substate: 'ReadyToPublish' }] })
    expect(await client().readSubmission('p1', '9')).toMatchObject({ substate: 'ReadyToPublish' })
  })

  it('readSubmission is undefined when the submission is in neither', async () => {
    nock(HOST)
      .get('/v1.0/ingestion/products/p1/submissions/9')
      .reply(404, '')
      .get('/v1.0/ingestion/products/p1/submissions')
      .reply(200, { value: [] })
    expect(await client().readSubmission('p1', '9')).toBeUndefined()
  })

  it('reads validations at pendingUpdateInfo.href, relative to the service host (§7.1)', async () => {
    const scope = nock(HOST)
      .get('/v1.0/ingestion/products/p1/submissions/9/validations')
      .reply(200, { value: [{ errorCode: 'E1', severity: 'Error', message: 'one' }] })
    const items = await client().getValidations('p1', {
      id: '9',
      state: 'InProgress',
      substate: 'InDraft',
      pendingUpdateInfo: {
        updateType: 'Create',
        status: 'Failed',
        href: 'v1.0/ingestion/products/p1/submissions/9/validations'
      }
    })
    expect(items.map(i => i.message)).toEqual(['one'])
    expect(scope.isDone()).toBe(true)
  })

  it('never follows an href to another host or another submission: the documented path is read', async () => {
    const elsewhere = nock('https://evil.example.test').get(/.*/).reply(200, { value: [] })
    const scope = nock(HOST)
      .get('/v1.0/ingestion/products/p1/submissions/9/validations')
      .times(3)
      .reply(200, { value: [] })
    for (const href of [
      'https://evil.example.test/v1.0/ingestion/products/p1/submissions/9/validations',
      '//evil.example.test/v1.0/ingestion/products/p1/submissions/9/validations',
      'v1.0/ingestion/products/p2/submissions/1/validations'
    ]) {
      await client().getValidations('p1', {
        id: '9',
        state: 'InProgress',
        substate: 'InDraft',
        pendingUpdateInfo: { status: 'Failed', href }
      })
    }
    expect(scope.isDone()).toBe(true)
    expect(elsewhere.isDone()).toBe(false)
  })
})

describe('writes that are safe to send again', () => {
  // A 503 leaves a write's outcome open. These land on the same state when repeated (or are refused by
  // their If-Match), so they are sent again; creates are not (covered in __tests__/http).
  const P = 'prod-1'
  it.each([
    [
      'the technical configuration (PUT, If-Match)',
      'put',
      `/v1.0/ingestion/products/${P}/packageconfigurations/cfg-1`,
      (c: IngestionClient) =>
        c.putPackageConfiguration(
          P,
          { resourceType: 'AzureSolutionTemplatePackageConfiguration', id: 'cfg-1' },
          '"e"'
        )
    ],
    [
      'the offer properties (PUT, If-Match)',
      'put',
      `/v1.0/ingestion/products/${P}/properties/prop-1`,
      (c: IngestionClient) => c.putProperty(P, { resourceType: 'AzureProperty', id: 'prop-1' }, '"e"')
    ],
    [
      'a package marked uploaded (PUT)',
      'put',
      `/v1.0/ingestion/products/${P}/packages/pkg-1`,
      (c: IngestionClient) =>
        c.markPackageUploaded(P, {
          resourceType: 'AzureApplicationPackage',
          id: 'pkg-1',
          state: 'PendingUpload'
        })
    ],
    [
      'a submission cancelled (DELETE)',
      'delete',
      `/v1.0/ingestion/products/${P}/submissions/42`,
      (c: IngestionClient) => c.deleteSubmission(P, '42')
    ]
  ] as const)('%s is sent again after a 503', async (_what, method, path, write) => {
    const answers = nock(HOST)
    const first = method === 'put' ? answers.put(path) : answers.delete(path)
    first.reply(503, '"ICH50300 - try again"')
    const second = method === 'put' ? answers.put(path) : answers.delete(path)
    second.reply(method === 'delete' ? 204 : 200, method === 'delete' ? '' : { id: 'x' })
    await write(client())
    expect(answers.isDone()).toBe(true)
  })
})
