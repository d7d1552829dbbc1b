// v1 releases that do what they say: the offer written is the one named, a failed release can be
// re-run for the same tag, go-live acts on the newest submission. The bundled action against the emulator.
import { describe, expect, it } from '@jest/globals'
import { CONTOSO_APP, FAILING_CERTIFICATION_APP } from '../../emulator/seed/default.js'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  startTestEmulator,
  useEmulator,
  writes
} from '../helpers/emulator.js'
import { errorAnnotations, runAction, type ActionRun } from '../helpers/run-action.js'

const SCALE = 50
const env = rehearsalEnv(SCALE)
const emulator = useEmulator({ timeScale: SCALE })

function run(inputs: Record<string, string>, on: RunningEmulator = emulator): Promise<ActionRun> {
  return runAction({ env, inputs: emulatorInputs(on, inputs) })
}

const publishInputs = (extra: Record<string, string> = {}) => ({
  command: 'publish',
  'offer-id': CONTOSO_APP.offerId,
  'package-path': EXAMPLE_PACKAGE,
  'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
  version: '1.1.0',
  ...extra
})

const posts = (pattern: RegExp, on: RunningEmulator = emulator) =>
  on.requests().filter(r => r.method === 'POST' && pattern.test(r.path) && r.status < 300)

describe('an offer ID that matches nothing never falls back (ignore-offer-filter)', () => {
  it('a release for an offer that does not exist stops with an error and writes nothing', async () => {
    emulator.setBehaviours(['ignore-offer-filter'])
    const result = await run(publishInputs({ 'offer-id': 'contoso-nothing' }))
    expect(result.code).toBe(1)
    expect(errorAnnotations(result)[0]).toContain("Offer 'contoso-nothing' was not found")
    expect(writes(emulator)).toEqual([])
  })

  it('the offer named is found however many other offers the service returns before it', async () => {
    emulator.setBehaviours(['ignore-offer-filter'])
    const result = await run({ command: 'show', 'offer-id': FAILING_CERTIFICATION_APP.offerId })
    expect(errorAnnotations(result)).toEqual([])
    expect(result.outputs['product-id']).toBe(FAILING_CERTIFICATION_APP.productId)
  })
})

describe('a failed release can be re-run for the same tag', () => {
  it('after a run that failed once the draft was moved: the re-run reuses the package and finishes', async () => {
    emulator.setBehaviours([])
    // The first run uploads, moves both plans to 1.1.0, then the submission is refused.
    emulator.setFaults([{ method: 'POST', path: '/submissions$', action: 'status', status: 400, times: 1 }])
    const failed = await run(publishInputs())
    emulator.setFaults([])
    expect(failed.code).toBe(1)
    expect(posts(/\/packages$/)).toHaveLength(1)

    const rerun = await run(publishInputs())
    expect(errorAnnotations(rerun)).toEqual([])
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['submission-substate']).toBe('ReadyToPublish')
    // The package of the first run is used again: one upload in all.
    expect(posts(/\/packages$/)).toHaveLength(1)
    expect(rerun.stdout).toContain('was already uploaded and processed for these contents')
    // The draft no longer holds the version before the release: the summary says why.
    expect(rerun.summary).toContain(
      '| standard | solution-template | (1.1.0 already, from an earlier run) | 1.1.0 |'
    )
    const plans = JSON.parse(rerun.outputs.plans) as Array<{ previousVersion: string | null }>
    expect(plans.map(p => p.previousVersion)).toEqual([null, null])
  })

  it('after a submission that failed certification: the re-run submits again, one upload in all', async () => {
    const offer = {
      'offer-id': FAILING_CERTIFICATION_APP.offerId,
      'technical-configuration': ''
    }
    const failed = await run(publishInputs(offer))
    expect(failed.code).toBe(1)
    expect(errorAnnotations(failed)[0]).toContain('failed')
    const rerun = await run(publishInputs(offer))
    expect(errorAnnotations(rerun)).toEqual([])
    expect(rerun.outputs['submission-substate']).toBe('ReadyToPublish')
    expect(posts(/\/packages$/)).toHaveLength(1)
    expect(posts(/\/submissions$/)).toHaveLength(2)
  })

  it('while the submission for this version is in progress the re-run follows it instead of making another', async () => {
    // Real-time timings: the first submission is still in progress when the re-run starts.
    const slow = await startTestEmulator({
      timeScale: 1,
      timings: { automatedValidation: 1500, previewCreation: 1500, certification: 1500 }
    })
    try {
      const first = await run(publishInputs({ wait: 'false' }), slow)
      expect(first.outputs['submission-state']).toBe('InProgress')
      const rerun = await runAction({ env: rehearsalEnv(1), inputs: emulatorInputs(slow, publishInputs()) })
      expect(errorAnnotations(rerun)).toEqual([])
      expect(rerun.outputs['submission-id']).toBe(first.outputs['submission-id'])
      expect(rerun.outputs['submission-substate']).toBe('ReadyToPublish')
      expect(posts(/\/submissions$/, slow)).toHaveLength(1)
      expect(posts(/\/packages$/, slow)).toHaveLength(1)
    } finally {
      await slow.close()
    }
  })

  it('a version below the live one is refused with a real next version to tag', async () => {
    const result = await run(publishInputs({ version: '0.9.0' }))
    expect(result.code).toBe(1)
    const [error] = errorAnnotations(result)
    expect(error).toContain(
      "Input 'version': 0.9.0 is not higher than the current version of every plan ('standard' is at 1.0.0"
    )
    expect(error).toContain('tag v1.0.1 (or higher)')
    expect(writes(emulator)).toEqual([])
  })
})

