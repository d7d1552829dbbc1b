// `$version` per schema family (docs/partner-center-api.md §2.2, §7.6): chosen from the `$schema`
// versions of the resources sent, never one constant.
import { afterEach, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import type { ActionError } from '../../src/errors.js'
import { Transport } from '../../src/http/transport.js'
import { ProductIngestionClient } from '../../src/product-ingestion/client.js'
import { compareSchemaVersions, requestVersions } from '../../src/product-ingestion/versions.js'
import { fakeClock } from '../helpers/fake-clock.js'

const S = (type: string, version: string) => `https://schema.mp.microsoft.com/schema/${type}/${version}`

describe('schema versions', () => {
  it('orders by date, then a release after its previews, then preview number', () => {
    const sorted = [
      '2023-07-15',
      '2022-03-01-preview10',
      '2022-03-01-preview2',
      '2022-07-01',
      '2022-03-01-preview5',
      '2022-03-01'
    ].sort(compareSchemaVersions)
    expect(sorted).toEqual([
      '2022-03-01-preview2',
      '2022-03-01-preview5',
      '2022-03-01-preview10',
      '2022-03-01',
      '2022-07-01',
      '2023-07-15'
    ])
  })

  it('product resources: at least 2022-03-01-preview3, raised to the newest version sent', () => {
    expect(requestVersions([{ $schema: S('plan', '2022-03-01-preview2') }])).toEqual({
      apiVersion: '2022-03-01-preview3',
      configureSchema: S('configure', '2022-03-01-preview2')
    })
    expect(
      requestVersions([
        { $schema: S('plan', '2022-03-01-preview2') },
        { $schema: S('listing', '2022-03-01-preview5') }
      ]).apiVersion
    ).toBe('2022-03-01-preview5')
  })

  it('private offers: their own family, never below 2022-07-01, with the 2022-07-01 configure envelope', () => {
    expect(requestVersions([{ $schema: S('private-offer', '2023-07-15') }])).toEqual({
      apiVersion: '2023-07-15',
      configureSchema: S('configure', '2022-07-01')
    })
    expect(
      requestVersions([{ $schema: S('price-and-availability-private-offer-plan', '2022-03-01-preview3') }])
        .apiVersion
    ).toBe('2022-07-01')
  })

  it('ignores what is not a resource with a schema URI', () => {
    expect(requestVersions([null, 3, { $schema: 'nope' }]).apiVersion).toBe('2022-03-01-preview3')
  })
})

describe('the client', () => {
  const BASE = 'https://graph.example.test/rp/product-ingestion'
  const JOB = '0d5d1f3e-53b4-4a4c-9a37-5d6c1b0e2f10'
  const client = () =>
    new ProductIngestionClient(
      new Transport({ userAgent: 'test', clock: fakeClock(), random: () => 0.5 }),
      BASE,
      {
        getToken: async () => 'token',
        invalidate: () => undefined,
        origin: BASE,
        originInput: 'product-ingestion-api-url'
      }
    )
  afterEach(() => nock.cleanAll())

  it('starts a private-offer job at its version, with the 2022-07-01 envelope, and follows the job at the same version', async () => {
    const sent: unknown[] = []
    const scope = nock('https://graph.example.test')
      .post('/rp/product-ingestion/configure', body => sent.push(body) > 0)
      .query({ $version: '2023-07-15' })
      .reply(202, { jobId: JOB, jobStatus: 'notStarted', jobResult: 'pending', errors: [] })
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query({ $version: '2023-07-15' })
      .reply(200, { jobId: JOB, jobStatus: 'completed', jobResult: 'succeeded', errors: [] })
      .get('/rp/product-ingestion/plan')
      .query({ $version: '2022-03-01-preview3', product: 'product/x' })
      .reply(200, { value: [] })
    const pi = client()
    await pi.configure([{ $schema: S('private-offer', '2023-07-15'), name: 'x' }])
    expect(sent).toEqual([
      {
        $schema: S('configure', '2022-07-01'),
        resources: [{ $schema: S('private-offer', '2023-07-15'), name: 'x' }]
      }
    ])
    expect((await pi.getJobStatus(JOB)).jobResult).toBe('succeeded')
    // Reads that are not about that job keep the default.
    await pi.listPlans('x')
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [403, 'Microsoft Entra applications, with the Manager role'],
    [429, 'is throttling requests; run again later'],
    [503, 'failed on its side; run again later']
  ])('a failure answered %i says what to do', async (status, hint) => {
    nock('https://graph.example.test')
      .get('/rp/product-ingestion/plan')
      .query(true)
      .times(20)
      .reply(status, { error: { code: 'error', message: 'no' } })
    const error = (await client()
      .listPlans('x')
      .catch(e => e)) as ActionError
    expect(error.hint).toContain(hint)
  })

  it('a "deprecated schema" answer says which version private offers use', async () => {
    nock('https://graph.example.test')
      .post('/rp/product-ingestion/configure')
      .query(true)
      .reply(400, { error: { code: 'badRequest', message: '"2022-03-01-preview3 is a deprecated schema"' } })
    const error = (await client()
      .configure([{ $schema: S('listing', '2022-03-01-preview3') }])
      .catch(e => e)) as ActionError
    expect(error.message).toContain('deprecated schema')
    expect((error as { hint?: string }).hint).toContain('private-offer/2023-07-15')
  })
})
