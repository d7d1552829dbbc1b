import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTOSO_APP, DEMO_CREDENTIALS, FAILING_VALIDATION_APP } from '../../emulator/seed/default.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  startTestEmulator,
  useEmulator,
  writes
} from '../helpers/emulator.js'
import {
  errorAnnotations,
  everythingWritten,
  RUNTIMES,
  runAction,
  type ActionRun,
  type NodeRuntime
} from '../helpers/run-action.js'

const PACKAGE = EXAMPLE_PACKAGE
const TECHNICAL_CONFIGURATION = EXAMPLE_TECHNICAL_CONFIGURATION
const SCALE = 50
const env = rehearsalEnv(SCALE)

const emulator = useEmulator({ timeScale: SCALE })

function publish(extra: Record<string, string>, runtime?: NodeRuntime): Promise<ActionRun> {
  return runAction({
    env,
    runtime,
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': PACKAGE,
      version: '1.1.0',
      'technical-configuration': TECHNICAL_CONFIGURATION,
      ...extra
    })
  })
}

const count = (pattern: RegExp, method = 'POST') =>
  emulator.requests().filter(r => r.method === method && pattern.test(r.path)).length
const packagePosts = () => count(/\/packages$/)
const submissionPosts = () => count(/\/submissions$/)

const folders: string[] = []
afterAll(() => folders.forEach(dir => rmSync(dir, { recursive: true, force: true })))

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-'))
  folders.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe('publish an Azure Application through the bundle', () => {
  it('uploads, updates every plan and reaches preview', async () => {
    const run = await publish({ target: 'preview' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'product-id': CONTOSO_APP.productId,
      version: '1.1.0',
      'submission-state': 'Published',
      'submission-substate': 'ReadyToPublish'
    })
    expect(run.outputs['package-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(run.outputs['submission-id']).toMatch(/^\d+$/)
    const plans = JSON.parse(run.outputs.plans) as Array<{
      planId: string
      version: string
      previousVersion: string
    }>
    expect(plans.map(p => [p.planId, p.previousVersion, p.version]).sort()).toEqual([
      ['managed', '1.0.0', '1.1.0'],
      ['standard', '1.0.0', '1.1.0']
    ])
    expect(packagePosts()).toBe(1)
    expect(submissionPosts()).toBe(1)
    // The emulator's default: the live submission names the draft instance, so the draft's version stands in.
    expect(run.summary).toContain('| standard | solution-template | 1.0.0 (draft) | 1.1.0 |')
    expect(run.summary).toContain('### Workflow')
    expect(run.summary).toMatch(/\| Automated validation \| Success \|/)
    // show now reads the new versions back from Partner Center
    const show = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'show', 'offer-id': 'contoso-app' })
    })
    expect((JSON.parse(show.outputs.plans) as Array<{ version: string }>).map(p => p.version)).toEqual([
      '1.1.0',
      '1.1.0'
    ])
    expect(show.outputs['submission-substate']).toBe('ReadyToPublish')
    expect(everythingWritten(run)).not.toContain(DEMO_CREDENTIALS.clientSecret)
    expect(everythingWritten(run)).not.toMatch(/sig=[A-Za-z0-9%]{10,}/)
  })

  it('goes live with target live', async () => {
    const run = await publish({ target: 'live', 'plan-id': 'standard', 'technical-configuration': '' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.outputs).toMatchObject({ 'submission-state': 'Published', 'submission-substate': 'InStore' })
    expect(count(/\/promote$/)).toBe(1)
  })

  it('changes only the draft with target draft', async () => {
    const run = await publish({ target: 'draft', 'plan-id': 'managed' })
    expect(run.code).toBe(0)
    expect(run.outputs['submission-id']).toBeUndefined()
    expect(submissionPosts()).toBe(0)
    expect(count(/packageconfigurations\//i, 'PUT')).toBe(1)
  })

  it('dry-run checks everything and writes nothing', async () => {
    const run = await publish({ 'dry-run': 'true', target: 'live' })
    expect(run.code).toBe(0)
    expect(writes(emulator)).toEqual([])
    expect(run.summary).toContain('Dry run')
    expect(run.summary).toContain("Set plan 'standard' (solution-template) from 1.0.0 (draft) to 1.1.0")
  })

  it('refuses a version that is not higher, before any write', async () => {
    const run = await publish({ version: '1.0.0' })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toContain(
      "Input 'version': 1.0.0 is not higher than the current version of every plan ('standard' is at 1.0.0"
    )
    expect(writes(emulator)).toEqual([])
  })

  it('refuses a package without createUiDefinition.json, before any write', async () => {
    const run = await publish({
      'package-path': folder({ 'mainTemplate.json': '{"$schema":"x","resources":[]}' })
    })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toMatch(/Input 'package-path'.*createUiDefinition\.json/)
    expect(writes(emulator)).toEqual([])
  })

  it('refuses an unknown plan, listing the plans', async () => {
    const run = await publish({ 'plan-id': 'premium' })
    expect(errorAnnotations(run)[0]).toContain(
      "'premium' is not a plan of this offer. Its plans: standard, managed."
    )
    expect(writes(emulator)).toEqual([])
  })

  it('shows the validation items when Partner Center cannot process the package', async () => {
    const pkg = folder({
      'mainTemplate.json': JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        resources: []
      }),
      'createUiDefinition.json': '{}'
    })
    const run = await publish({ 'package-path': pkg })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('could not process the package')
    expect(error).toContain('MissingPartnerUsageAttribution')
    expect(error).toContain('pid-<GUID>-partnercenter')
    expect(submissionPosts()).toBe(0)
  })

  it('stops on a submission in progress (on-conflict: fail) before writing, and cancels it with on-conflict: cancel', async () => {
    // Real-time timings here: the first submission must still be in progress when the next run starts.
    const slow = await startTestEmulator({ timeScale: 1 })
    try {
      const run = (extra: Record<string, string>) =>
        runAction({
          env,
          inputs: emulatorInputs(slow, {
            command: 'publish',
            'offer-id': 'contoso-app',
            'package-path': PACKAGE,
            'technical-configuration': TECHNICAL_CONFIGURATION,
            ...extra
          })
        })
      const first = await run({ version: '1.1.0', wait: 'false' })
      expect(first.outputs['submission-state']).toBe('InProgress')
      const writesBefore = writes(slow).length

      const blocked = await run({ version: '1.2.0' })
      expect(blocked.code).toBe(1)
      expect(errorAnnotations(blocked)[0]).toContain(
        `Submission ${first.outputs['submission-id']} of this offer is already in progress`
      )
      expect(writes(slow).length).toBe(writesBefore)

      const replaced = await run({ version: '1.2.0', 'on-conflict': 'cancel', wait: 'false' })
      expect(errorAnnotations(replaced)).toEqual([])
      expect(replaced.outputs['submission-state']).toBe('InProgress')
      expect(replaced.outputs['submission-id']).not.toBe(first.outputs['submission-id'])
      expect(
        slow
          .requests()
          .filter(
            r => r.method === 'DELETE' && r.path.includes(`/submissions/${first.outputs['submission-id']}`)
          )
      ).toHaveLength(1)
    } finally {
      await slow.close()
    }
  })

  it('finds the package and the submission created when their responses were lost, creating neither twice', async () => {
    emulator.setFaults('lost-create')
    const run = await publish({})
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(packagePosts()).toBe(1)
    expect(submissionPosts()).toBe(1)
    expect(run.stdout).toContain('had been created; going on with it')
  })

  it('re-reads the technical configuration on a 412 and succeeds', async () => {
    emulator.setFaults('etag-conflict')
    const run = await publish({ target: 'draft' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.stdout).toContain('changed meanwhile (412)')
  })

  it('explains a submission that fails validation', async () => {
    const run = await runAction({
      env,
      inputs: emulatorInputs(emulator, {
        command: 'publish',
        'offer-id': FAILING_VALIDATION_APP.offerId,
        'package-path': PACKAGE,
        version: '9.9.9'
      })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toMatch(/Submission \d+ failed \(InProgress\/Failed\)/)
    expect(error).toContain('Validation:')
  })
})

// The whole release is the main flow: it runs once more under the compatibility runtime.
describe.each(RUNTIMES)('the whole release on %s', runtime => {
  it('publishes a folder package straight to live', async () => {
    const run = await publish({ target: 'live' }, runtime)
    expect(errorAnnotations(run)).toEqual([])
    expect(run.outputs).toMatchObject({
      version: '1.1.0',
      'submission-state': 'Published',
      'submission-substate': 'InStore'
    })
  })
})

describe('go-live, status and cancel through the bundle', () => {
  it('goes live with the preview-ready submission, then status shows it live', async () => {
    const preview = await publish({})
    expect(preview.outputs['submission-substate']).toBe('ReadyToPublish')
    const live = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'go-live', 'offer-id': 'contoso-app' })
    })
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs).toMatchObject({
      'submission-id': preview.outputs['submission-id'],
      'submission-substate': 'InStore'
    })
    const status = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'status', 'offer-id': 'contoso-app' })
    })
    expect(status.outputs['submission-substate']).toBe('InStore')
    expect(status.summary).toContain('### Workflow')
  })

  it('cancels the submission in progress', async () => {
    // Real-time timings: the submission must still be in progress when cancel runs.
    const slow = await startTestEmulator({ timeScale: 1 })
    try {
      const inputs = (extra: Record<string, string>) =>
        emulatorInputs(slow, { 'offer-id': 'contoso-app', ...extra })
      const started = await runAction({
        env,
        inputs: inputs({
          command: 'publish',
          'package-path': PACKAGE,
          version: '1.1.0',
          'technical-configuration': TECHNICAL_CONFIGURATION,
          wait: 'false'
        })
      })
      expect(started.outputs['submission-state']).toBe('InProgress')
      const cancel = await runAction({ env, inputs: inputs({ command: 'cancel' }) })
      expect(errorAnnotations(cancel)).toEqual([])
      expect(cancel.outputs['submission-id']).toBe(started.outputs['submission-id'])
      const status = await runAction({
        env,
        inputs: inputs({ command: 'status', 'submission-id': started.outputs['submission-id'] })
      })
      expect(status.outputs['submission-state']).toBe('Cancelled')
    } finally {
      await slow.close()
    }
  }, 60_000)

  it('status waits for a submission to finish', async () => {
    const started = await publish({ wait: 'false' })
    const status = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'status', 'offer-id': 'contoso-app', wait: 'true' })
    })
    expect(status.outputs).toMatchObject({
      'submission-id': started.outputs['submission-id'],
      'submission-substate': 'ReadyToPublish'
    })
  })
})

