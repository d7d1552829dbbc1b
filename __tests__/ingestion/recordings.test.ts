import { afterEach, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import { HttpError } from '../../src/http/http-error.js'
import { Transport } from '../../src/http/transport.js'
import { IngestionClient } from '../../src/ingestion/client.js'
import { resolveNextLink } from '../../src/ingestion/paging.js'
import { offerIdOf } from '../../src/ingestion/types.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { loadRecording, replay, requestKey } from '../helpers/recordings.js'

const BASE = 'https://api.partner.microsoft.com/v1.0/ingestion'
const auth = {
  getToken: async () => 'recorded-token',
  invalidate: () => undefined,
  origin: BASE,
  originInput: 'ingestion-api-url'
}
const client = () => new IngestionClient(new Transport({ userAgent: 'test', clock: fakeClock() }), BASE, auth)

afterEach(() => nock.cleanAll())

describe('v1 client against real recorded traffic', () => {
  it('follows the nine relative nextLink pages of the recorded /products listing', async () => {
    const interactions = loadRecording('test_marketplace_offer')
    // The recorded first page was requested as `products?$skipToken=` (empty token = start); we ask for `products`.
    const first = interactions.find(i => i.url.search === '?%24skipToken=')!
    const { served, unmatched } = replay(interactions, {
      [requestKey('GET', new URL(`${BASE}/products`))]: requestKey('GET', first.url)
    })
    const pages: number[] = []
    const ids = new Set<string>()
    // The pager itself (list asks per resource type; the recording is of the unfiltered listing).
    for await (const page of client().pages<{ id: string }>('products', 'List offers')) {
      pages.push(page.length)
      for (const product of page) ids.add(product.id)
    }
    expect(unmatched).toEqual([])
    expect(pages).toHaveLength(9)
    const recordedItems = interactions
      .filter(i => i.url.pathname.endsWith('/products') && i.url.searchParams.has('$skipToken'))
      .slice(0, 9)
      .reduce((n, i) => n + (JSON.parse(i.body) as { value: unknown[] }).value.length, 0)
    expect(pages.reduce((a, b) => a + b, 0)).toBe(recordedItems)
    expect(ids.size).toBeGreaterThan(1)
    expect(served).toHaveLength(9)
  })

  it('finds the recorded offer with the externalIDs $filter', async () => {
    const interactions = loadRecording('test_marketplace_offer')
    replay(interactions)
    const product = await client().findProductByOfferId('offertest-000001')
    expect(product).toMatchObject({
      id: 'eaea608e-d780-4d0b-85ff-df0a525cc0ff',
      resourceType: 'AzureContainer'
    })
    expect(offerIdOf(product!)).toBe('offertest-000001')
  })

  it('reads variants and plan-level branches of the recorded managed application', async () => {
    const interactions = loadRecording('test_managed_app_creation')
    replay(interactions)
    const productId = /products\/([0-9a-f-]{36})/.exec(
      interactions.find(i => /branches/.test(i.url.pathname))!.url.pathname
    )![1]
    const branches = await client().getBranches(productId, 'Listing')
    expect(branches.length).toBeGreaterThan(0)
    expect(
      branches.every(b => b.module === 'Listing' && /^[0-9a-f-]{36}$/.test(b.currentDraftInstanceID))
    ).toBe(true)
  })

  it('turns the recorded ICH50400 answer into an error with the reason and each field', async () => {
    const interactions = loadRecording('test_marketplace_offer_setup_test_drive_on_vm_type')
    const bad = interactions.find(i => i.status === 400)!
    nock(bad.url.origin)
      .intercept(bad.url.pathname, bad.method)
      .reply(400, bad.body, { 'request-id': 'req-400' })
    const transport = new Transport({ userAgent: 'test', clock: fakeClock() })
    const error = (await transport
      .request({
        method: bad.method as 'POST',
        url: bad.url.href,
        operation: 'Update setup',
        retry: 'idempotent',
        json: {}
      })
      .catch(e => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.details.api.code).toBe('ICH50400')
    expect(error.message).toMatch(
      /Update setup failed: HTTP 400 - ICH50400: Request validation failed\.; \w+: /
    )
    expect(error.message).toContain('request-id req-400')
    expect(error.details.correlationId).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('resolveNextLink', () => {
  it.each([
    [BASE, 'v1.0/ingestion/products?$skipToken=abc', `${BASE}/products?$skipToken=abc`],
    [
      'http://127.0.0.1:9/v1.0/ingestion',
      'v1.0/ingestion/products?$skipToken=abc',
      'http://127.0.0.1:9/v1.0/ingestion/products?$skipToken=abc'
    ],
    [
      'https://proxy.example/pc/v1.0/ingestion',
      'v1.0/ingestion/products?$skipToken=x',
      'https://proxy.example/pc/v1.0/ingestion/products?$skipToken=x'
    ],
    [BASE, '/v1.0/ingestion/products?$skipToken=x', `${BASE}/products?$skipToken=x`],
    [
      BASE,
      'https://other.example/v1.0/ingestion/products?$skipToken=x',
      'https://other.example/v1.0/ingestion/products?$skipToken=x'
    ],
    [BASE, 'products?$skipToken=x', `${BASE}/products?$skipToken=x`]
  ])('resolves %s + %s', (base, link, expected) => {
    expect(resolveNextLink(base, link)).toBe(expected)
  })
})
