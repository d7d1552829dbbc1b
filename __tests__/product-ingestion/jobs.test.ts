import { afterEach, describe, expect, it } from '@jest/globals'
import nock from 'nock'
import type { RunContext } from '../../src/context.js'
import { ActionError } from '../../src/errors.js'
import { Transport } from '../../src/http/transport.js'
import { flattenJobErrors, jobErrorTable, JobFailedError } from '../../src/product-ingestion/job-errors.js'
import { productGuidOf, startJob, waitForJob } from '../../src/commands/product-ingestion/jobs.js'
import { ProductIngestionClient } from '../../src/product-ingestion/client.js'
import { WaitTimeoutError } from '../../src/wait.js'
import { fakeClock } from '../helpers/fake-clock.js'

const BASE = 'https://graph.example.test/rp/product-ingestion'
const JOB = 'c32dd7e8-8619-462d-a96b-0ac1974bace5'

function context(minutes = 60): RunContext & { clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock()
  const transport = new Transport({ userAgent: 'test', clock, random: () => 0.5 })
  const auth = {
    getToken: async () => 'token',
    invalidate: () => undefined,
    origin: BASE,
    originInput: 'product-ingestion-api-url'
  }
  return {
    clock,
    deadline: clock.now() + minutes * 60_000,
    progress: {},
    productIngestion: new ProductIngestionClient(transport, BASE, auth)
  } as unknown as RunContext & { clock: ReturnType<typeof fakeClock> }
}

const status = (jobStatus: string, jobResult: string, errors: unknown[] = []) => ({
  jobId: JOB,
  jobStatus,
  jobResult,
  jobStart: '2026-01-01T00:00:00Z',
  jobEnd: '0001-01-01T00:00:00',
  errors
})

afterEach(() => {
  nock.cleanAll()
})

