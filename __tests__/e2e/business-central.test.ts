import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CONTOSO_BC,
  CONTOSO_BC_CONNECT,
  DEMO_CREDENTIALS,
  FAILING_CERTIFICATION_BC,
  FAILING_VALIDATION_BC
} from '../../emulator/seed/default.js'
import { alGoFileName, writeApp, zipBuffer, type AppFacts } from '../helpers/business-central-app.js'
import { emulatorInputs, rehearsalEnv, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, type ActionRun } from '../helpers/run-action.js'

const SCALE = 50
const emulator = useEmulator({ timeScale: SCALE })

const MAIN: AppFacts = { ...CONTOSO_BC.mainApp, version: '1.2.0.0' }
const LIBRARIES: AppFacts[] = [
  { ...CONTOSO_BC.libraryApp, version: '1.2.0.0' },
  {
    id: '5b3c1e74-ad9f-4a82-83e6-7f8091a2bc3d',
    name: 'Pricing Library',
    publisher: 'Contoso',
    version: '1.0.0.0'
  }
]

let dir: string
beforeAll(async () => {
  // An AL-Go build artifact: the main app and its libraries side by side.
  dir = mkdtempSync(join(tmpdir(), 'bc-apps-'))
  await writeApp(join(dir, alGoFileName(MAIN)), MAIN)
  for (const library of LIBRARIES) await writeApp(join(dir, alGoFileName(library)), library)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function publish(extra: Record<string, string>, credentials?: Record<string, string>): Promise<ActionRun> {
  const inputs = emulatorInputs(emulator, {
    command: 'publish',
    'offer-id': CONTOSO_BC.offerId,
    'package-path': join(dir, 'Contoso_Sales Tools_*.app'),
    'library-path': join(dir, '*.app'),
    ...extra
  })
  if (credentials) {
    delete inputs['tenant-id']
    delete inputs['client-id']
    delete inputs['client-secret']
    Object.assign(inputs, credentials)
  }
  return runAction({ env: { ...rehearsalEnv(SCALE), GITHUB_WORKSPACE: dir }, inputs })
}

const count = (method: string, pattern: RegExp) =>
  emulator.requests().filter(r => r.method === method && pattern.test(r.path)).length

async function v1<T = any>(path: string): Promise<T> {
  const token = await fetch(`${emulator.authorityHost}/${DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_CREDENTIALS.clientId,
      client_secret: DEMO_CREDENTIALS.clientSecret,
      scope: 'https://api.partner.microsoft.com/.default'
    })
  }).then(async r => ((await r.json()) as { access_token: string }).access_token)
  const response = await fetch(`${emulator.ingestionApiUrl}/${path}`, {
    headers: { authorization: `Bearer ${token}` }
  })
  return (await response.json()) as T
}

describe('publish a Business Central app', () => {
  it('takes the main app and two library apps to preview, signed in with an AppSourceContext', async () => {
    const context = JSON.stringify({
      clientID: DEMO_CREDENTIALS.clientId,
      tenantID: DEMO_CREDENTIALS.tenantId,
      clientSecret: DEMO_CREDENTIALS.clientSecret,
      scopes: 'https://api.partner.microsoft.com/.default'
    })
    const run = await publish({}, { 'appsource-context': context })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'offer-id': CONTOSO_BC.offerId,
      'offer-type': 'AzureDynamics365BusinessCentral',
      version: '1.2.0.0',
      'submission-state': 'Published',
      'submission-substate': 'ReadyToPublish'
    })
    // What the apps are, in the log and the summary.
    expect(run.stdout).toMatch(
      /Main app .*Contoso_Sales Tools_1\.2\.0\.0\.app: 'Sales Tools' by Contoso, version 1\.2\.0\.0, id 3f1a9c52/
    )
    expect(run.stdout).toContain(
      'The 2 library apps are uploaded as one Contoso_Sales Tools_1.2.0.0.libraries.zip.'
    )
    expect(run.summary).toMatch(/Main app \| Sales Tools \| Contoso \| 1\.2\.0\.0/)
    expect(run.summary).toMatch(/Library app \| Pricing Library \| Contoso \| 1\.0\.0\.0/)
    expect(run.summary).toMatch(/Preview \| Publisher Signoff \| InProgress/)
    // Two packages (main, libraries zip), one Put Blob each, one configuration PUT, one appVersion PUT, one submission.
    expect(count('POST', /\/packages$/)).toBe(2)
    expect(count('PUT', /^\/blob\//)).toBe(2)
    expect(count('PUT', /\/packageconfigurations\//i)).toBe(1)
    expect(count('PUT', /\/properties\//)).toBe(1)
    expect(count('POST', /\/submissions$/)).toBe(1)
    // Partner Center now holds the new apps: main first, then the libraries package.
    const branch = (await v1(`products/${CONTOSO_BC.productId}/branches/getByModule(module=Package)`))
      .value[0]
    const config = (
      await v1(
        `products/${CONTOSO_BC.productId}/packageConfigurations/getByInstanceID(instanceID=${branch.currentDraftInstanceID})`
      )
    ).value[0]
    expect(config.packageReferences.map((r: { type: string }) => r.type)).toEqual([
      'Dynamics365BusinessCentralAddOnExtensionPackage',
      'Dynamics365BusinessCentralAddOnLibraryExtensionPackage'
    ])
    expect(config.packageReferences[0].value).toBe(run.outputs['package-id'])
    const packages = (await v1(`products/${CONTOSO_BC.productId}/packages`)).value
    expect(packages.map((p: { fileName: string }) => p.fileName)).toEqual(
      expect.arrayContaining(['Contoso_Sales Tools_1.2.0.0.app', 'Contoso_Sales Tools_1.2.0.0.libraries.zip'])
    )
    expect(everythingWritten(run)).not.toContain(DEMO_CREDENTIALS.clientSecret)
  })

  it('goes live: certification and publish after the sign-off, appVersion live', async () => {
    const run = await publish({ target: 'live', 'library-path': '' })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.outputs['submission-substate']).toBe('InStore')
    expect(run.summary).toMatch(/Live \| Certification \| Success/)
    expect(run.summary).toMatch(/Live \| Publish \| Success/)
    // Without library-path, the library package the offer references stays.
    expect(run.stdout).toContain('(library package unchanged)')
    expect(count('POST', /\/packages$/)).toBe(1)
  })

  it('go-live and status work on a Business Central submission like any v1 one', async () => {
    const preview = await publish({ 'library-path': '' })
    expect(preview.outputs['submission-substate']).toBe('ReadyToPublish')
    const lifecycle = (command: string) =>
      runAction({
        env: rehearsalEnv(SCALE),
        inputs: emulatorInputs(emulator, { command, 'offer-id': CONTOSO_BC.offerId })
      })
    const live = await lifecycle('go-live')
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs).toMatchObject({
      'submission-id': preview.outputs['submission-id'],
      'submission-substate': 'InStore'
    })
    const status = await lifecycle('status')
    expect(status.summary).toMatch(/Live \| Certification \| Success/)
  })

  it('without package-path submits the draft as it is: a Connect app goes to preview', async () => {
    const run = await runAction({
      env: rehearsalEnv(SCALE),
      inputs: emulatorInputs(emulator, { command: 'publish', 'offer-id': CONTOSO_BC_CONNECT.offerId })
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.outputs['submission-substate']).toBe('ReadyToPublish')
    expect(count('POST', /\/packages$/)).toBe(0)
  })

  it('dry run: reads the apps, says what it would do, writes nothing', async () => {
    const run = await publish({ 'dry-run': 'true', target: 'live' })
    expect(run.code).toBe(0)
    expect(writes(emulator)).toEqual([])
    expect(run.summary).toContain('Dry run: everything was checked; nothing was changed.')
    expect(run.summary).toMatch(/Library app \| Sales Tools Library \| Contoso \| 1\.2\.0\.0/)
    expect(run.summary).toContain("Set the offer's app version from 1.0.0.0 to 1.2.0.0.")
    expect(run.outputs.version).toBe('1.2.0.0')
  })

  it('refuses a library that is not an app, before any write, naming library-path', async () => {
    const notApp = join(dir, 'sub-notes')
    rmSync(notApp, { recursive: true, force: true })
    mkdirSync(notApp)
    writeFileSync(
      join(notApp, 'Contoso_Notes_1.0.0.0.app'),
      await zipBuffer({ 'notes.txt': 'a zip renamed to .app' })
    )
    const run = await publish({ 'library-path': join(notApp, '*.app') })
    expect(run.code).toBe(1)
    expect(errorAnnotations(run).join('\n')).toMatch(
      /Input 'library-path': '.*Contoso_Notes_1\.0\.0\.0\.app' is a plain zip, not a Business Central app/
    )
    expect(writes(emulator)).toEqual([])
  })

  it('refuses a main app lower than the offer’s app version, and a version input that is not the app’s', async () => {
    const old = mkdtempSync(join(tmpdir(), 'bc-old-'))
    try {
      const app = await writeApp(join(old, 'old.app'), { ...CONTOSO_BC.mainApp, version: '0.9.0.0' })
      const lower = await publish({ 'package-path': app, 'library-path': '' })
      expect(errorAnnotations(lower).join('\n')).toMatch(
        /Input 'package-path': the main app is version 0\.9\.0\.0, lower than the offer's app version 1\.0\.0\.0/
      )
      const mismatch = await publish({ version: '1.2.0.1' })
      expect(errorAnnotations(mismatch).join('\n')).toMatch(
        /Input 'version': is 1\.2\.0\.1, but the main app in `package-path` .* is version 1\.2\.0\.0/
      )
      expect(writes(emulator)).toEqual([])
    } finally {
      rmSync(old, { recursive: true, force: true })
    }
  })

  it('refuses a package for a Connect app, and a glob that matches more than the main app', async () => {
    const connect = await publish({ 'offer-id': CONTOSO_BC_CONNECT.offerId })
    expect(errorAnnotations(connect).join('\n')).toMatch(/is a Connect app \(packageType Connect\)/)
    const plans = await publish({ 'plan-id': 'standard' })
    expect(errorAnnotations(plans).join('\n')).toMatch(
      /Input 'plan-id': does not apply to Dynamics 365 Business Central offer/
    )
    const wide = await publish({ 'package-path': join(dir, '*.app') })
    expect(errorAnnotations(wide).join('\n')).toMatch(/Input 'package-path': '.*\*\.app' matches 3 files/)
    expect(writes(emulator)).toEqual([])
  })

  it('fails the step with every validation message and the failing step; the summary shows the workflow', async () => {
    const run = await publish({ 'offer-id': FAILING_VALIDATION_BC.offerId })
    expect(run.code).toBe(1)
    const error = errorAnnotations(run).join('\n')
    expect(error).toMatch(/Failed step: Automated validation \(Failed\)/)
    expect(error).toContain('AS0011')
    expect(error).toContain('AS0084')
    expect(run.summary).toMatch(/Preview \| Automated validation \| Failed/)
    expect(run.summary).toMatch(/Main app \| Sales Tools/)
    expect(run.outputs['submission-id']).toMatch(/^\d+$/)
  })

  it('fails going live when certification fails, naming Certification', async () => {
    const run = await publish({ 'offer-id': FAILING_CERTIFICATION_BC.offerId, target: 'live' })
    expect(run.code).toBe(1)
    const error = errorAnnotations(run).join('\n')
    expect(error).toMatch(/Failed step: Certification \(Failed\)/)
    expect(error).toMatch(/could not be installed on Business Central 24\.0/)
    expect(run.summary).toMatch(/Live \| Certification \| Failed/)
  })
})
