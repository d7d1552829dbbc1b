// The Product Ingestion emulator as the real service behaved (docs/partner-center-api.md §7.6, §7.7):
// draft/preview/live content, jobs that run through certification, certification failures, job
// details that name no submission, and the private-offer `$version` refusal. Also: the emulator
// judges requests with its own validator, so it can disagree with the action's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_SAAS } from '../../emulator/seed/default.js'
import { start } from '../emulator/helpers.js'
import { advance, graphToken, pi, S } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof pi>
beforeAll(async () => {
  emu = await start()
})
afterAll(async () => emu.close())
beforeEach(async () => {
  emu.reset()
  emu.setBehaviours([])
  call = pi(emu, await graphToken(emu))
})

const JOB = 3_000
const PUBLISH = 10_000
const LIVE = 30_000
const CERTIFICATION = 20 * 60_000
const G = CONTOSO_SAAS.productId
const product = `product/${G}`
const listingId = `listing/${G}/public/main/default/en-us`

async function start_(resources: unknown[]): Promise<string> {
  const r = await call('POST', 'configure', { $schema: S('configure'), resources })
  expect(r.status).toBe(202)
  return r.body.jobId
}
const status = async (jobId: string) => (await call('GET', `configure/${jobId}/status`)).body
const titleIn = async (targetType: string) =>
  (await call('GET', `resource-tree/product/${G}?targetType=${targetType}`)).body.resources?.find(
    (r: { id: string }) => r.id === listingId
  )?.title
const setTitle = (title: string) => ({
  ...{ $schema: S('listing', '2022-03-01-preview3'), id: listingId, product, kind: 'azureSaaS' },
  title,
  languageId: 'en-us'
})
const preview = { $schema: S('submission'), product, target: { targetType: 'preview' } }
const live = (id: string) => ({ $schema: S('submission'), id, product, target: { targetType: 'live' } })

async function publishedPreview(): Promise<string> {
  const job = await start_([preview])
  await advance(emu, JOB)
  const [submission] = (await call('GET', `configure/${job}`)).body.resources
  await advance(emu, PUBLISH)
  return submission.id
}

describe('draft, preview and live content', () => {
  it('keeps the live title until the live phase of the submission that carries the new draft is through', async () => {
    const first = await publishedPreview()
    await start_([live(first)])
    await advance(emu, JOB + LIVE)
    const original = await titleIn('live')
    expect(typeof original).toBe('string')

    await start_([setTitle('Contoso SaaS, second edition')])
    await advance(emu, JOB)
    expect(await titleIn('draft')).toBe('Contoso SaaS, second edition')
    expect(await titleIn('live')).toBe(original)

    // Promoting the old preview again is refused: it is already live (going live keeps the id).
    const again = await start_([live(first)])
    await advance(emu, JOB)
    expect((await status(again)).errors[0].details[0]).toMatchObject({
      code: 'invalidState',
      resourceId: first
    })

    const second = await publishedPreview()
    expect(second).not.toBe(first)
    expect(await titleIn('preview')).toBe('Contoso SaaS, second edition')
    expect(await titleIn('live')).toBe(original)
    await start_([live(second)])
    await advance(emu, JOB)
    const entries = (await call('GET', `submission/${G}`)).body.value
    expect(
      entries.filter((s: { id: string }) => s.id === second).map((s: any) => [s.target.targetType, s.status])
    ).toEqual([
      ['preview', 'completed'],
      ['live', expect.stringMatching(/^(notStarted|running)$/)]
    ])
    expect(await titleIn('live')).toBe(original)
    await advance(emu, LIVE)
    expect(await titleIn('live')).toBe('Contoso SaaS, second edition')
    expect((await call('GET', second)).body).toMatchObject({
      target: { targetType: 'live' },
      status: 'completed'
    })
  })
})

