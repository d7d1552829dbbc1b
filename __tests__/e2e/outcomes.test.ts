import { describe, expect, it } from '@jest/globals'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  startTestEmulator,
  useEmulator,
  writes
} from '../helpers/emulator.js'
import { errorAnnotations, runAction } from '../helpers/run-action.js'

/**
 * Releases that do what they say (issue #13), through dist/index.js against the emulator: inputs that
 * do not apply are refused before any write, odd tags are explained, a release outlasts a runner
 * job (publish without waiting, a status that reports at once, a go-live that can run on a schedule),
 * waits say what they wait for, and a cancelled run still reports where the release stood.
 */

const HOUR = 3_600_000
const SCALE = 50
const env = rehearsalEnv(SCALE)
// Certification takes 3 hours (emulated): longer than the run of any step below.
const emulator = useEmulator({ timeScale: SCALE, timings: { certification: 3 * HOUR } })

const publishApp = (extra: Record<string, string> = {}, runEnv: Record<string, string> = env) =>
  runAction({
    env: runEnv,
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': EXAMPLE_PACKAGE,
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      ...extra
    })
  })

const notices = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter(l => l.startsWith('::notice'))
    .map(l => l.replace(/^::notice[^:]*::/, ''))

describe('inputs that do not apply are refused before any write', () => {
  it.each([
    [
      'package-path on a SaaS offer',
      { command: 'publish', 'offer-id': 'contoso-saas', 'package-path': EXAMPLE_PACKAGE },
      "Input 'package-path': does not apply to SaaS offer 'contoso-saas' (SoftwareAsAService) with command 'publish'"
    ],
    [
      'technical-configuration on a container offer',
      {
        command: 'publish',
        'offer-id': 'contoso-container',
        'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION
      },
      "Input 'technical-configuration': does not apply to Azure Container offer 'contoso-container' (AzureContainer)"
    ],
    [
      'plan-id on a SaaS offer',
      { command: 'publish', 'offer-id': 'contoso-saas', 'plan-id': 'unknown-plan' },
      "Input 'plan-id': does not apply to SaaS offer 'contoso-saas'"
    ],
    [
      'config-path on publish of a v1 offer',
      { command: 'publish', 'offer-id': 'contoso-app', 'config-path': 'offer.json', version: '1.1.0' },
      "Input 'config-path': does not apply to command 'publish'; it is used by: configure."
    ],
    [
      'offer-type on status',
      { command: 'status', 'offer-id': 'contoso-app', 'offer-type': 'saas' },
      "Input 'offer-type': does not apply to command 'status'; it is used by: list."
    ]
  ])('%s', async (_name, inputs, message) => {
    const run = await runAction({ env, inputs: emulatorInputs(emulator, inputs) })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toContain(message)
    expect(writes(emulator)).toEqual([])
  })
})

