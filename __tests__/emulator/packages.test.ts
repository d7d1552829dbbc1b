import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, CONTOSO_SAAS, MANAGED_AUTHORIZATION } from '../../emulator/seed/default.js'
import { api, getToken, GOOD_PACKAGE, makeZip, putBlob, start, until } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof api>
const P = CONTOSO_APP.productId
beforeAll(async () => {
  emu = await start({ maxPutBlobBytes: 1024 * 1024 })
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())

async function newPackage(fileName = 'app.zip') {
  const r = await call('POST', `/products/${P}/packages`, {
    resourceType: 'AzureApplicationPackage',
    fileName
  })
  expect(r.status).toBe(201)
  return r
}

async function uploadAndProcess(zip: Buffer) {
  const pkg = (await newPackage()).body
  expect((await putBlob(pkg.fileSasUri, zip)).status).toBe(201)
  const put = await call('PUT', `/products/${P}/packages/${pkg.id}`, { ...pkg, state: 'Uploaded' })
  expect(put.status).toBe(200)
  return until(
    () => call('GET', `/products/${P}/packages/${pkg.id}`),
    r => r.body.state === 'Processed' || r.body.state === 'ProcessFailed'
  )
}

describe('packages', () => {
  it('POST → PendingUpload with an rwl SAS (+24 h) on the emulator blob service', async () => {
    const r = await newPackage()
    expect(r.headers.get('location')).toBe(`${emu.ingestionApiUrl}/products/${P}/packages/${r.body.id}`)
    expect(r.headers.get('etag')).toBe(r.body['@odata.etag'])
    expect(r.body).toMatchObject({
      resourceType: 'AzureApplicationPackage',
      fileName: 'app.zip',
      state: 'PendingUpload'
    })
    const u = new URL(r.body.fileSasUri)
    expect(`${u.origin}`).toBe(emu.url)
    expect(u.pathname).toMatch(/^\/blob\/file\/\d+$/)
    expect(u.searchParams.get('sv')).toBe('2018-03-28')
    expect(u.searchParams.get('sr')).toBe('b')
    expect(u.searchParams.get('sp')).toBe('rwl')
    expect(u.searchParams.get('sig')).toBeTruthy()
    const se = Date.parse(u.searchParams.get('se')!)
    expect(Math.abs(se - Date.now() - 24 * 3600e3)).toBeLessThan(60e3)
  })

  it('refuses bad bodies and non-Azure-Application products', async () => {
    expect(
      (
        await call('POST', `/products/${P}/packages`, {
          resourceType: 'AzureApplicationPackage',
          fileName: 'app.tar'
        })
      ).status
    ).toBe(400)
    expect(
      (await call('POST', `/products/${P}/packages`, { resourceType: 'Nope', fileName: 'a.zip' })).status
    ).toBe(400)
    expect(
      (
        await call('POST', `/products/${CONTOSO_SAAS.productId}/packages`, {
          resourceType: 'AzureApplicationPackage',
          fileName: 'a.zip'
        })
      ).status
    ).toBe(400)
  })

  it('PUT Uploaded before the blob exists → 400', async () => {
    const pkg = (await newPackage()).body
    const r = await call('PUT', `/products/${P}/packages/${pkg.id}`, { ...pkg, state: 'Uploaded' })
    expect(r.status).toBe(400)
    expect(r.body).toContain('FileSasUri')
  })

  it('upload → Uploaded → InProcessing → Processed; SAS becomes read-only', async () => {
    const pkg = (await newPackage()).body
    expect((await putBlob(pkg.fileSasUri, GOOD_PACKAGE())).status).toBe(201)
    const put = await call(
      'PUT',
      `/products/${P}/packages/${pkg.id}`,
      { ...pkg, State: 'Uploaded' },
      { 'if-match': pkg['@odata.etag'] }
    )
    expect(put.status).toBe(200)
    expect(put.body.state).toBe('Uploaded')
    expect(new URL(put.body.fileSasUri).searchParams.get('sp')).toBe('rl')
    const states = new Set<string>()
    const done = await until(
      async () => {
        const g = await call('GET', `/products/${P}/packages/${pkg.id}`)
        states.add(g.body.state)
        return g
      },
      g => g.body.state === 'Processed'
    )
    expect(done.body.validationItems).toEqual([])
    expect(done.body.fileSize).toBeGreaterThan(0)
    // the rl SAS can read the blob back but not write it
    const read = await fetch(done.body.fileSasUri)
    expect(read.status).toBe(200)
    expect(Buffer.from(await read.arrayBuffer()).equals(GOOD_PACKAGE())).toBe(true)
    const write = await putBlob(done.body.fileSasUri, Buffer.from('x'))
    expect(write.status).toBe(403)
    expect(await write.text()).toContain('<Code>AuthorizationPermissionMismatch</Code>')
    // retried PUT is harmless
    expect(
      (await call('PUT', `/products/${P}/packages/${pkg.id}`, { ...pkg, state: 'Uploaded' })).status
    ).toBe(200)
    const list = await call('GET', `/products/${P}/packages`)
    expect(list.body.value.find((x: { id: string }) => x.id === pkg.id).fileSasUri).toBeUndefined()
  })

  it.each([
    ['not a zip', Buffer.from('hello, not a zip at all, definitely not'), 'InvalidPackage'],
    ['missing createUiDefinition.json', makeZip({ 'mainTemplate.json': '{}' }), 'MissingRequiredFile'],
    [
      'no partner usage attribution',
      makeZip({ 'mainTemplate.json': '{"resources": []}', 'createUiDefinition.json': '{}' }),
      'MissingPartnerUsageAttribution'
    ],
    [
      'files nested in a folder',
      makeZip({ 'app/mainTemplate.json': '{}', 'app/createUiDefinition.json': '{}' }, false),
      'MissingRequiredFile'
    ],
    [
      'invalid JSON',
      makeZip({ 'mainTemplate.json': '{ nope', 'createUiDefinition.json': '{}' }),
      'InvalidJson'
    ]
  ])('ProcessFailed: %s', async (_n, zip, code) => {
    const r = await uploadAndProcess(zip)
    expect(r.body.state).toBe('ProcessFailed')
    expect(r.body.validationItems).toContainEqual({
      errorCode: code,
      severity: 'Error',
      message: expect.any(String),
      resource: expect.any(String)
    })
  })
})

describe('blob service', () => {
  it('Put Blob: 201 with Azure headers; Content-MD5 checked; x-ms-blob-type required; size limit', async () => {
    const pkg = (await newPackage()).body
    const data = GOOD_PACKAGE()
    const md5 = createHash('md5').update(data).digest('base64')
    const missing = await fetch(pkg.fileSasUri, { method: 'PUT', body: data })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toMatch(
      /<Error><Code>MissingRequiredHeader<\/Code><Message>.*<\/Message><HeaderName>x-ms-blob-type<\/HeaderName><\/Error>/s
    )
    const bad = await putBlob(pkg.fileSasUri, data, { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('<Code>Md5Mismatch</Code>')
    const ok = await putBlob(pkg.fileSasUri, data, { 'content-md5': md5 })
    expect(ok.status).toBe(201)
    expect(ok.headers.get('content-md5')).toBe(md5)
    expect(ok.headers.get('etag')).toMatch(/^"0x[0-9A-F]+"$/)
    expect(ok.headers.get('x-ms-request-server-encrypted')).toBe('true')
    expect(ok.headers.get('x-ms-version')).toBe('2021-08-06')
    expect(ok.headers.get('x-ms-request-id')).toBeTruthy()
    expect(await ok.text()).toBe('')
    const exists = await putBlob(pkg.fileSasUri, data, { 'if-none-match': '*' })
    expect(exists.status).toBe(409)
    const big = await putBlob(pkg.fileSasUri, Buffer.alloc(1024 * 1024 + 1))
    expect(big.status).toBe(413)
    expect(await big.text()).toContain('<Code>RequestBodyTooLarge</Code>')
  })

  it('Put Block + Put Block List assemble the blob in order; unknown block → InvalidBlockList', async () => {
    const pkg = (await newPackage()).body
    const data = GOOD_PACKAGE()
    const half = Math.floor(data.length / 2)
    const ids = [Buffer.from('block-000').toString('base64'), Buffer.from('block-001').toString('base64')]
    const blockUrl = (id: string) => `${pkg.fileSasUri}&comp=block&blockid=${encodeURIComponent(id)}`
    const b2 = await fetch(blockUrl(ids[1]!), { method: 'PUT', body: data.subarray(half) })
    expect(b2.status).toBe(201)
    const md5 = createHash('md5').update(data.subarray(0, half)).digest('base64')
    const b1 = await fetch(blockUrl(ids[0]!), {
      method: 'PUT',
      body: data.subarray(0, half),
      headers: { 'content-md5': md5 }
    })
    expect(b1.status).toBe(201)
    const badMd5 = await fetch(blockUrl(ids[0]!), {
      method: 'PUT',
      body: Buffer.from('zz'),
      headers: { 'content-md5': md5 }
    })
    expect(badMd5.status).toBe(400)
    const badId = await fetch(`${pkg.fileSasUri}&comp=block&blockid=${encodeURIComponent('not base64!')}`, {
      method: 'PUT',
      body: 'x'
    })
    expect(badId.status).toBe(400)
    const wrongList = await fetch(`${pkg.fileSasUri}&comp=blocklist`, {
      method: 'PUT',
      body: `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${Buffer.from('nope').toString('base64')}</Latest></BlockList>`
    })
    expect(wrongList.status).toBe(400)
    expect(await wrongList.text()).toContain('InvalidBlockList')
    const commit = await fetch(`${pkg.fileSasUri}&comp=blocklist`, {
      method: 'PUT',
      body: `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${ids[0]}</Latest><Latest>${ids[1]}</Latest></BlockList>`
    })
    expect(commit.status).toBe(201)
    const head = await fetch(pkg.fileSasUri, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe(String(data.length))
    const got = Buffer.from(await (await fetch(pkg.fileSasUri)).arrayBuffer())
    expect(got.equals(data)).toBe(true)
    const put = await call('PUT', `/products/${P}/packages/${pkg.id}`, { ...pkg, state: 'Uploaded' })
    expect(put.status).toBe(200)
  })

  it('SAS: tampered signature and expired SAS → 403 AuthenticationFailed; unknown blob → 404', async () => {
    const pkg = (await newPackage()).body
    const u = new URL(pkg.fileSasUri)
    u.searchParams.set('sp', 'rwdl')
    const tampered = await putBlob(u.toString(), Buffer.from('x'))
    expect(tampered.status).toBe(403)
    expect(await tampered.text()).toContain('<Code>AuthenticationFailed</Code>')
    const e = new URL(pkg.fileSasUri)
    e.searchParams.set('se', '2001-01-01T00:00:00Z')
    expect((await putBlob(e.toString(), Buffer.from('x'))).status).toBe(403)
    expect((await fetch(pkg.fileSasUri)).status).toBe(404)
  })
})

describe('package configurations', () => {
  async function draftConfig(variantId: string) {
    const b = (await call('GET', `/products/${P}/branches/getByModule(module=Package)`)).body.value.find(
      (x: { variantID?: string }) => x.variantID === variantId
    )
    const r = await call(
      'GET',
      `/products/${P}/packageConfigurations/getByInstanceID(instanceID=${b.currentDraftInstanceID})`
    )
    return r.body.value[0]
  }

  it('seeded configs reference Processed packages at 1.0.0', async () => {
    const st = await draftConfig(CONTOSO_APP.plans.standard.variantId)
    expect(st).toMatchObject({
      resourceType: 'AzureSolutionTemplatePackageConfiguration',
      version: '1.0.0',
      packageReferences: [{ type: 'AzureApplicationPackage', value: CONTOSO_APP.plans.standard.packageId }]
    })
    const ma = await draftConfig(CONTOSO_APP.plans.managed.variantId)
    expect(ma.resourceType).toBe('AzureManagedApplicationPackageConfiguration')
    expect(ma.publicAzureTenantID).toBe(MANAGED_AUTHORIZATION.tenantId)
  })

  it('PUT validates version, package state, version increase, GUIDs; accepts a valid update', async () => {
    const cfg = await draftConfig(CONTOSO_APP.plans.standard.variantId)
    const path = `/products/${P}/packageconfigurations/${cfg.id}`
    const pending = (await newPackage()).body
    const processed = (await uploadAndProcess(GOOD_PACKAGE())).body
    const h = { 'if-match': cfg['@odata.etag'] }
    const ref = (id: string) => [{ type: 'AzureApplicationPackage', value: id }]

    const badVersion = await call(
      'PUT',
      path,
      { ...cfg, version: 'v2', packageReferences: ref(processed.id) },
      h
    )
    expect(badVersion.status).toBe(400)
    expect(badVersion.body).toContain('"Version"')
    const notProcessed = await call(
      'PUT',
      path,
      { ...cfg, version: '2.0.0', packageReferences: ref(pending.id) },
      h
    )
    expect(notProcessed.status).toBe(400)
    expect(notProcessed.body).toContain('PendingUpload')
    const unknown = await call(
      'PUT',
      path,
      { ...cfg, version: '2.0.0', packageReferences: ref('00000000-0000-0000-0000-000000000000') },
      h
    )
    expect(unknown.status).toBe(400)
    const sameVersion = await call(
      'PUT',
      path,
      { ...cfg, version: '1.0.0', packageReferences: ref(processed.id) },
      h
    )
    expect(sameVersion.status).toBe(400)
    expect(sameVersion.body).toContain('higher than the published version 1.0.0')
    const noIfMatch = await call('PUT', path, {
      ...cfg,
      version: '2.0.0',
      packageReferences: ref(processed.id)
    })
    expect(noIfMatch.status).toBe(400)
    const ok = await call('PUT', path, { ...cfg, version: '2.0.0', packageReferences: ref(processed.id) }, h)
    expect(ok.status).toBe(200)
    expect(ok.body.version).toBe('2.0.0')
    expect(ok.headers.get('etag')).toBe(ok.body['@odata.etag'])
    const stale = await call(
      'PUT',
      path,
      { ...cfg, version: '2.0.1', packageReferences: ref(processed.id) },
      h
    )
    expect(stale.status).toBe(412)

    const ma = await draftConfig(CONTOSO_APP.plans.managed.variantId)
    const badGuid = await call(
      'PUT',
      `/products/${P}/packageConfigurations/${ma.id}`,
      {
        ...ma,
        version: '2.0.0',
        packageReferences: ref(processed.id),
        publicAzureAuthorizations: [{ principalID: 'nope', roleDefinitionID: 'Owner' }]
      },
      { 'if-match': '*' }
    )
    expect(badGuid.status).toBe(400)
    expect(badGuid.body).toContain('Enter a valid GUID')
    const wrongType = await call(
      'PUT',
      `/products/${P}/packageConfigurations/${ma.id}`,
      { ...ma, resourceType: 'AzureSolutionTemplatePackageConfiguration' },
      { 'if-match': '*' }
    )
    expect(wrongType.status).toBe(400)
  })
})
