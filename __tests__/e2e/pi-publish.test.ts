// Product Ingestion publishing through the bundle, against the emulator behaving as the real service
// did (docs/partner-center-api.md §7.6, §7.7): `target: live` ships the current draft, waits that
// tell the preview entry from the live entry of the same submission, certification failures, jobs
// that run through certification, job details without the submission, `$version` per schema family,
// and honest local validation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_SAAS, CONTOSO_VM } from '../../emulator/seed/default.js'
import { getToken } from '../emulator/helpers.js'
import { emulatorInputs, startTestEmulator } from '../helpers/emulator.js'
import { errorAnnotations, runAction, type ActionRun } from '../helpers/run-action.js'

// Slow enough that a wait which stops at the preview entry of a submission that is going live is
// caught: the live phase (30 virtual seconds) takes 300 ms here, several action polls.
const SCALE = 100
const env = { PARTNER_CENTER_PUBLISH_TIME_SCALE: String(SCALE) }
const S = (type: string, version = '2022-03-01-preview2') =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`
const G = CONTOSO_SAAS.productId
const LISTING = `listing/${G}/public/main/default/en-us`

let emulator: RunningEmulator
let dir: string
beforeAll(async () => {
  emulator = await startTestEmulator({ timeScale: SCALE })
  dir = mkdtempSync(join(tmpdir(), 'pi-publish-e2e-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  emulator.reset()
  emulator.setBehaviours([])
})

// The files these runs read are in `dir`: it is their workspace (config-path must lead inside it).
const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({ env: { ...env, GITHUB_WORKSPACE: dir }, inputs: emulatorInputs(emulator, inputs) })
const file = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(value, null, 2))
  return join(dir, name)
}

/** What the emulated marketplace shows for an environment, read as a client of the service. */
async function listingTitle(targetType: 'draft' | 'preview' | 'live'): Promise<string | undefined> {
  const token = await getToken(emulator, { resource: 'https://graph.microsoft.com' })
  const res = await fetch(
    `${emulator.productIngestionApiUrl}/resource-tree/product/${G}?targetType=${targetType}&$version=2022-03-01-preview3`,
    { headers: { authorization: `Bearer ${token}` } }
  )
  if (res.status === 404) return undefined
  const tree = (await res.json()) as { resources: Array<{ id: string; title?: string }> }
  return tree.resources.find(r => r.id === LISTING)?.title
}

const configureCalls = () =>
  emulator.requests().filter(r => r.method === 'POST' && r.path.includes('/rp/product-ingestion/configure?'))

async function retitle(title: string): Promise<void> {
  const path = file('listing.json', [
    {
      $schema: S('listing', '2022-03-01-preview3'),
      id: LISTING,
      product: `product/${G}`,
      kind: 'azureSaaS',
      title,
      languageId: 'en-us'
    }
  ])
  const configured = await run({ command: 'configure', 'config-path': path })
  expect(errorAnnotations(configured)).toEqual([])
}

describe('publish target: live', () => {
  it('ships the current draft, not the previous preview, and reports live only once the live phase is through', async () => {
    const first = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    expect(errorAnnotations(first)).toEqual([])
    const original = await listingTitle('live')
    expect(original).toBeDefined()

    await retitle('Contoso SaaS — second edition')
    expect(await listingTitle('draft')).toBe('Contoso SaaS — second edition')

    const second = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    expect(errorAnnotations(second)).toEqual([])
    // Right when the run ends, the live listing is the new one: the wait followed the live entry,
    // which it saw in progress (the preview entry of the same id had completed long before).
    expect(await listingTitle('live')).toBe('Contoso SaaS — second edition')
    expect(second.stdout).toMatch(
      new RegExp(`submission ${second.outputs['submission-id']} \\(live\\): (notStarted|running)/pending`)
    )
    expect(second.outputs['submission-id']).toMatch(new RegExp(`^submission/${G}/\\d+$`))
    expect(second.outputs['submission-id']).not.toBe(first.outputs['submission-id'])
    expect(second.outputs).toMatchObject({
      'submission-state': 'completed',
      'submission-substate': 'succeeded'
    })
    // The submission that went live is the one just published to preview (going live keeps its id).
    expect(second.summary).toContain(
      `Published to preview first: submission \`${second.outputs['submission-id']}\``
    )
  })

  it('never goes live from a preview that completed but failed certification', async () => {
    emulator.setBehaviours(['certification-failure'])
    const failed = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    expect(failed.code).toBe(1)
    // One configure job: the preview. No live submission was ever requested.
    expect(configureCalls()).toHaveLength(1)
    expect(errorAnnotations(failed).join('\n')).toMatch(/failed/)
    expect(failed.outputs).toMatchObject({ 'submission-state': 'completed', 'submission-substate': 'failed' })
    expect(await listingTitle('live')).toBeUndefined()
  })
})