describe('other v1 offer types through the bundle', () => {
  it('publishes a consulting-service offer by submitting its draft, to live', async () => {
    const { defaultSeed } = await import('../../emulator/seed/default.js')
    const seed = defaultSeed()
    seed.offers = [
      ...(seed.offers ?? []),
      {
        resourceType: 'AzureConsultingService',
        offerId: 'contoso-consulting',
        name: 'Contoso Consulting',
        plans: []
      }
    ]
    const consulting = await startTestEmulator({ timeScale: SCALE, seed })
    try {
      const inputs = (extra: Record<string, string>) =>
        emulatorInputs(consulting, { command: 'publish', 'offer-id': 'contoso-consulting', ...extra })
      const refused = await runAction({ env, inputs: inputs({ 'package-path': PACKAGE }) })
      expect(errorAnnotations(refused)[0]).toContain(
        "Input 'package-path': does not apply to Consulting service offer 'contoso-consulting' (AzureConsultingService)"
      )
      expect(writes(consulting)).toEqual([])

      const run = await runAction({ env, inputs: inputs({ target: 'live' }) })
      expect(errorAnnotations(run)).toEqual([])
      expect(run.outputs).toMatchObject({
        'offer-type': 'AzureConsultingService',
        'submission-state': 'Published',
        'submission-substate': 'InStore'
      })
      expect(consulting.requests().filter(r => r.method === 'POST' && /\/packages$/.test(r.path))).toEqual([])
    } finally {
      await consulting.close()
    }
  })
})
