import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  CONTOSO_APP,
  DEFAULT_PRODUCT_COUNT,
  DEMO_CREDENTIALS,
  EXPIRED_SECRET_APP,
  NO_ROLE_APP
} from '../../emulator/seed/default.js'
import { emulatorInputs, startTestEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, RUNTIMES } from '../helpers/run-action.js'

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

// The listing is a main flow: it runs once more under the compatibility runtime.
describe.each(RUNTIMES)('list through the bundle on %s', runtime => {
  it('lists every offer across all relative-nextLink pages, with a linked summary table', async () => {
    const run = await runAction({ runtime, inputs: emulatorInputs(emulator, { command: 'list' }) })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe(String(DEFAULT_PRODUCT_COUNT))
    const offers = JSON.parse(run.outputs.offers) as Array<Record<string, string>>
    expect(offers).toHaveLength(DEFAULT_PRODUCT_COUNT)
    expect(offers).toContainEqual({
      productId: CONTOSO_APP.productId,
      offerId: 'contoso-app',
      name: CONTOSO_APP.name,
      type: 'AzureApplication'
    })
    expect(offers.map(o => o.offerId)).toEqual([...offers.map(o => o.offerId)].sort())
    expect(run.summary).toContain(
      `[contoso-app](https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${CONTOSO_APP.productId}/overview)`
    )
    // 4 pages at the emulator's page size of 5.
    expect(
      emulator.requests().filter(r => r.method === 'GET' && /\/v1\.0\/ingestion\/products(\?|$)/.test(r.path))
        .length
    ).toBeGreaterThanOrEqual(4)
  })
})

describe('list and show through the bundle', () => {
  it('filters by offer-type', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'list', 'offer-type': 'saas' })
    })
    expect(run.code).toBe(0)
    const offers = JSON.parse(run.outputs.offers) as Array<Record<string, string>>
    expect(offers.length).toBeGreaterThan(0)
    expect(offers.every(o => o.type === 'SoftwareAsAService')).toBe(true)
    expect(run.outputs.count).toBe(String(offers.length))
  })

  it('shows an Azure Application with its plans, versions and latest submission', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'offer-id': 'contoso-app' })
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'product-id': CONTOSO_APP.productId,
      'offer-id': 'contoso-app',
      'offer-type': 'AzureApplication',
      'submission-id': CONTOSO_APP.liveSubmissionId,
      'submission-state': 'Published',
      'submission-substate': 'InStore',
      'partner-center-url': `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${CONTOSO_APP.productId}/overview`
    })
    const plans = JSON.parse(run.outputs.plans) as Array<Record<string, string>>
    expect(plans).toEqual(
      expect.arrayContaining([
        {
          planId: 'standard',
          variantId: CONTOSO_APP.plans.standard.variantId,
          name: expect.any(String),
          subType: 'solution-template',
          version: '1.0.0'
        },
        {
          planId: 'managed',
          variantId: CONTOSO_APP.plans.managed.variantId,
          name: expect.any(String),
          subType: 'managed-application',
          version: '1.0.0'
        }
      ])
    )
    expect(run.summary).toContain('### Plans')
    expect(run.summary).toContain('| standard |')
  })

  it('shows an offer by product-id', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'product-id': CONTOSO_APP.productId })
    })
    expect(run.code).toBe(0)
    expect(run.outputs['offer-id']).toBe('contoso-app')
  })
})

describe('failures through the bundle', () => {
  it('an unknown offer says so and how to list offers', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'offer-id': 'no-such-offer' })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain("Offer 'no-such-offer' was not found")
    expect(error).toContain('command: list')
  })

  it('a wrong secret names AADSTS7000215 and says to use the secret value', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'list', 'client-secret': 'wrong-secret-value-123' })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('AADSTS7000215')
    expect(error).toContain("secret's Value")
  })

  it('an expired secret says to create a new one', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, {
        command: 'list',
        'client-id': EXPIRED_SECRET_APP.clientId,
        'client-secret': EXPIRED_SECRET_APP.clientSecret
      })
    })
    expect(errorAnnotations(run)[0]).toContain('AADSTS7000222')
  })

  it('an app without a Partner Center role is told to add it with the Manager role', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, {
        command: 'list',
        'client-id': NO_ROLE_APP.clientId,
        'client-secret': NO_ROLE_APP.clientSecret
      })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('HTTP 403')
    expect(error).toContain('Microsoft Entra applications, with the Manager role')
  })

  it('an unknown tenant says to check tenant-id', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, {
        command: 'list',
        'tenant-id': '00000000-0000-0000-0000-000000000001'
      })
    })
    expect(errorAnnotations(run)[0]).toContain('AADSTS90002')
  })

  it('a rehearsal time scale is ignored, with a warning, when a service is not on a loopback address', async () => {
    const run = await runAction({
      env: { PARTNER_CENTER_PUBLISH_TIME_SCALE: '60' },
      inputs: emulatorInputs(emulator, {
        command: 'show',
        'ingestion-api-url': 'https://api.partner.microsoft.com/v1.0/ingestion'
      })
    })
    expect(run.stdout).toContain('::warning::PARTNER_CENTER_PUBLISH_TIME_SCALE is ignored')
    expect(run.stdout).not.toContain('Rehearsal:')
    // show without an offer stops before any request, so nothing left this machine
    expect(errorAnnotations(run)[0]).toContain("Input 'offer-id'")
  })

  it('bad input fails before any request', async () => {
    const before = emulator.requests().length
    const run = await runAction({ inputs: emulatorInputs(emulator, { command: 'publsh' }) })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toContain("Input 'command': 'publsh' is not a command")
    expect(emulator.requests().length).toBe(before)
  })
})

describe('secrets', () => {
  it('never appear in anything a run writes, with step debug on', async () => {
    emulator.reset()
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'offer-id': 'contoso-app' }),
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    const text = everythingWritten(run)
    expect(text).toContain('::debug::') // debug really was on
    expect(text).not.toContain(DEMO_CREDENTIALS.clientSecret)
    // Every access token the emulator issued: JWT-shaped strings must not appear.
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/)
    expect(writes(emulator)).toEqual([])
  })
})
