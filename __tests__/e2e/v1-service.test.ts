// The bundled action against the v1 API as the real service behaved (docs/partner-center-api.md §7):
// each test switches one emulator behaviour on and runs dist/index.js the way the runner does.
import { describe, expect, it } from '@jest/globals'
import {
  CONTOSO_APP,
  DEFAULT_FILLER_OFFERS,
  DEFAULT_PRODUCT_COUNT,
  FAILING_VALIDATION_APP,
  defaultSeed
} from '../../emulator/seed/default.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  useEmulator,
  writes
} from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, type ActionRun } from '../helpers/run-action.js'

const SCALE = 50
const env = rehearsalEnv(SCALE)
const emulator = useEmulator({ timeScale: SCALE })

function run(inputs: Record<string, string>, behaviours: string[] = []): Promise<ActionRun> {
  emulator.setBehaviours(behaviours)
  return runAction({ env, inputs: emulatorInputs(emulator, inputs) })
}

const publishInputs = (extra: Record<string, string> = {}) => ({
  command: 'publish',
  'offer-id': CONTOSO_APP.offerId,
  'package-path': EXAMPLE_PACKAGE,
  'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
  version: '1.1.0',
  ...extra
})

const requests = (pattern: RegExp, method = 'GET') =>
  emulator.requests().filter(r => r.method === method && pattern.test(r.path))

describe('a submission whose creation failed (indraft-failure, §7.1)', () => {
  it('fails within a poll or two and prints every validation message from pendingUpdateInfo.href', async () => {
    const result = await run(
      publishInputs({
        'offer-id': FAILING_VALIDATION_APP.offerId,
        'technical-configuration': '',
        'timeout-minutes': '30'
      }),
      ['indraft-failure']
    )
    expect(result.code).toBe(1)
    const [error] = errorAnnotations(result)
    expect(error).toMatch(/Submission \d+ failed \(InProgress\/InDraft: Active validation errors\)/)
    expect(error).toContain('Active validation errors')
    expect(error).toContain('MissingPartnerUsageAttribution')
    expect(error).toContain('mainTemplate.json does not contain the partner usage attribution resource')
    expect(error).toContain('ListingSupportUrlMissing')
    expect(error).toContain('The listing has no support URL')
    expect(error).not.toMatch(/Timed out/)
    // Failed after a couple of reads of the submission, not after timeout-minutes.
    expect(requests(/\/submissions\/\d+$/).length).toBeLessThanOrEqual(4)
    expect(requests(/\/submissions\/\d+\/validations$/).length).toBeGreaterThanOrEqual(1)
  })
})

describe('unfiltered GET /products refused or cut short (§7.2)', () => {
  it('list without offer-type still lists every offer of every type when the unfiltered list is refused', async () => {
    const result = await run({ command: 'list' }, ['unfiltered-list-400'])
    expect(errorAnnotations(result)).toEqual([])
    expect(result.outputs.count).toBe(String(DEFAULT_PRODUCT_COUNT))
    const types = new Set((JSON.parse(result.outputs.offers) as Array<{ type: string }>).map(o => o.type))
    expect([...types].sort()).toEqual([
      'AzureApplication',
      'AzureContainer',
      'AzureDynamics365BusinessCentral',
      'AzureThirdPartyVirtualMachine',
      'SoftwareAsAService'
    ])
    // The unfiltered list was never asked for.
    expect(requests(/\/products(\?|$)/).filter(r => !/\$filter=|\$skipToken=/i.test(r.path))).toEqual([])
  })

  it('list is complete when the unfiltered list returns one offer, and lookups by offer ID keep working', async () => {
    const result = await run({ command: 'list' }, ['unfiltered-list-sparse', 'unfiltered-list-400'])
    expect(result.outputs.count).toBe(String(DEFAULT_PRODUCT_COUNT))
    const shown = await run({ command: 'show', 'offer-id': CONTOSO_APP.offerId }, ['unfiltered-list-400'])
    expect(errorAnnotations(shown)).toEqual([])
    expect(shown.outputs['product-id']).toBe(CONTOSO_APP.productId)
  })
})