describe('a re-run takes the submission of an earlier run from where it stands', () => {
  it('reached preview but could not go live: the re-run takes that one live; once live, a re-run writes nothing', async () => {
    emulator.setBehaviours([])
    emulator.setFaults([{ method: 'POST', path: '/promote$', action: 'status', status: 400, times: 1 }])
    const failed = await run(publishInputs({ target: 'live' }))
    emulator.setFaults([])
    expect(failed.code).toBe(1)
    expect(posts(/\/submissions$/)).toHaveLength(1)

    const rerun = await run(publishInputs({ target: 'live' }))
    expect(errorAnnotations(rerun)).toEqual([])
    expect(rerun.stdout).toContain('it has reached preview; going live with it')
    expect(rerun.outputs).toMatchObject({ 'release-status': 'live', 'submission-substate': 'InStore' })
    expect(posts(/\/submissions$/)).toHaveLength(1)
    expect(posts(/\/packages$/)).toHaveLength(1)
    expect(posts(/\/promote$/)).toHaveLength(1)

    const before = writes(emulator)
    const again = await run(publishInputs({ target: 'live' }))
    expect(errorAnnotations(again)).toEqual([])
    expect(again.stdout).toContain('it is live already; nothing is submitted again')
    expect(again.stdout).toContain("Plan 'standard': already at version 1.1.0")
    expect(again.outputs['release-status']).toBe('live')
    expect(writes(emulator)).toEqual(before)
  })

  it('the submission of the release before (live, no notes of this version) is never taken for this one', async () => {
    emulator.setBehaviours([])
    // The run moved the draft, then its submission was refused: the newest submission is the live
    // one of the release before.
    emulator.setFaults([{ method: 'POST', path: '/submissions$', action: 'status', status: 400, times: 1 }])
    expect((await run(publishInputs({ target: 'live' }))).code).toBe(1)
    emulator.setFaults([])
    const rerun = await run(publishInputs({ target: 'live' }))
    expect(errorAnnotations(rerun)).toEqual([])
    expect(rerun.outputs['submission-id']).not.toBe(CONTOSO_APP.liveSubmissionId)
    expect(posts(/\/submissions$/)).toHaveLength(1)
    expect(rerun.outputs['release-status']).toBe('live')
  })
})

describe('the version rule is "higher than the live version"', () => {
  it('where Partner Center keeps what went live apart from the draft (draft-instance-per-submission), a version between live and a draft that never went live is accepted, and the summary shows the live version', async () => {
    emulator.setBehaviours(['draft-instance-per-submission'])
    const live = await run(publishInputs({ version: '1.2.0', target: 'live' }))
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs['release-status']).toBe('live')
    // 1.3.0 goes into the draft and never goes live.
    expect(errorAnnotations(await run(publishInputs({ version: '1.3.0', target: 'draft' })))).toEqual([])

    const below = await run(publishInputs({ version: '1.1.0' }))
    expect(below.code).toBe(1)
    expect(errorAnnotations(below)[0]).toContain("'standard' is live at 1.2.0")
    expect(errorAnnotations(below)[0]).toContain('tag v1.2.1 (or higher)')

    const between = await run(publishInputs({ version: '1.2.5' }))
    expect(errorAnnotations(between)).toEqual([])
    expect(between.outputs['submission-substate']).toBe('ReadyToPublish')
    expect(between.summary).toContain('| standard | solution-template | 1.2.0 | 1.2.5 |')
    const plans = JSON.parse(between.outputs.plans) as Array<{
      previousVersion: string
      previousVersionFrom: string
    }>
    expect(plans.map(p => [p.previousVersion, p.previousVersionFrom])).toEqual([
      ['1.2.0', 'live'],
      ['1.2.0', 'live']
    ])
  })

  it('where the live submission names the draft instance (the default reading), the draft stands in, and the summary says so', async () => {
    emulator.setBehaviours([])
    const dry = await run(publishInputs({ version: '1.2.0', 'dry-run': 'true' }))
    expect(dry.summary).toContain('| standard | solution-template | 1.0.0 (draft) | 1.2.0 |')
    expect(errorAnnotations(await run(publishInputs({ version: '1.3.0', target: 'draft' })))).toEqual([])
    const between = await run(publishInputs({ version: '1.2.5', 'dry-run': 'true' }))
    expect(between.code).toBe(1)
    expect(errorAnnotations(between)[0]).toContain("'standard' is at 1.3.0")
  })
})