describe('waitForJob', () => {
  it('polls with $version, starting at 5 s and backing off to once a minute', async () => {
    const ctx = context()
    const scope = nock('https://graph.example.test')
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query({ $version: '2022-03-01-preview3' })
      .times(9)
      .reply(200, status('running', 'pending'))
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query(true)
      .reply(200, { ...status('completed', 'succeeded'), jobID: JOB, jobId: undefined })
    const done = await waitForJob(ctx, JOB, 'test')
    expect(done).toMatchObject({ jobId: JOB, jobStatus: 'completed', jobResult: 'succeeded' })
    expect(ctx.clock.sleeps).toEqual([5000, 7500, 11250, 16875, 25313, 37970, 56955, 60000, 60000])
    expect(scope.isDone()).toBe(true)
    expect(ctx.progress.describe?.()).toContain(JOB)
  })

  it('throws JobFailedError with every inner detail, its resource, and a table', async () => {
    const ctx = context()
    nock('https://graph.example.test')
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query(true)
      .reply(
        200,
        status('completed', 'failed', [
          {
            code: 'businessValidationError',
            message: 'Validation failed',
            details: [
              {
                code: 'resourceNotFound',
                message: 'Product not found',
                resourceId: { externalId: 'orphan' }
              },
              {
                code: 'invalidState',
                message: 'Certification failed: listing lacks a logo',
                resourceId: 'listing/g/public/main/default/en-us'
              }
            ]
          },
          { code: 'Conflict', message: 'The start date should be defined' }
        ])
      )
    const error = (await waitForJob(ctx, JOB, 'publish', { 'product-id': 'g' }).catch(
      e => e
    )) as JobFailedError
    expect(error).toBeInstanceOf(JobFailedError)
    expect(error.message).toBe(
      `Configure job ${JOB} (publish) failed with 3 error(s):\n` +
        '  - externalId orphan: resourceNotFound: Product not found\n' +
        '  - listing/g/public/main/default/en-us: invalidState: Certification failed: listing lacks a logo\n' +
        '  - Conflict: The start date should be defined'
    )
    expect(error.hint).toMatch(/certification/)
    expect(error.report.outputs).toEqual({
      'product-id': 'g',
      'job-id': JOB,
      'job-status': 'completed',
      'job-result': 'failed'
    })
    expect(error.report.sections[1].table?.rows[2]).toEqual([
      '(job)',
      'Conflict',
      'The start date should be defined'
    ])
  })

  it('a cancelled job is a failure that says nothing was applied', async () => {
    const ctx = context()
    nock('https://graph.example.test')
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query(true)
      .reply(200, status('completed', 'cancelled'))
    await expect(waitForJob(ctx, JOB, 'x')).rejects.toThrow(
      /was cancelled before it finished; nothing was applied/
    )
  })

  it('stops at the deadline with a hint to resume with command: status', async () => {
    const ctx = context(1)
    nock('https://graph.example.test')
      .get(`/rp/product-ingestion/configure/${JOB}/status`)
      .query(true)
      .times(20)
      .reply(200, status('running', 'pending'))
    const error = (await waitForJob(ctx, JOB, 'x').catch(e => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.hint).toContain(`job-id: ${JOB}`)
  })
})

describe('startJob', () => {
  it('never sends configure twice when the answer is lost, and says the outcome is unknown', async () => {
    const ctx = context()
    const scope = nock('https://graph.example.test')
      .post('/rp/product-ingestion/configure')
      .query(true)
      .once()
      .reply(500, { error: { code: 'internalServerError', message: 'boom', details: [] } })
    const error = (await startJob(ctx, [{ $schema: 'x' }], 'test').catch(e => e)) as ActionError
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(/may or may not have been accepted/)
    expect(error.hint).toMatch(/command: status/)
    expect(scope.isDone()).toBe(true)
  })

  it('a 400 is a plain error naming the schema problems', async () => {
    const ctx = context()
    nock('https://graph.example.test')
      .post('/rp/product-ingestion/configure')
      .query(true)
      .reply(400, {
        error: {
          code: 'badRequest',
          message: 'The request failed schema validation.',
          details: [
            { code: 'schemaValidationError', message: 'resources[0].alias: too long', resourceId: 'plan/a/b' }
          ]
        }
      })
    await expect(startJob(ctx, [{ $schema: 'x' }], 'test')).rejects.toThrow(/schema validation/)
  })
})

describe('error formatting', () => {
  it('flattens nested details, inheriting the resource of the parent and keeping what the parent said', () => {
    const rows = flattenJobErrors([
      {
        code: 'a',
        message: 'outer',
        resourceId: 'plan/p/q',
        details: [{ code: 'b', message: 'inner', details: [] }]
      }
    ])
    expect(rows).toEqual([
      { code: 'b', message: 'inner', resourceId: 'plan/p/q', context: ['plan/p/q: a: outer'] }
    ])
    expect(jobErrorTable(rows)).toEqual({
      headers: ['Resource', 'Code', 'Message'],
      rows: [['plan/p/q', 'b', 'inner (under plan/p/q: a: outer)']]
    })
    expect(flattenJobErrors([{ message: 'x', resourceId: { resourceName: 'n' } } as never])).toEqual([
      { code: '', message: 'x', resourceId: 'resourceName n' }
    ])
  })

  it('prints a certification failure with every level of its nested details (docs/partner-center-api.md §7.7)', () => {
    const submission = 'submission/g/1152921505697800001'
    const error = new JobFailedError(
      {
        jobId: JOB,
        jobStatus: 'completed',
        jobResult: 'failed',
        errors: [
          {
            code: 'businessValidationError',
            message: 'The submission did not pass.',
            resourceId: submission,
            details: [
              {
                code: 'invalidState',
                message: 'Certification failed.',
                resourceId: submission,
                details: [
                  {
                    code: 'invalidResource',
                    message: 'Policy 100.1.3: describe the offer.',
                    resourceId: 'listing/g/public/main/default/en-us'
                  }
                ]
              }
            ]
          }
        ]
      },
      'publish'
    )
    expect(error.message).toBe(
      `Configure job ${JOB} (publish) failed with 1 error(s):\n` +
        `  - listing/g/public/main/default/en-us: invalidResource: Policy 100.1.3: describe the offer. (under ${submission}: businessValidationError: The submission did not pass. › ${submission}: invalidState: Certification failed.)`
    )
    expect(error.hint).toMatch(/failed certification/)
  })

  it('finds the one product GUID of a set of resources', () => {
    const g = '5eb2df81-7063-41a2-8d34-6f7a8b9cadb5'
    expect(productGuidOf([{ id: `plan/${g}/x` }, { product: `product/${g}` }])).toBe(g)
    expect(
      productGuidOf([
        { product: `product/${g}` },
        { product: 'product/00000000-0000-0000-0000-000000000000' }
      ])
    ).toBeUndefined()
    expect(productGuidOf([{ product: { externalId: 'x' } }])).toBeUndefined()
  })
})
