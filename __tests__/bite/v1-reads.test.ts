// A v1 read of something that must exist (a plan's technical configuration, its draft instances) fails
// with the 404 and the operation in the message; only the reads that may find nothing (an offer by
// product ID, a submission by ID) turn a 404 into "not there". Otherwise a caller would go on with
// nothing and the user would read a puzzling message, or none.
import { afterEach, expect, it } from '@jest/globals'
import nock from 'nock'
import { HttpError } from '../../src/http/http-error.js'
import { Transport } from '../../src/http/transport.js'
import { IngestionClient } from '../../src/ingestion/client.js'
import { fakeClock } from '../helpers/fake-clock.js'

const BASE = 'https://api.partner.example.test/v1.0/ingestion'
const PRODUCT = '0f6d8a3c-2b1e-4c5d-9e8f-1a2b3c4d5e60'
const auth = {
  getToken: async () => 'token',
  invalidate: () => undefined,
  origin: new URL(BASE).origin,
  originInput: 'ingestion-api-url'
}
const client = () => new IngestionClient(new Transport({ userAgent: 'test', clock: fakeClock() }), BASE, auth)
const notFound = JSON.stringify('ICH50404 - Not found. {"faultCode":"ICH50404","reasonPhrase":"Not found."}')

afterEach(() => nock.cleanAll())

it('a technical configuration that is not there is an HTTP 404 naming the read', async () => {
  nock('https://api.partner.example.test')
    .get(/packageConfigurations\/getByInstanceID/)
    .reply(404, notFound, { 'content-type': 'application/json' })
  const error = await client()
    .getPackageConfiguration(PRODUCT, 'af93c153-e51c-61b1-d7b2-958d842180f5')
    .then(
      () => undefined,
      (e: unknown) => e
    )
  expect(error).toBeInstanceOf(HttpError)
  expect((error as HttpError).status).toBe(404)
  expect((error as Error).message).toContain('Read the plan technical configuration')
})

it('an offer or a submission that is not there is "not there"', async () => {
  nock('https://api.partner.example.test')
    .get(`/v1.0/ingestion/products/${PRODUCT}`)
    .reply(404, notFound, { 'content-type': 'application/json' })
    .get(`/v1.0/ingestion/products/${PRODUCT}/submissions/1152921505699999999`)
    .reply(404, notFound, { 'content-type': 'application/json' })
  expect(await client().getProduct(PRODUCT)).toBeUndefined()
  expect(await client().getSubmission(PRODUCT, '1152921505699999999')).toBeUndefined()
})