describe('tags', () => {
  it('a pre-release tag is named, with what Partner Center versions are and what to do', async () => {
    const run = await publishApp({}, { ...env, GITHUB_REF: 'refs/tags/v1.2.3-beta.1' })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain(
      "Input 'version': is not set, and the tag 'v1.2.3-beta.1' is not a version Partner Center accepts: its versions are major.minor.patch"
    )
    expect(error).toContain('Set `version` (e.g. `version: 1.2.3`), or tag the release v1.2.3.')
    expect(error).not.toContain('not started by a version tag')
    expect(writes(emulator)).toEqual([])
  })

  it('a tag without the v prefix gives the version', async () => {
    const run = await publishApp({ 'dry-run': 'true' }, { ...env, GITHUB_REF: 'refs/tags/1.4.0' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.outputs.version).toBe('1.4.0')
  })
})

describe('a release that outlasts a runner job', () => {
  it('publish submits and exits; status reports at once; go-live before the preview is ready writes nothing (fails by hand, succeeds on a schedule); later it goes live', async () => {
    const submitted = await publishApp({ version: '1.1.0', wait: 'false' })
    expect(errorAnnotations(submitted)).toEqual([])
    expect(submitted.outputs).toMatchObject({
      'release-status': 'in-progress',
      'submission-state': 'InProgress'
    })
    const submissionId = submitted.outputs['submission-id']

    // status: no wait unless asked, and it says where the release stands.
    const status = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'status', 'offer-id': 'contoso-app' })
    })
    expect(errorAnnotations(status)).toEqual([])
    expect(status.stdout).not.toMatch(/Waiting for|Still waiting/)
    expect(status.outputs).toMatchObject({ 'submission-id': submissionId, 'release-status': 'in-progress' })
    expect(status.summary).toContain('Certification')

    // go-live by hand while certification goes on: it fails, says why, and writes nothing.
    const before = writes(emulator).length
    const byHand = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'go-live', 'offer-id': 'contoso-app', wait: 'false' })
    })
    expect(byHand.code).toBe(1)
    expect(errorAnnotations(byHand).join('\n')).toContain('not ready to go live yet')
    expect(byHand.outputs).toMatchObject({ 'submission-id': submissionId, 'release-status': 'in-progress' })
    expect(writes(emulator).length).toBe(before)

    // A scheduled go-live (when-not-ready: skip): nothing written, exit 0, a notice that says why.
    const early = await runAction({
      env,
      inputs: emulatorInputs(emulator, {
        command: 'go-live',
        'offer-id': 'contoso-app',
        wait: 'false',
        'when-not-ready': 'skip'
      })
    })
    expect(early.code).toBe(0)
    expect(errorAnnotations(early)).toEqual([])
    expect(early.outputs).toMatchObject({ 'submission-id': submissionId, 'release-status': 'in-progress' })
    expect(notices(early.stdout).join('\n')).toMatch(
      new RegExp(
        `contoso-app: not ready to go live yet - submission ${submissionId} is InProgress/\\w+, step Certification`
      )
    )
    expect(early.summary).toContain('not ready to go live')
    expect(writes(emulator).length).toBe(before)

    // Three hours later the preview is ready: the same go-live takes it live.
    const advanced = await fetch(`${emulator.url}/_emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 3 * HOUR })
    })
    expect(advanced.status).toBe(200)
    const ready = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'status', 'offer-id': 'contoso-app' })
    })
    expect(ready.outputs['release-status']).toBe('ready-to-go-live')
    const live = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'go-live', 'offer-id': 'contoso-app' })
    })
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs).toMatchObject({ 'release-status': 'live', 'submission-substate': 'InStore' })
    expect(writes(emulator).filter(w => w.endsWith('/promote'))).toHaveLength(1)
  }, 120_000)

  it('a wait says at least every 5 minutes what it waits for, the step and the time waited', async () => {
    const fast = await startTestEmulator({ timeScale: 600, timings: { certification: 3 * HOUR } })
    try {
      const runEnv = rehearsalEnv(600)
      const inputs = (extra: Record<string, string>) =>
        emulatorInputs(fast, { 'offer-id': 'contoso-app', ...extra })
      const submitted = await runAction({
        env: runEnv,
        inputs: inputs({
          command: 'publish',
          'package-path': EXAMPLE_PACKAGE,
          'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
          version: '1.1.0',
          wait: 'false'
        })
      })
      expect(errorAnnotations(submitted)).toEqual([])
      const waited = await runAction({
        env: runEnv,
        inputs: inputs({ command: 'status', wait: 'true', 'timeout-minutes': '600' })
      })
      expect(errorAnnotations(waited)).toEqual([])
      expect(waited.outputs['release-status']).toBe('ready-to-go-live')
      const beats = waited.stdout
        .split('\n')
        .filter(l => /^Still waiting for the submission to finish: /.test(l))
      expect(beats.length).toBeGreaterThanOrEqual(3)
      expect(beats.some(l => /: InProgress\/\w+, step Certification( \(\w+\))?; waited /.test(l))).toBe(true)
      // "waited 1 h 5 min" / "waited 12 min 30 s": consecutive lines at most 5 minutes apart.
      const seconds = beats.map(l => {
        const m = /waited (?:(\d+) h )?(?:(\d+) min)?(?: ?(\d+) s)?/.exec(l)!
        return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)
      })
      // The bound is exact on a fake clock (wait.test.ts); here 60 s allow for the rounding of "1 h 5 min"
      // and 60 s for timer lateness × 600 (100 ms real) on a loaded machine.
      expect(seconds[0]).toBeLessThanOrEqual(300 + 60)
      seconds.slice(1).forEach((s, i) => expect(s - seconds[i]!).toBeLessThanOrEqual(300 + 60 + 60))
    } finally {
      await fast.close()
    }
  }, 120_000)
})

describe('reports that tell the truth', () => {
  it('a cancelled run (SIGTERM) writes a summary saying where the release stood', async () => {
    const slow = await startTestEmulator({ timeScale: SCALE, timings: { certification: 3 * HOUR } })
    try {
      const cancelled = await runAction({
        env,
        inputs: emulatorInputs(slow, {
          command: 'publish',
          'offer-id': 'contoso-app',
          'package-path': EXAMPLE_PACKAGE,
          'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
          version: '1.1.0'
        }),
        // Sent once the wait has read the submission's workflow step (its first poll), however long a
        // busy machine takes to get there.
        signalWhen: {
          signal: 'SIGTERM',
          when: () => slow.requests().some(r => r.method === 'GET' && /\/workflowdetails$/.test(r.path))
        },
        timeoutMs: 30_000
      })
      expect(cancelled.code).toBe(130)
      expect(cancelled.summary).toContain('contoso-app: publish cancelled')
      expect(cancelled.summary).toMatch(
        /cancelled \(SIGTERM\) while waiting for the preview to be ready \(submission \d+ of product [0-9a-f-]+\): InProgress\/\w+, step [A-Z][^,]+, for \d+ (min|s)/
      )
      expect(cancelled.summary).toContain('command: status')
    } finally {
      await slow.close()
    }
  }, 60_000)

  it('the dry run of a Product Ingestion publish prints its plan and the requests it would send', async () => {
    const run = await runAction({
      env,
      inputs: emulatorInputs(emulator, {
        command: 'publish',
        'offer-id': 'contoso-saas',
        target: 'live',
        'dry-run': 'true'
      })
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.stdout).toContain('Dry run: nothing was sent. Would:')
    expect(run.stdout).toMatch(
      /- Send a configure job whose one resource is a submission of the current draft to preview/
    )
    expect(run.stdout).toMatch(/- Send a configure job that takes .* live/)
    expect(run.summary).toContain('What a real run would do')
    expect(run.summary).toContain('"targetType": "live"')
    expect(writes(emulator)).toEqual([])
  })

  it('the technical configuration applied is shown in the log and the summary of a dry run', async () => {
    const run = await publishApp({ version: '1.1.0', 'dry-run': 'true' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.stdout).toContain('Technical configuration from')
    expect(run.summary).toContain('Technical configuration (merged into each managed-application plan)')
    expect(run.summary).toContain('8e3af657-a8ff-443c-a75c-2fe8c4bcb635')
  })

  it('after on-conflict: cancel, a notice says which submission was cancelled', async () => {
    const first = await publishApp({ version: '1.1.0', wait: 'false' })
    const firstId = first.outputs['submission-id']
    const second = await publishApp({ version: '1.2.0', wait: 'false', 'on-conflict': 'cancel' })
    expect(errorAnnotations(second)).toEqual([])
    expect(notices(second.stdout).join('\n')).toMatch(
      new RegExp(`on-conflict: cancel - cancelled submission ${firstId} \\(it was InProgress/\\w+\\)`)
    )
  }, 60_000)

  it('an unknown job-id says what to give instead', async () => {
    const run = await runAction({
      env,
      inputs: emulatorInputs(emulator, {
        command: 'status',
        'job-id': '0b7a6f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b'
      })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain(
      "Input 'job-id': configure job 0b7a6f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b was not found"
    )
    expect(error).toContain('the `job-id` output of the `configure` or `publish` run')
  })

  it('a failure heading names the offer', async () => {
    const run = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'go-live', 'offer-id': 'contoso-saas' })
    })
    expect(run.code).toBe(1)
    expect(run.summary).toContain('contoso-saas: go-live failed')
  })
})
