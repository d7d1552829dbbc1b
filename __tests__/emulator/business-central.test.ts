import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  CONTOSO_BC,
  CONTOSO_BC_CONNECT,
  FAILING_CERTIFICATION_BC,
  FAILING_VALIDATION_BC
} from '../../emulator/seed/default.js'
import { appBytes, zipBuffer } from '../helpers/business-central-app.js'
import { api, getToken, putBlob, start, until } from './helpers.js'

const MAIN = 'Dynamics365BusinessCentralAddOnExtensionPackage'
const LIBRARY = 'Dynamics365BusinessCentralAddOnLibraryExtensionPackage'

let emu: RunningEmulator
let call: ReturnType<typeof api>
beforeAll(async () => {
  emu = await start()
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())

const first = async (path: string) => (await call('GET', path)).body.value[0]

async function upload(productId: string, type: string, fileName: string, bytes: Buffer) {
  const created = await call('POST', `/products/${productId}/packages`, { resourceType: type, fileName })
  expect(created.status).toBe(201)
  expect((await putBlob(created.body.fileSasUri, bytes)).status).toBe(201)
  const put = await call('PUT', `/products/${productId}/packages/${created.body.id}`, {
    ...created.body,
    state: 'Uploaded'
  })
  expect(put.status).toBe(200)
  return (
    await until(
      () => call('GET', `/products/${productId}/packages/${created.body.id}`),
      r => r.body.state === 'Processed' || r.body.state === 'ProcessFailed'
    )
  ).body
}

async function drafts(productId: string) {
  const pkgBranch = await first(`/products/${productId}/branches/getByModule(module=Package)`)
  const propBranch = await first(`/products/${productId}/branches/getByModule(module=Property)`)
  return {
    pkgBranch,
    propBranch,
    config: await first(
      `/products/${productId}/packageConfigurations/getByInstanceID(instanceID=${pkgBranch.currentDraftInstanceID})`
    ),
    property: await first(
      `/products/${productId}/properties/getByInstanceID(instanceID=${propBranch.currentDraftInstanceID})`
    )
  }
}

describe('Business Central offers', () => {
  it('seeds a live offer: setup AddOn, appVersion, main and library packages referenced', async () => {
    const P = CONTOSO_BC.productId
    expect((await call('GET', `/products/${P}/setup`)).body.packageType).toBe('AddOn')
    expect((await call('GET', `/products/${CONTOSO_BC_CONNECT.productId}/setup`)).body.packageType).toBe(
      'Connect'
    )
    const { config, property, pkgBranch } = await drafts(P)
    expect(pkgBranch.variantID).toBeUndefined()
    expect(property.appVersion).toBe('1.0.0.0')
    expect(config.packageReferences.map((r: { type: string }) => r.type)).toEqual([MAIN, LIBRARY])
    const packages = (await call('GET', `/products/${P}/packages`)).body.value
    expect(packages.map((p: { state: string }) => p.state)).toEqual(['Processed', 'Processed'])
    const live = (await call('GET', `/products/${P}/submissions`)).body.value
    expect(live.map((s: { id: string; substate: string }) => [s.id, s.substate])).toEqual([
      [CONTOSO_BC.liveSubmissionId, 'InStore']
    ])
  })

  it('processes an .app, and fails a file that is not an app with the reason', async () => {
    const P = FAILING_VALIDATION_BC.productId
    const good = await upload(
      P,
      MAIN,
      'Contoso_Sales Tools_1.1.0.0.app',
      await appBytes({ ...CONTOSO_BC.mainApp, version: '1.1.0.0' })
    )
    expect(good.state).toBe('Processed')
    const bad = await upload(
      P,
      MAIN,
      'notes.app',
      Buffer.from('PK\u0003\u0004 not really an app at all, just text')
    )
    expect(bad.state).toBe('ProcessFailed')
    expect(bad.validationItems[0]).toMatchObject({ errorCode: 'InvalidAppPackage', severity: 'Error' })
    expect(bad.validationItems[0].message).toMatch(
      /'notes\.app' is not a valid Business Central extension package: the NAVX header is missing/
    )
  })

  it('takes several library apps as one .zip, and fails a zip holding something else', async () => {
    const P = FAILING_VALIDATION_BC.productId
    const lib = (name: string) => appBytes({ name, publisher: 'Contoso', version: '1.0.0.0' })
    const zip = await zipBuffer({ 'a.app': await lib('A'), 'b.app': await lib('B') })
    expect((await upload(P, LIBRARY, 'main.libraries.zip', zip)).state).toBe('Processed')
    const mixed = await zipBuffer({ 'a.app': await lib('A'), 'readme.txt': 'hi' })
    const failed = await upload(P, LIBRARY, 'mixed.libraries.zip', mixed)
    expect(failed.state).toBe('ProcessFailed')
    expect(failed.validationItems[0].message).toMatch(
      /'readme\.txt' in 'mixed\.libraries\.zip' is not an \.app file/
    )
  })

  it('refuses packages of the wrong type, a .zip main app, and any package on a Connect offer', async () => {
    const P = CONTOSO_BC.productId
    const post = (productId: string, resourceType: string, fileName: string) =>
      call('POST', `/products/${productId}/packages`, { resourceType, fileName })
    expect((await post(P, 'AzureApplicationPackage', 'a.zip')).text).toMatch(/ResourceType is invalid/)
    expect((await post(P, MAIN, 'a.zip')).text).toMatch(/an \.app file name is required/)
    const connect = await post(CONTOSO_BC_CONNECT.productId, MAIN, 'a.app')
    expect(connect.status).toBe(400)
    expect(connect.text).toMatch(/is a Connect app: it has no package/)
  })

  it('checks the package configuration (one main, Processed, right types) and the appVersion', async () => {
    const P = FAILING_CERTIFICATION_BC.productId
    const { config, property } = await drafts(P)
    const put = (body: unknown, etag: string) =>
      call('PUT', `/products/${P}/packageConfigurations/${config.id}`, body, { 'if-match': etag })
    const noMain = await put({ ...config, packageReferences: [] }, config['@odata.etag'])
    expect(noMain.status).toBe(400)
    expect(noMain.text).toMatch(/Exactly one Dynamics365BusinessCentralAddOnExtensionPackage is required/)
    const lower = await call(
      'PUT',
      `/products/${P}/properties/${property.id}`,
      { ...property, appVersion: '0.9.0.0' },
      { 'if-match': property['@odata.etag'] }
    )
    expect(lower.status).toBe(400)
    expect(lower.text).toMatch(/0\.9\.0\.0 is lower than the published version 1\.0\.0\.0/)
    const threePart = await call(
      'PUT',
      `/products/${P}/properties/${property.id}`,
      { ...property, appVersion: '1.2.3' },
      { 'if-match': property['@odata.etag'] }
    )
    expect(threePart.text).toMatch(/use four numbers/)
  })

  it('runs the AppSource workflow: preview, sign-off by promote, certification, publish; appVersion goes live', async () => {
    const P = CONTOSO_BC.productId
    const app = { ...CONTOSO_BC.mainApp, version: '1.2.0.0' }
    const pkg = await upload(P, MAIN, 'Contoso_Sales Tools_1.2.0.0.app', await appBytes(app))
    const { config, property, pkgBranch, propBranch } = await drafts(P)
    const refs = [
      { type: MAIN, value: pkg.id },
      ...config.packageReferences.filter((r: { type: string }) => r.type === LIBRARY)
    ]
    expect(
      (
        await call(
          'PUT',
          `/products/${P}/packageConfigurations/${config.id}`,
          { ...config, packageReferences: refs },
          { 'if-match': config['@odata.etag'] }
        )
      ).status
    ).toBe(200)
    expect(
      (
        await call(
          'PUT',
          `/products/${P}/properties/${property.id}`,
          { ...property, appVersion: '1.2.0.0' },
          { 'if-match': property['@odata.etag'] }
        )
      ).status
    ).toBe(200)
    const created = await call('POST', `/products/${P}/submissions`, {
      resourceType: 'SubmissionCreationRequest',
      targets: [{ type: 'Scope', value: 'preview' }],
      resources: [
        { type: 'Package', value: pkgBranch.currentDraftInstanceID },
        { type: 'Property', value: propBranch.currentDraftInstanceID }
      ]
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    await until(
      () => call('GET', `/products/${P}/submissions/${id}`),
      r => r.body.substate === 'ReadyToPublish'
    )
    const workflow = (await call('GET', `/products/${P}/submissions/${id}/workflowdetails`)).body.value
    expect(workflow.map((w: { targetEnvironment: string }) => w.targetEnvironment)).toEqual([
      'Preview',
      'Live'
    ])
    expect(workflow.flatMap((w: any) => w.workflowSteps.map((s: any) => `${s.name}:${s.state}`))).toEqual([
      'Automated validation:Success',
      'Preview Creation:Success',
      'Publisher Signoff:InProgress',
      'Certification:NotStarted',
      'Publish:NotStarted'
    ])
    expect((await call('POST', `/products/${P}/submissions/${id}/promote`, {})).status).toBe(200)
    await until(
      () => call('GET', `/products/${P}/submissions/${id}`),
      r => r.body.substate === 'InStore'
    )
    // The new appVersion is now the live one: going back is refused.
    const again = await drafts(P)
    const back = await call(
      'PUT',
      `/products/${P}/properties/${again.property.id}`,
      { ...again.property, appVersion: '1.1.0.0' },
      { 'if-match': again.property['@odata.etag'] }
    )
    expect(back.text).toMatch(/lower than the published version 1\.2\.0\.0/)
  })

  it('fails automated validation when appVersion is not the main app’s version', async () => {
    const P = CONTOSO_BC.productId
    const { property, pkgBranch, propBranch } = await drafts(P)
    await call(
      'PUT',
      `/products/${P}/properties/${property.id}`,
      { ...property, appVersion: '1.3.0.0' },
      { 'if-match': property['@odata.etag'] }
    )
    const created = await call('POST', `/products/${P}/submissions`, {
      targets: [{ type: 'Scope', value: 'preview' }],
      resources: [
        { type: 'Package', value: pkgBranch.currentDraftInstanceID },
        { type: 'Property', value: propBranch.currentDraftInstanceID }
      ]
    })
    const id = created.body.id
    await until(
      () => call('GET', `/products/${P}/submissions/${id}`),
      r => r.body.substate === 'Failed'
    )
    const validations = (await call('GET', `/products/${P}/submissions/${id}/validations`)).body.value
    expect(validations[0]).toMatchObject({ errorCode: 'AppVersionMismatch' })
    expect(validations[0].message).toMatch(
      /\(1\.3\.0\.0\) does not match the version of the app 'Sales Tools' by Contoso \(1\.2\.0\.0\)/
    )
  })
})
