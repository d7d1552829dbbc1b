// v1 writes a user relies on, through the bundle and counted in the emulator's request log: a create
// whose answers never arrive is sent exactly as often as its budget allows (3 in all), and a plan's
// technical configuration edited in Partner Center while a release runs is read again and updated on top
// of that edit, never overwritten (the PUT carries the ETag that was read: docs/partner-center-api.md
// §1.12; the service accepts `If-Match: *` as well, so only the ETag protects the edit).
import { afterEach, describe, expect, it } from '@jest/globals'
import type { EmulatorState, Entity } from '../../emulator/state.js'
import { newEtag } from '../../emulator/ids.js'
import { CONTOSO_APP } from '../../emulator/seed/default.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  useEmulator
} from '../helpers/emulator.js'
import { errorAnnotations, runAction, type ActionRun } from '../helpers/run-action.js'

const SCALE = 50
/** The emulator's state after each reset, for the edit "someone else" makes in Partner Center. */
let state: EmulatorState | undefined
const emulator = useEmulator({
  timeScale: SCALE,
  extensions: [(_router, deps) => void (state = deps.state)]
})

function publish(): Promise<ActionRun> {
  return runAction({
    env: rehearsalEnv(SCALE),
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': EXAMPLE_PACKAGE,
      version: '1.1.0',
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      target: 'preview'
    })
  })
}

const requests = (method: string, pattern: RegExp) =>
  emulator.requests().filter(r => r.method === method && pattern.test(r.path))

describe('a create without an answer is sent at most three times', () => {
  // Fault rules outlive the emulator's reset.
  afterEach(() => emulator.setFaults([]))

  it.each([
    ['package', '/packages$'],
    ['submission', '/submissions$']
  ])('%s: three POSTs, then the release fails saying so, and nothing was created', async (_what, path) => {
    emulator.setFaults([{ method: 'POST', path, action: 'status', status: 503, times: 0 }])
    const run = await publish()
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toContain('HTTP 503')
    const posts = requests('POST', new RegExp(path))
    expect(posts.map(r => r.status)).toEqual([503, 503, 503])
    // Waits that grow: 2 s, then 4 s.
    expect(run.stdout.match(/was not created; sending the request again in \d+ s/g)).toEqual([
      expect.stringContaining('again in 2 s'),
      expect.stringContaining('again in 4 s')
    ])
  })
})

describe('a technical configuration edited in Partner Center during the release', () => {
  it('is read again after the 412 and updated on top of the edit', async () => {
    const product = () => state!.getProduct(CONTOSO_APP.productId)!
    const managedConfig = (): Entity =>
      [...product().entities.values()].find(
        e =>
          e.kind === 'packageConfiguration' &&
          e.body.resourceType === 'AzureManagedApplicationPackageConfiguration'
      )!
    // The edit lands once the action has read every configuration and created its package, before it
    // writes the configurations: what a user changing the plan in Partner Center meanwhile does.
    const edit = {
      canEnableCustomerActions: true,
      allowedCustomerActions: ['Microsoft.Compute/virtualMachines/restart/action']
    }
    let edited = false
    const watcher = setInterval(() => {
      if (edited || requests('POST', /\/packages$/).length === 0) return
      const config = managedConfig()
      Object.assign(config.body, edit)
      config.etag = newEtag()
      edited = true
    }, 2)
    let run: ActionRun
    try {
      run = await publish()
    } finally {
      clearInterval(watcher)
    }
    expect(edited).toBe(true)
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    const config = managedConfig()
    // The plan carries the release and the edit.
    expect(config.body).toMatchObject({ version: '1.1.0', ...edit })
    expect(config.body.packageReferences).toEqual([
      { type: 'AzureApplicationPackage', value: run.outputs['package-id'] }
    ])
    // The stale write was refused, the configuration read again, and written once more.
    const writes = requests('PUT', new RegExp(`/packageconfigurations/${config.id}$`, 'i'))
    expect(writes.map(r => r.status)).toEqual([412, 200])
    const reads = requests(
      'GET',
      new RegExp(`/packageConfigurations/getByInstanceID\\(instanceID=${config.instanceId}\\)`, 'i')
    )
    expect(reads.length).toBe(2)
    expect(reads[1]!.seq).toBeGreaterThan(writes[0]!.seq)
    expect(run.stdout).toContain('the technical configuration changed meanwhile (412); reading it again')
  })
})