describe('behaviour switches', () => {
  it('job-runs-through-certification: the publish job stays running until the submission is through', async () => {
    emu.setBehaviours(['job-runs-through-certification'])
    const job = await start_([preview])
    await advance(emu, JOB)
    expect(await status(job)).toMatchObject({ jobStatus: 'running', jobResult: 'pending' })
    const [submission] = (await call('GET', `submission/${G}?targetType=preview`)).body.value
    expect(submission).toMatchObject({
      status: expect.stringMatching(/^(notStarted|running)$/),
      result: 'pending'
    })
    await advance(emu, CERTIFICATION - JOB)
    expect(await status(job)).toMatchObject({ jobStatus: 'running' })
    // Its resources are applied and the submission is publishing: cancelling could undo neither.
    const cancel = await call('POST', `configure/${job}/cancel`, {})
    expect(cancel.status).toBe(400)
    expect(cancel.body.error.message).toMatch(/already being published/)
    await advance(emu, JOB)
    expect(await status(job)).toMatchObject({ jobStatus: 'completed', jobResult: 'succeeded', errors: [] })
    // A job without a submission is not held.
    const plain = await start_([setTitle('x')])
    await advance(emu, JOB)
    expect(await status(plain)).toMatchObject({ jobStatus: 'completed', jobResult: 'succeeded' })
  })

  it('job-detail-without-submission: the detail of a publish job documents only the product', async () => {
    emu.setBehaviours(['job-detail-without-submission'])
    const job = await start_([preview])
    await advance(emu, JOB)
    const detail = (await call('GET', `configure/${job}`)).body
    expect(detail.resources.map((r: { id: string }) => r.id)).toEqual([product])
    expect((await call('GET', `submission/${G}?targetType=preview`)).body.value).toHaveLength(1)
  })

  it('certification-failure: the preview fails, the job carries nested invalidState errors, and it cannot go live', async () => {
    emu.setBehaviours(['certification-failure', 'job-runs-through-certification'])
    const job = await start_([preview])
    await advance(emu, JOB + CERTIFICATION)
    const done = await status(job)
    expect(done).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' })
    const [submission] = (await call('GET', `submission/${G}?targetType=preview`)).body.value
    expect(submission).toMatchObject({ status: 'completed', result: 'failed' })
    const certification = done.errors[0].details[0]
    expect(certification).toMatchObject({ code: 'invalidState', resourceId: submission.id })
    expect(certification.message).toMatch(/Certification/)
    expect(certification.details[0]).toMatchObject({ code: 'invalidResource', resourceId: listingId })
    expect((await call('GET', `resource-tree/product/${G}?targetType=preview`)).status).toBe(404)

    emu.setBehaviours([])
    const refused = await start_([live(submission.id)])
    await advance(emu, JOB)
    expect((await status(refused)).errors[0].details[0]).toMatchObject({
      code: 'invalidState',
      message: expect.stringContaining('failed in preview')
    })
  })

  it('certification-failure alone: the job succeeds and the submission ends completed/failed', async () => {
    emu.setBehaviours(['certification-failure'])
    const job = await start_([preview])
    await advance(emu, JOB + PUBLISH)
    expect(await status(job)).toMatchObject({ jobResult: 'succeeded' })
    const [submission] = (await call('GET', `submission/${G}?targetType=preview`)).body.value
    expect(submission).toMatchObject({ status: 'completed', result: 'failed' })
  })

  it('deprecated-schema-preview3: private-offer calls at 2022-03-01-preview3 are refused, 2023-07-15 works', async () => {
    const list = await call('GET', 'private-offer/query')
    expect(list.status).toBe(200)
    expect(list.body.value).toHaveLength(1)
    emu.setBehaviours(['deprecated-schema-preview3'])
    const refused = await call('GET', 'private-offer/query', undefined, { version: '2022-03-01-preview3' })
    expect(refused).toEqual({
      status: 400,
      body: { error: { code: 'badRequest', message: '"2022-03-01-preview3 is a deprecated schema"' } }
    })
    const offer = list.body.value[0]
    const configured = await call(
      'POST',
      'configure',
      { $schema: S('configure', '2022-07-01'), resources: [{ ...offer, state: 'deleted' }] },
      { version: '2022-03-01-preview3' }
    )
    expect(configured.status).toBe(400)
    const ok = await call('GET', offer.id, undefined, { version: '2023-07-15' })
    expect(ok.body).toMatchObject({ id: offer.id, privateOfferType: 'customerPromotion' })
    // Product calls at preview3 are unaffected.
    expect((await call('GET', product)).status).toBe(200)
  })
})

describe('private offers', () => {
  it('are created and updated through configure at their own schema version', async () => {
    const [seeded] = (await call('GET', 'private-offer/query', undefined, { version: '2023-07-15' })).body
      .value
    expect(seeded.$schema).toBe(S('private-offer', '2023-07-15'))
    const job = await call(
      'POST',
      'configure',
      { $schema: S('configure', '2022-07-01'), resources: [{ ...seeded, state: 'live' }] },
      { version: '2023-07-15' }
    )
    expect(job.status).toBe(202)
    await advance(emu, JOB)
    expect(
      (await call('GET', `configure/${job.body.jobId}/status`, undefined, { version: '2023-07-15' })).body
        .jobResult
    ).toBe('succeeded')
    expect((await call('GET', seeded.id, undefined, { version: '2023-07-15' })).body.state).toBe('live')
  })
})

describe('independence from the action', () => {
  it('imports nothing from src/ (it plays the service, with its own tables and validator)', () => {
    const root = join(import.meta.dirname, '../../emulator')
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      f => f.endsWith('.ts') && !f.startsWith('dist')
    )
    expect(files.length).toBeGreaterThan(20)
    const offending = files.filter(f => /from ['"](\.\.\/)+src\//.test(readFileSync(join(root, f), 'utf8')))
    expect(offending).toEqual([])
  })

  it('judges a request by its own schemas: a plan externalId the schema allows passes here even where the action is stricter', async () => {
    // Microsoft's plan schema allows 1–50 characters; docs/partner-center-api.md §2.4 says 3–50.
    const r = await call('POST', 'configure', {
      $schema: S('configure'),
      resources: [{ $schema: S('plan'), product, identity: { externalId: 'ab' }, alias: 'Short' }]
    })
    expect(r.status).toBe(202)
    const bad = await call('POST', 'configure', {
      $schema: S('configure'),
      resources: [{ $schema: S('plan'), product, identity: { externalId: 'ab' }, alias: 'x'.repeat(200) }]
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].message).toMatch(/^resources\[0\]\.alias: /)
  })
})
