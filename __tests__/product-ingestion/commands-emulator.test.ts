// The Product Ingestion commands in-process against a running emulator: real HTTP, real sign-in,
// a fast clock for the waits (the emulator runs 1000x faster than real time).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, CONTOSO_CONTAINER, CONTOSO_SAAS, CONTOSO_VM } from '../../emulator/seed/default.js'
import type { Clock } from '../../src/clock.js'
import { configureCommand } from '../../src/commands/product-ingestion/configure.js'
import { exportCommand } from '../../src/commands/product-ingestion/export.js'
import {
  cancelProductIngestion,
  goLiveProductIngestion,
  statusProductIngestion
} from '../../src/commands/product-ingestion/lifecycle.js'
import { publishProductIngestion } from '../../src/commands/product-ingestion/publish.js'
import { resolveOffer } from '../../src/commands/common/resolve-offer.js'
import { createContext, type RunContext } from '../../src/context.js'
import { InputError } from '../../src/errors.js'
import { readInputs } from '../../src/inputs.js'
import { ConfigError } from '../../src/commands/product-ingestion/config-files.js'
import { JobFailedError } from '../../src/product-ingestion/job-errors.js'
import { emulatorInputs, startTestEmulator } from '../helpers/emulator.js'

const S = (type: string, version = '2022-03-01-preview2'): string =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`

/** Virtual time for the action: a sleep of 5 s takes 5 ms, so pollUntil's backoff is exercised quickly. */
function fastClock(): Clock {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    sleep: async ms => {
      offset += ms
      await new Promise(resolve => setTimeout(resolve, Math.max(1, ms / 1000)))
    }
  }
}

let emulator: RunningEmulator
let dir: string
beforeAll(async () => {
  emulator = await startTestEmulator({ timeScale: 1000 })
  dir = mkdtempSync(join(tmpdir(), 'pi-commands-'))
  // config-path and output-path must lead inside the workspace: these tests' files are in `dir`.
  process.env.GITHUB_WORKSPACE = dir
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

function context(inputs: Record<string, string>, target: RunningEmulator = emulator): RunContext {
  const all = emulatorInputs(target, inputs)
  return createContext(
    readInputs(name => all[name] ?? '', {}),
    { clock: fastClock() }
  )
}

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const piRequests = (): string[] =>
  emulator
    .requests()
    .filter(r => r.path.startsWith('/rp/'))
    .map(r => `${r.method} ${r.path.split('?')[0]}`)

describe('configure', () => {
  it('sends the resources of several files as one job, waits, and outputs the durable IDs', async () => {
    const plans = file(
      'plans.yaml',
      [
        `- $schema: ${S('plan')}`,
        `  product: product/${CONTOSO_SAAS.productId}`,
        '  identity: { externalId: gold }',
        '  alias: Gold',
        '  resourceName: goldPlan'
      ].join('\n')
    )
    const reseller = file(
      'reseller.json',
      JSON.stringify({
        $schema: S('configure'),
        resources: [
          {
            $schema: S('reseller'),
            product: `product/${CONTOSO_SAAS.productId}`,
            resellerChannelState: 'all',
            audiences: []
          }
        ]
      })
    )
    const report = await configureCommand(
      context({ command: 'configure', 'config-path': `${plans}\n${reseller}` })
    )
    expect(report.outputs).toMatchObject({
      'job-status': 'completed',
      'job-result': 'succeeded',
      'product-id': CONTOSO_SAAS.productId
    })
    const ids = JSON.parse(report.outputs['resource-ids']!) as string[]
    expect(ids).toEqual([
      expect.stringMatching(new RegExp(`^plan/${CONTOSO_SAAS.productId}/`)),
      `reseller/${CONTOSO_SAAS.productId}`
    ])
    expect(piRequests().filter(r => r === 'POST /rp/product-ingestion/configure')).toHaveLength(1)
  })

  it('accepts globs', async () => {
    const sub = mkdtempSync(join(dir, 'glob-'))
    writeFileSync(
      join(sub, 'a.json'),
      JSON.stringify([
        {
          $schema: S('reseller'),
          product: `product/${CONTOSO_VM.productId}`,
          resellerChannelState: 'some',
          audiences: []
        }
      ])
    )
    writeFileSync(join(sub, 'ignored.txt'), 'not a resource')
    const report = await configureCommand(
      context({ command: 'configure', 'config-path': join(sub, '**/*.json') })
    )
    expect(report.outputs['job-result']).toBe('succeeded')
  })

  it('reports a failed job with every detail and its resource', async () => {
    const path = file(
      'orphan.json',
      JSON.stringify([
        {
          $schema: S('plan'),
          product: 'product/00000000-0000-0000-0000-000000000000',
          identity: { externalId: 'orphan' },
          alias: 'Orphan'
        }
      ])
    )
    const error = (await configureCommand(context({ command: 'configure', 'config-path': path })).catch(
      e => e
    )) as JobFailedError
    expect(error).toBeInstanceOf(JobFailedError)
    expect(error.rows).toEqual([
      {
        code: 'resourceNotFound',
        message: expect.stringContaining('does not exist'),
        resourceId: 'externalId orphan'
      }
    ])
    expect(error.message).toContain('externalId orphan: resourceNotFound')
    expect(error.report.outputs).toMatchObject({ 'job-status': 'completed', 'job-result': 'failed' })
    expect(error.report.sections[1].table?.rows).toEqual([
      ['externalId orphan', 'resourceNotFound', expect.any(String)]
    ])
  })

  it('catches a schema error locally, naming file, JSON path and line, without a single request', async () => {
    const path = file(
      'bad.json',
      `[\n  {\n    "$schema": "${S('plan')}",\n    "product": "product/${CONTOSO_SAAS.productId}",\n    "identity": { "externalId": "Not Valid" },\n    "alias": "x"\n  }\n]\n`
    )
    const before = emulator.requests().length
    const error = (await configureCommand(context({ command: 'configure', 'config-path': path })).catch(
      e => e
    )) as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.input).toBe('config-path')
    expect(error.problems).toEqual([
      {
        file: expect.stringContaining('bad.json'),
        line: 5,
        column: 33,
        path: '[0].identity.externalId',
        message: expect.stringContaining('does not match the pattern')
      }
    ])
    expect(emulator.requests().length).toBe(before)
  })

  it('dry-run validates and shows the body without sending it; wait: false returns after the job is accepted', async () => {
    const path = file(
      'dry.json',
      JSON.stringify([
        {
          $schema: S('reseller'),
          product: `product/${CONTOSO_VM.productId}`,
          resellerChannelState: 'all',
          audiences: []
        }
      ])
    )
    const dry = await configureCommand(
      context({ command: 'configure', 'config-path': path, 'dry-run': 'true' })
    )
    expect(dry.sections.at(-1)?.details?.body).toContain('"resellerChannelState": "all"')
    expect(piRequests()).toEqual([])
    const started = await configureCommand(
      context({ command: 'configure', 'config-path': path, wait: 'false' })
    )
    expect(started.outputs).toMatchObject({ 'job-status': 'notStarted', 'job-result': 'pending' })
    const status = await statusProductIngestion(
      context({ command: 'status', 'job-id': started.outputs['job-id']!, wait: 'true' }),
      undefined
    )
    expect(status.outputs).toMatchObject({
      'job-status': 'completed',
      'job-result': 'succeeded',
      'resource-ids': JSON.stringify([`reseller/${CONTOSO_VM.productId}`])
    })
  })
})

describe('export', () => {
  it('writes a stable, sorted configure body that configure accepts unchanged (YAML)', async () => {
    const out = join(dir, 'vm', 'offer.yaml')
    const ctx = context({ command: 'export', 'offer-id': CONTOSO_VM.offerId, 'output-path': out })
    const report = await exportCommand(ctx)
    expect(report.outputs).toMatchObject({
      'output-path': out,
      'product-id': CONTOSO_VM.productId,
      'offer-id': CONTOSO_VM.offerId
    })
    const first = readFileSync(out, 'utf8')
    const body = parseYaml(first) as { $schema: string; resources: Array<Record<string, unknown>> }
    expect(body.$schema).toBe(S('configure'))
    const types = body.resources.map(r => String(r.$schema).split('/')[4])
    expect(types).toEqual([...types].sort())
    for (const r of body.resources) expect(Object.keys(r).slice(0, 2)).toEqual(['$schema', 'id'])
    await exportCommand(ctx)
    expect(readFileSync(out, 'utf8')).toBe(first)

    const configured = await configureCommand(context({ command: 'configure', 'config-path': out }))
    expect(configured.outputs['job-result']).toBe('succeeded')
    expect(JSON.parse(configured.outputs['resource-ids']!)).toHaveLength(body.resources.length)
  })

  it('writes JSON for .json, refuses other extensions before any request, and refuses Azure Applications', async () => {
    const out = join(dir, 'container.json')
    await exportCommand(
      context({ command: 'export', 'offer-id': CONTOSO_CONTAINER.offerId, 'output-path': out })
    )
    expect(JSON.parse(readFileSync(out, 'utf8')).resources.length).toBeGreaterThan(5)
    const before = emulator.requests().length
    await expect(
      exportCommand(
        context({ command: 'export', 'offer-id': CONTOSO_SAAS.offerId, 'output-path': join(dir, 'x.txt') })
      )
    ).rejects.toThrow(InputError)
    expect(emulator.requests().length).toBe(before)
    await expect(
      exportCommand(
        context({ command: 'export', 'offer-id': CONTOSO_APP.offerId, 'output-path': join(dir, 'app.json') })
      )
    ).rejects.toThrow(/does not serve/)
  })
})

describe('publish', () => {
  it('publishes the SaaS offer to preview; target live then publishes the current draft to preview again and takes that live', async () => {
    const previewCtx = context({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'preview' })
    const preview = await publishProductIngestion(previewCtx, await resolveOffer(previewCtx))
    expect(preview.outputs).toMatchObject({
      'submission-id': expect.stringMatching(new RegExp(`^submission/${CONTOSO_SAAS.productId}/\\d+$`)),
      'submission-state': 'completed',
      'submission-substate': 'succeeded',
      'job-result': 'succeeded',
      'partner-center-url': `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${CONTOSO_SAAS.productId}/overview`
    })
    const liveCtx = context({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'live' })
    const live = await publishProductIngestion(liveCtx, await resolveOffer(liveCtx))
    expect(live.outputs).toMatchObject({
      'submission-state': 'completed',
      'submission-substate': 'succeeded'
    })
    // Not the earlier preview: it may hold an older draft (issue #13).
    expect(live.outputs['submission-id']).not.toBe(preview.outputs['submission-id'])
    const configures = piRequests().filter(r => r === 'POST /rp/product-ingestion/configure')
    expect(configures).toHaveLength(3)
  })

  it('target live without a preview publishes to preview first; draft is a no-op', async () => {
    const ctx = context({ command: 'publish', 'offer-id': CONTOSO_VM.offerId, target: 'live' })
    const report = await publishProductIngestion(ctx, await resolveOffer(ctx))
    expect(String(report.sections[0].text)).toMatch(/Published to preview first/)
    const status = await statusProductIngestion(
      context({ command: 'status', 'offer-id': CONTOSO_VM.offerId }),
      await resolveOffer(ctx)
    )
    expect(status.sections[0].table?.rows.map(r => r[1])).toEqual(['live', 'preview'])

    const draftCtx = context({ command: 'publish', 'offer-id': CONTOSO_VM.offerId, target: 'draft' })
    const draft = await publishProductIngestion(draftCtx, await resolveOffer(draftCtx))
    expect(draft.title).toMatch(/nothing to publish/)
  })

  it('fails on a submission in progress, and go-live needs a preview', async () => {
    // A slower emulator clock: the submission (10 virtual seconds) must still be running, even on a
    // busy machine, when the second publish looks.
    const mid = await startTestEmulator({ timeScale: 5 })
    try {
      const ctx = context(
        {
          command: 'publish',
          'offer-id': CONTOSO_CONTAINER.offerId,
          target: 'preview',
          wait: 'false'
        },
        mid
      )
      const offer = await resolveOffer(ctx)
      await expect(goLiveProductIngestion(ctx, offer)).rejects.toThrow(/no preview submission/)
      const started = await publishProductIngestion(ctx, offer)
      expect(started.outputs['job-status']).toBe('notStarted')
      await statusProductIngestion(
        context({ command: 'status', 'job-id': started.outputs['job-id']!, wait: 'true' }, mid),
        offer
      )
      await expect(publishProductIngestion(ctx, offer)).rejects.toThrow(/is still in progress/)
      await statusProductIngestion(
        context({ command: 'status', 'offer-id': CONTOSO_CONTAINER.offerId, wait: 'true' }, mid),
        offer
      )
      // The live publish takes 30 virtual seconds, 6 real ones at this scale: more than the action's
      // fast clock spends on a 60-minute timeout.
      const live = await goLiveProductIngestion(
        context({ command: 'go-live', 'offer-id': CONTOSO_CONTAINER.offerId, 'timeout-minutes': '600' }, mid),
        offer
      )
      expect(live.outputs).toMatchObject({
        'submission-state': 'completed',
        'submission-substate': 'succeeded'
      })
    } finally {
      await mid.close()
    }
  }, 60_000)
})

describe('cancel', () => {
  // Real-time emulator clock: the job stays queued long enough to be cancelled.
  let slow: RunningEmulator
  beforeAll(async () => {
    slow = await startTestEmulator({ timeScale: 1 })
  })
  afterAll(() => slow.close())

  it('cancels a configure job that has not completed, and says so clearly when it already had', async () => {
    const path = file(
      'cancel.json',
      JSON.stringify([
        {
          $schema: S('reseller'),
          product: `product/${CONTOSO_VM.productId}`,
          resellerChannelState: 'all',
          audiences: []
        }
      ])
    )
    const started = await configureCommand(
      context({ command: 'configure', 'config-path': path, wait: 'false' }, slow)
    )
    const jobId = started.outputs['job-id']!
    const cancelled = await cancelProductIngestion(
      context({ command: 'cancel', 'job-id': jobId }, slow),
      undefined
    )
    expect(cancelled.outputs).toMatchObject({
      'job-id': jobId,
      'job-status': 'completed',
      'job-result': 'cancelled'
    })
    const again = await cancelProductIngestion(
      context({ command: 'cancel', 'job-id': jobId }, slow),
      undefined
    )
    expect(String(again.sections[0].text)).toMatch(/had already completed \(cancelled\)/)
    await expect(
      cancelProductIngestion(context({ command: 'cancel', 'offer-id': CONTOSO_VM.offerId }, slow), undefined)
    ).rejects.toThrow(/give `job-id`/)
  })

  it('on-conflict: fail names the running job; cancel cancels it and publishes', async () => {
    const path = file(
      'conflict.json',
      JSON.stringify([
        {
          $schema: S('reseller'),
          product: `product/${CONTOSO_SAAS.productId}`,
          resellerChannelState: 'all',
          audiences: []
        }
      ])
    )
    const jobId = (
      await configureCommand(context({ command: 'configure', 'config-path': path, wait: 'false' }, slow))
    ).outputs['job-id']!
    const failing = context(
      { command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, 'job-id': jobId, wait: 'false' },
      slow
    )
    const offer = await resolveOffer(failing)
    await expect(publishProductIngestion(failing, offer)).rejects.toThrow(
      // Queued for one real second, then running: a busy machine may see either.
      new RegExp(`Configure job ${jobId} is still (notStarted|running)`)
    )
    const cancelling = context(
      {
        command: 'publish',
        'offer-id': CONTOSO_SAAS.offerId,
        'job-id': jobId,
        'on-conflict': 'cancel',
        wait: 'false'
      },
      slow
    )
    const report = await publishProductIngestion(cancelling, offer)
    expect(report.outputs['job-status']).toMatch(/^(notStarted|running)$/)
    const status = await statusProductIngestion(context({ command: 'status', 'job-id': jobId }, slow), offer)
    expect(status.outputs['job-result']).toBe('cancelled')
  })
})