describe('go-live without submission-id acts on the newest submission', () => {
  it('while the new preview is in certification: wait: false writes nothing (fails, or skips on a schedule); wait: true waits and takes that one live', async () => {
    // Certification takes 20 virtual minutes (12 s here): the preview stays in progress for a while.
    emulator.setBehaviours(['job-runs-through-certification'])
    await retitle('Contoso SaaS — third edition')
    const submitted = await run({
      command: 'publish',
      'offer-id': CONTOSO_SAAS.offerId,
      target: 'preview',
      wait: 'false'
    })
    expect(errorAnnotations(submitted)).toEqual([])
    const jobs = configureCalls().length
    let id: string | undefined
    for (let i = 0; i < 50 && !id; i++) {
      const status = await run({ command: 'status', 'offer-id': CONTOSO_SAAS.offerId })
      if (status.outputs['release-status'] === 'in-progress') id = status.outputs['submission-id']
    }
    expect(id).toMatch(new RegExp(`^submission/${G}/\\d+$`))

    const byHand = await run({ command: 'go-live', 'offer-id': CONTOSO_SAAS.offerId, wait: 'false' })
    expect(byHand.code).toBe(1)
    expect(errorAnnotations(byHand).join('\n')).toContain(
      `${CONTOSO_SAAS.offerId}: not ready to go live yet - submission ${id}`
    )
    expect(byHand.outputs).toMatchObject({ 'submission-id': id, 'release-status': 'in-progress' })

    const scheduled = await run({
      command: 'go-live',
      'offer-id': CONTOSO_SAAS.offerId,
      wait: 'false',
      'when-not-ready': 'skip'
    })
    expect(scheduled.code).toBe(0)
    expect(errorAnnotations(scheduled)).toEqual([])
    expect(scheduled.outputs['release-status']).toBe('in-progress')
    expect(configureCalls()).toHaveLength(jobs)
    expect(await listingTitle('live')).not.toBe('Contoso SaaS — third edition')

    const live = await run({ command: 'go-live', 'offer-id': CONTOSO_SAAS.offerId })
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs).toMatchObject({ 'submission-id': id, 'release-status': 'live' })
    expect(configureCalls()).toHaveLength(jobs + 1)
    expect(await listingTitle('live')).toBe('Contoso SaaS — third edition')
  }, 60_000)
})