describe('go-live without submission-id acts on the newest submission', () => {
  const GO_LIVE_SCALE = 5
  async function withPreviewInProgress(
    test: (slow: RunningEmulator, submissionId: string) => Promise<void>
  ): Promise<void> {
    // The preview takes 4 s of real time, so that it is still on its way when go-live starts.
    const slow = await startTestEmulator({
      timeScale: GO_LIVE_SCALE,
      timings: { automatedValidation: 5000, previewCreation: 5000, certification: 10000, goLive: 2500 }
    })
    try {
      const started = await run(publishInputs({ wait: 'false' }), slow)
      expect(started.outputs['submission-state']).toBe('InProgress')
      await test(slow, started.outputs['submission-id']!)
    } finally {
      await slow.close()
    }
  }

  it('wait: true waits until the newest submission is ready, then promotes it and waits for live', async () => {
    await withPreviewInProgress(async (slow, id) => {
      const result = await runAction({
        env: rehearsalEnv(GO_LIVE_SCALE),
        inputs: emulatorInputs(slow, { command: 'go-live', 'offer-id': CONTOSO_APP.offerId })
      })
      expect(errorAnnotations(result)).toEqual([])
      expect(result.outputs['submission-id']).toBe(id)
      expect(result.outputs['submission-substate']).toBe('InStore')
      expect(result.stdout).not.toContain('already live')
      expect(posts(/\/promote$/, slow)).toHaveLength(1)
    })
  })

  it('wait: false fails saying the newest submission is not ready yet, and writes nothing', async () => {
    await withPreviewInProgress(async (slow, id) => {
      const before = writes(slow).length
      const result = await runAction({
        env: rehearsalEnv(GO_LIVE_SCALE),
        inputs: emulatorInputs(slow, { command: 'go-live', 'offer-id': CONTOSO_APP.offerId, wait: 'false' })
      })
      expect(result.code).toBe(1)
      expect(errorAnnotations(result).join('\n')).toContain(
        `${CONTOSO_APP.offerId}: not ready to go live yet - submission ${id}`
      )
      expect(result.stdout).toContain('when-not-ready: skip')
      expect(result.outputs).toMatchObject({ 'submission-id': id, 'release-status': 'in-progress' })
      expect(writes(slow).length).toBe(before)
    })
  })

  it('wait: false with when-not-ready: skip succeeds having done nothing, so that a schedule tries again', async () => {
    await withPreviewInProgress(async (slow, id) => {
      const before = writes(slow).length
      const result = await runAction({
        env: rehearsalEnv(GO_LIVE_SCALE),
        inputs: emulatorInputs(slow, {
          command: 'go-live',
          'offer-id': CONTOSO_APP.offerId,
          wait: 'false',
          'when-not-ready': 'skip'
        })
      })
      expect(result.code).toBe(0)
      expect(errorAnnotations(result)).toEqual([])
      expect(result.stdout).toContain(`not ready to go live yet - submission ${id}`)
      expect(result.outputs['release-status']).toBe('in-progress')
      expect(writes(slow).length).toBe(before)
    })
  })

  it('the newest submission already live is reported as such', async () => {
    const result = await run({ command: 'go-live', 'offer-id': CONTOSO_APP.offerId })
    expect(errorAnnotations(result)).toEqual([])
    expect(result.outputs['submission-id']).toBe(CONTOSO_APP.liveSubmissionId)
    expect(result.stdout).toContain('already live')
  })
})