describe('404 on a submission that reached preview (§7.3)', () => {
  it('publish to live re-reads through the list, promotes and waits for live; never "cancelled"', async () => {
    const result = await run(publishInputs({ target: 'live' }), ['submission-404-after-preview'])
    expect(errorAnnotations(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      'submission-state': 'Published',
      'submission-substate': 'InStore'
    })
    expect(requests(/\/promote$/, 'POST')).toHaveLength(1)
    expect(requests(/\/submissions\/\d+$/).some(r => r.status === 404)).toBe(true)
    expect(everythingWritten(result)).not.toMatch(/cancel/i)
  })

  it('status and go-live with submission-id find the submission through the list', async () => {
    const published = await run(publishInputs({ target: 'preview' }), ['submission-404-after-preview'])
    const id = published.outputs['submission-id']
    expect(published.outputs['submission-substate']).toBe('ReadyToPublish')
    const status = await run({ command: 'status', 'offer-id': CONTOSO_APP.offerId, 'submission-id': id }, [
      'submission-404-after-preview'
    ])
    expect(errorAnnotations(status)).toEqual([])
    expect(status.outputs['submission-substate']).toBe('ReadyToPublish')
    const live = await run({ command: 'go-live', 'offer-id': CONTOSO_APP.offerId, 'submission-id': id }, [
      'submission-404-after-preview'
    ])
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs['submission-substate']).toBe('InStore')
  })
})

describe('x-ms-publisherId required (§7.4)', () => {
  it('without seller-id: the service words and the input that fixes it; nothing written', async () => {
    const result = await run(publishInputs(), ['publisher-id-required'])
    expect(result.code).toBe(1)
    const [error] = errorAnnotations(result)
    expect(error).toContain('PublisherId is a required header, and must be a positive number.')
    expect(error).toContain('seller-id')
    expect(writes(emulator)).toEqual([])
  })

  it('with seller-id every v1 call carries the header: a whole release to live goes through', async () => {
    const result = await run(publishInputs({ target: 'live', 'seller-id': '7654321' }), [
      'publisher-id-required'
    ])
    expect(errorAnnotations(result)).toEqual([])
    expect(result.outputs['submission-substate']).toBe('InStore')
    expect(emulator.requests().filter(r => r.path.startsWith('/v1.0/') && r.status === 400)).toEqual([])
  })

  it('refuses a seller-id that is not a positive number, naming the input, before any request', async () => {
    const result = await run(publishInputs({ 'seller-id': '-12' }))
    expect(result.code).toBe(1)
    expect(errorAnnotations(result)[0]).toContain("Input 'seller-id': '-12' is not a seller ID")
    expect(emulator.requests()).toEqual([])
  })
})

describe('plain-text error bodies and nextLink 404s (§7.8, §7.9)', () => {
  it('quotes a plain-text error as the service wrote it', async () => {
    const result = await run(publishInputs(), ['plain-text-errors', 'publisher-id-required'])
    expect(result.code).toBe(1)
    expect(errorAnnotations(result)[0]).toContain(
      'HTTP 400 - PublisherId is a required header, and must be a positive number.'
    )
  })

  it('asks again once for a nextLink page that answered 404', async () => {
    const result = await run({ command: 'list', 'offer-type': 'AzureApplication' }, ['nextlink-404-once'])
    expect(errorAnnotations(result)).toEqual([])
    // The seed's Azure Applications, and the filler offers (all Azure Applications too).
    const azureApps =
      (defaultSeed().offers ?? []).filter(o => o.resourceType === 'AzureApplication').length +
      DEFAULT_FILLER_OFFERS
    expect(result.outputs.count).toBe(String(azureApps))
    expect(requests(/skipToken=/i).filter(r => r.status === 404)).toHaveLength(1)
  })

  it('a nextLink page that answers 404 twice is a clear error, not a short list', async () => {
    emulator.setFaults([{ method: 'GET', path: 'skipToken=', action: 'status', status: 404, times: 2 }])
    const result = await run({ command: 'list', 'offer-type': 'AzureApplication' })
    emulator.setFaults([])
    expect(result.code).toBe(1)
    expect(errorAnnotations(result)[0]).toMatch(/page 2.*404 twice/)
    expect(result.outputs.count).toBeUndefined()
  })
})