describe('publish is the configure job (job-runs-through-certification, job-detail-without-submission)', () => {
  it('waits on the job through certification, finds the submission without the detail naming it, and reports it', async () => {
    emulator.setBehaviours(['job-runs-through-certification', 'job-detail-without-submission'])
    const published = await run({ command: 'publish', 'offer-id': CONTOSO_VM.offerId, target: 'preview' })
    expect(errorAnnotations(published)).toEqual([])
    expect(published.outputs).toMatchObject({
      'job-status': 'completed',
      'job-result': 'succeeded',
      'submission-state': 'completed',
      'submission-substate': 'succeeded'
    })
    expect(published.outputs['submission-id']).toMatch(
      new RegExp(`^submission/${CONTOSO_VM.productId}/\\d+$`)
    )
  })

  it('goes live through the same job flow, keeping the id of the preview submission', async () => {
    emulator.setBehaviours(['job-runs-through-certification', 'job-detail-without-submission'])
    const live = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs).toMatchObject({
      'submission-state': 'completed',
      'submission-substate': 'succeeded'
    })
    expect(await listingTitle('live')).toBeDefined()
  })

  it('prints a certification failure with its nested details, naming the submission', async () => {
    emulator.setBehaviours(['job-runs-through-certification', 'certification-failure'])
    const failed = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    expect(failed.code).toBe(1)
    const annotation = errorAnnotations(failed).join('\n')
    expect(annotation).toMatch(new RegExp(`submission/${G}/\\d+`))
    expect(annotation).toContain('Certification failed')
    expect(annotation).toContain('Certification policy 100.1.3')
    expect(failed.summary).toContain('Certification policy 100.1.3')
    expect(failed.outputs).toMatchObject({ 'job-result': 'failed', 'submission-substate': 'failed' })
    expect(configureCalls()).toHaveLength(1)
  })

  it('a job still in certification when timeout-minutes runs out ends with how to follow it', async () => {
    emulator.setBehaviours(['job-runs-through-certification'])
    const timedOut = await run({
      command: 'publish',
      'offer-id': CONTOSO_SAAS.offerId,
      target: 'preview',
      'timeout-minutes': '5'
    })
    expect(timedOut.code).toBe(1)
    expect(timedOut.outputs['job-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(timedOut.stdout).toContain(`job-id: ${timedOut.outputs['job-id']}`)
  })
})

describe('$version per schema family', () => {
  it('sends private offers at their own version, which the service accepts where 2022-03-01-preview3 is deprecated', async () => {
    emulator.setBehaviours(['deprecated-schema-preview3'])
    const path = file('private-offer.json', [
      {
        $schema: S('private-offer', '2023-07-15'),
        name: 'contoso-saas-ten-percent',
        privateOfferType: 'customerPromotion',
        offerPricingType: 'editExistingOfferPricingOnly',
        state: 'draft',
        variableStartDate: true,
        end: '2027-12-31',
        acceptBy: '2027-06-30',
        pricing: [{ product: `product/${G}`, discountType: 'percentage', discountPercentage: 10 }]
      }
    ])
    const configured = await run({ command: 'configure', 'config-path': path })
    expect(errorAnnotations(configured)).toEqual([])
    expect(configured.outputs['job-result']).toBe('succeeded')
    const calls = emulator.requests().filter(r => r.path.includes('/rp/product-ingestion/configure'))
    expect(calls.length).toBeGreaterThan(1)
    for (const call of calls) expect(decodeURIComponent(call.path)).toContain('$version=2023-07-15')
  })
})

describe('honest local validation', () => {
  it('says per resource which were checked against a local schema and which the service will judge', async () => {
    const path = file('mixed.json', [
      { $schema: S('reseller'), product: `product/${G}`, resellerChannelState: 'none', audiences: [] },
      {
        $schema: S('listing', '2022-03-01-preview5'),
        id: LISTING,
        product: `product/${G}`,
        kind: 'azureSaaS',
        title: 'T',
        languageId: 'en-us'
      }
    ])
    const dry = await run({ command: 'configure', 'config-path': path, 'dry-run': 'true' })
    expect(errorAnnotations(dry)).toEqual([])
    expect(dry.stdout).toMatch(/reseller[^\n]*checked against the local schema \(2022-03-01-preview2\)/)
    expect(dry.stdout).toMatch(
      /no local schema held for listing 2022-03-01-preview5[^\n]*the service will judge it/
    )
    expect(dry.summary).toMatch(/no local schema/)
    expect(dry.summary).not.toMatch(/resources? (are|is) valid/i)
  })
})
