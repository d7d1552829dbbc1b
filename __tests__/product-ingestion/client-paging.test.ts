// A Product Ingestion list whose @nextLink leads back to a page already read must end with an error
// that says so, not loop: the same guard as the v1 lists (src/http/page-guard.ts).
import { afterEach, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import { ActionError } from '../../src/errors.js'
import { Transport, type TokenSource } from '../../src/http/transport.js'
import { ProductIngestionClient } from '../../src/product-ingestion/client.js'
import { fakeClock } from '../helpers/fake-clock.js'

const HOST = 'https://graph.example.test'
const BASE = `${HOST}/rp/product-ingestion`
const token: TokenSource = {
  getToken: async () => 'token',
  invalidate: () => undefined,
  origin: HOST,
  originInput: 'product-ingestion-api-url'
}

function client(): ProductIngestionClient {
  const transport = new Transport({ userAgent: 'test', clock: fakeClock(), random: () => 0.5 })
  return new ProductIngestionClient(transport, BASE, token)
}

afterEach(() => nock.cleanAll())

describe('Product Ingestion paging', () => {
  it('stops at a @nextLink back to the first page, after asking for each page once', async () => {
    const pi = client()
    const firstPage = pi.url('product')
    const second = `${BASE}/product?$version=2022-03-01-preview3&continuationToken=1`
    const scope = nock(HOST)
      .get('/rp/product-ingestion/product')
      .query(true)
      .reply(200, { value: [{ id: 'product/a' }], '@nextLink': second })
      .get('/rp/product-ingestion/product')
      .query({ $version: '2022-03-01-preview3', continuationToken: '1' })
      .reply(200, { value: [{ id: 'product/b' }], '@nextLink': firstPage })
    const seen: string[] = []
    const error = await (async () => {
      for await (const page of pi.pages<{ id: string }>('product', 'List offers'))
        seen.push(...page.map(p => p.id))
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(
      /List offers: the service sent a next-page link that was already followed/
    )
    expect(seen).toEqual(['product/a', 'product/b'])
    expect(scope.isDone()).toBe(true)
  })
})
