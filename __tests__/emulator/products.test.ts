import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, DEFAULT_PRODUCT_COUNT, DEVELOPER_APP } from '../../emulator/seed/default.js'
import { api, getToken, start } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof api>
beforeAll(async () => {
  emu = await start()
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())

const ETAG_RE = /^"[0-9a-f]{8}-0000-0800-0000-[0-9a-f]{8}0000"$/

describe('products', () => {
  it('pages with a relative nextLink until the last page, which has none', async () => {
    const seen: string[] = []
    let path = '/products?$skipToken='
    let pages = 0
    for (;;) {
      const r = await call('GET', path)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(r.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/)
      pages++
      seen.push(...r.body.value.map((p: { id: string }) => p.id))
      if (!r.body.nextLink) break
      expect(r.body.nextLink).toMatch(/^v1\.0\/ingestion\/products\?\$skipToken=[A-Za-z0-9_-]+$/)
      expect(r.body.value).toHaveLength(5)
      path = '/' + r.body.nextLink.replace(/^v1\.0\/ingestion\//, '')
    }
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(seen).toHaveLength(DEFAULT_PRODUCT_COUNT)
    expect(new Set(seen).size).toBe(DEFAULT_PRODUCT_COUNT)
  })

  it('filters by offer id (recorded expression, case-insensitive names) and by ResourceType', async () => {
    const f = encodeURIComponent("externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq 'contoso-app')")
    const r = await call('GET', `/products?$filter=${f}`)
    expect(r.body).toEqual({
      value: [
        {
          resourceType: 'AzureApplication',
          name: 'Contoso App',
          externalIDs: [{ type: 'AzureOfferId', value: 'contoso-app' }],
          isModularPublishing: true,
          id: CONTOSO_APP.productId
        }
      ]
    })
    const g = encodeURIComponent("ExternalIDs/any(x:x/Type eq 'AzureOfferId' and x/Value eq 'nope')")
    expect((await call('GET', `/products?$filter=${g}`)).body).toEqual({ value: [] })
    const t = await call(
      'GET',
      `/products?$filter=${encodeURIComponent("ResourceType eq 'SoftwareAsAService'")}`
    )
    expect(
      t.body.value.map((p: { externalIDs: Array<{ value: string }> }) => p.externalIDs[0]!.value)
    ).toEqual(['contoso-saas'])
    const bad = await call('GET', `/products?$filter=${encodeURIComponent("name eq 'x'")}`)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatch(
      /^ICH50400 - Unable to complete request\. \{"faultCode":50400,"reasonPhrase":"Request validation failed\.","correlationId":"[0-9a-f-]{36}","operationId":"[0-9a-f]{32}","data":\{"\$filter":\[/
    )
  })

  it('creates (201 + absolute location), refuses duplicates (409), deletes (204), and 404s afterwards', async () => {
    const r = await call('POST', '/products', {
      resourceType: 'AzureApplication',
      name: 'New offer',
      externalIds: [{ type: 'AzureOfferID', value: 'new-offer' }],
      isModularPublishing: true
    })
    expect(r.status).toBe(201)
    expect(r.headers.get('location')).toBe(`${emu.ingestionApiUrl}/products/${r.body.id}`)
    expect(r.body.externalIDs).toEqual([{ type: 'AzureOfferId', value: 'new-offer' }])
    const dup = await call('POST', '/products', {
      resourceType: 'AzureApplication',
      name: 'x',
      externalIDs: [{ type: 'AzureOfferId', value: 'new-offer' }]
    })
    expect(dup.status).toBe(409)
    expect(dup.body).toMatch(/^ICH40900 - /)
    // eventual consistency: the first two branch reads are empty
    const b = `/products/${r.body.id}/branches/getByModule(module=Listing)`
    expect((await call('GET', b)).body).toEqual({ value: [] })
    expect((await call('GET', b)).body).toEqual({ value: [] })
    expect((await call('GET', b)).body.value).toHaveLength(1)
    const del = await call('DELETE', `/products/${r.body.id}`)
    expect(del.status).toBe(204)
    expect(del.text).toBe('')
    expect((await call('GET', `/products/${r.body.id}`)).status).toBe(404)
    expect((await call('DELETE', `/products/${CONTOSO_APP.productId}`)).status).toBe(409)
  })

  it('validates create bodies', async () => {
    const r = await call('POST', '/products', {
      resourceType: 'Banana',
      name: 'x',
      externalIDs: [{ type: 'AzureOfferId', value: 'abc' }]
    })
    expect(r.status).toBe(400)
    const r2 = await call('POST', '/products', {
      resourceType: 'AzureApplication',
      name: 'x',
      externalIDs: [{ type: 'AzureOfferId', value: 'Bad Id' }]
    })
    expect(r2.status).toBe(400)
    expect(r2.body).toContain('ExternalIDs')
  })

  it('setup GET/POST (200), test drive refused on a VM offer like the recording', async () => {
    const s = await call('GET', `/products/${CONTOSO_APP.productId}/setup`)
    expect(s.body).toMatchObject({ resourceType: 'AzureProductSetup', sellingOption: 'ListAndSell' })
    const p = await call('POST', `/products/${CONTOSO_APP.productId}/setup`, {
      ...s.body,
      sellingOption: 'ListingOnly'
    })
    expect(p.status).toBe(200)
    expect(p.body.sellingOption).toBe('ListingOnly')
    const vm = (
      await call(
        'GET',
        `/products?$filter=${encodeURIComponent("ResourceType eq 'AzureThirdPartyVirtualMachine'")}`
      )
    ).body.value[0]
    const td = await call('POST', `/products/${vm.id}/setup`, {
      resourceType: 'AzureProductSetup',
      enableTestDrive: true,
      testDriveType: 'AzureResourceManager'
    })
    expect(td.status).toBe(400)
    expect(td.body).toContain('FeatureName')
  })

  it('unknown paths answer ICH 404, wrong methods 405', async () => {
    expect((await call('GET', '/nothing-here')).status).toBe(404)
    expect((await call('PATCH', `/products/${CONTOSO_APP.productId}`)).status).toBe(405)
  })

  it('Developer role can read but not write', async () => {
    const dev = api(
      emu,
      await getToken(emu, { clientId: DEVELOPER_APP.clientId, clientSecret: DEVELOPER_APP.clientSecret })
    )
    expect((await dev('GET', '/products')).status).toBe(200)
    expect((await dev('POST', '/products', {})).status).toBe(403)
  })
})

describe('branches, variants and module entities', () => {
  it('branches: offer-level + per-plan for Listing/Availability/Package, offer-level only for Property/ResellerConfiguration', async () => {
    const p = CONTOSO_APP.productId
    for (const m of ['Listing', 'Availability', 'Package']) {
      const r = await call('GET', `/products/${p}/branches/getByModule(module=${m})`)
      expect(r.body.value).toHaveLength(3)
      expect(r.body.value[0]).toEqual({
        resourceType: 'Branch',
        friendlyName: 'Main',
        type: 'Main',
        module: m,
        currentDraftInstanceID: expect.any(String)
      })
      expect(
        r.body.value
          .slice(1)
          .map((b: { variantID: string }) => b.variantID)
          .sort()
      ).toEqual([CONTOSO_APP.plans.standard.variantId, CONTOSO_APP.plans.managed.variantId].sort())
    }
    for (const m of ['Property', 'ResellerConfiguration']) {
      expect((await call('GET', `/products/${p}/branches/getByModule(module=${m})`)).body.value).toHaveLength(
        1
      )
    }
    // URL-encoded parentheses work too
    expect((await call('GET', `/products/${p}/branches/getByModule%28module%3DListing%29`)).status).toBe(200)
    expect((await call('GET', `/products/${p}/branches/getByModule(module=Nope)`)).status).toBe(400)
  })

  it('variants: create (201, etag, location, default solution-template), list, get, put, delete', async () => {
    const p = CONTOSO_APP.productId
    const c = await call('POST', `/products/${p}/variants`, {
      resourceType: 'AzureSkuVariant',
      friendlyName: 'Extra plan',
      externalID: 'extra'
    })
    expect(c.status).toBe(201)
    expect(c.headers.get('etag')).toBe(c.body['@odata.etag'])
    expect(c.body['@odata.etag']).toMatch(ETAG_RE)
    expect(c.headers.get('location')).toBe(`${emu.ingestionApiUrl}/products/${p}/variants/${c.body.id}`)
    expect(c.body).toMatchObject({
      resourceType: 'AzureSkuVariant',
      state: 'Active',
      subType: 'solution-template',
      externalID: 'extra',
      cloudAvailabilities: ['public-azure']
    })
    const m = await call('POST', `/products/${p}/variants`, {
      resourceType: 'AzureSkuVariant',
      friendlyName: 'M',
      externalID: 'extra-managed',
      SubType: 'managed-application'
    })
    expect(m.body.subType).toBe('managed-application')
    expect(
      (
        await call('POST', `/products/${p}/variants`, {
          resourceType: 'AzureSkuVariant',
          friendlyName: 'x',
          externalID: 'extra'
        })
      ).status
    ).toBe(409)
    const list = await call('GET', `/products/${p}/variants`)
    expect(list.body.value.map((v: { externalID: string }) => v.externalID)).toEqual([
      'standard',
      'managed',
      'extra',
      'extra-managed'
    ])
    const branches = await call('GET', `/products/${p}/branches/getByModule(module=Listing)`)
    expect(branches.body.value.some((b: { variantID?: string }) => b.variantID === c.body.id)).toBe(true)
    const put = await call(
      'PUT',
      `/products/${p}/variants/${c.body.id}`,
      { ...c.body, friendlyName: 'Renamed' },
      { 'if-match': c.body['@odata.etag'] }
    )
    expect(put.status).toBe(200)
    expect(put.body.friendlyName).toBe('Renamed')
    expect(put.body['@odata.etag']).not.toBe(c.body['@odata.etag'])
    expect(
      (
        await call('PUT', `/products/${p}/variants/${c.body.id}`, put.body, {
          'if-match': c.body['@odata.etag']
        })
      ).status
    ).toBe(412)
    expect((await call('DELETE', `/products/${p}/variants/${c.body.id}`)).status).toBe(204)
    expect((await call('DELETE', `/products/${p}/variants/${m.body.id}`)).status).toBe(204)
    expect((await call('GET', `/products/${p}/variants/${c.body.id}`)).status).toBe(404)
    expect(
      (await call('DELETE', `/products/${p}/variants/${CONTOSO_APP.plans.standard.variantId}`)).status
    ).toBe(409)
  })

  it('listing: getByInstanceID, PUT needs If-Match (400 without, 412 on mismatch, * accepted), full replace, new etag', async () => {
    const p = CONTOSO_APP.productId
    const b = (await call('GET', `/products/${p}/branches/getByModule(module=Listing)`)).body.value[0]
    const got = await call(
      'GET',
      `/products/${p}/listings/getByInstanceID(instanceID=${b.currentDraftInstanceID})`
    )
    const listing = got.body.value[0]
    expect(listing).toMatchObject({
      resourceType: 'AzureListing',
      languageCode: 'en-us',
      title: 'Contoso App',
      id: expect.any(String)
    })
    expect(listing['@odata.etag']).toMatch(ETAG_RE)

    const body = {
      resourceType: 'AzureListing',
      title: 'Contoso App',
      languageCode: 'en-us',
      description: 'new',
      '@odata.etag': listing['@odata.etag'],
      ID: listing.id
    }
    const missing = await call('PUT', `/products/${p}/listings/${listing.id}`, body)
    expect(missing.status).toBe(400)
    expect(missing.body).toMatch(/^ICH50400 - .*If-Match/)
    const wrong = await call('PUT', `/products/${p}/listings/${listing.id}`, body, {
      'if-match': '"00000000-0000-0800-0000-000000000000"'
    })
    expect(wrong.status).toBe(412)
    expect(wrong.body).toMatch(/^ICH41200 - /)
    const ok = await call('PUT', `/products/${p}/listings/${listing.id}`, body, {
      'if-match': listing['@odata.etag']
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('etag')).toBe(ok.body['@odata.etag'])
    expect(ok.body['@odata.etag']).not.toBe(listing['@odata.etag'])
    expect(ok.body.summary).toBeUndefined() // full replace dropped it
    expect(ok.body.id).toBe(listing.id)
    expect(ok.body.ID).toBeUndefined()
    const star = await call(
      'PUT',
      `/products/${p}/listings/${listing.id}`,
      { ...body, title: 'T2' },
      { 'if-match': '*' }
    )
    expect(star.status).toBe(200)
    const byId = await call('GET', `/products/${p}/listings/${listing.id}`)
    expect(byId.body.title).toBe('T2')
    expect(byId.headers.get('etag')).toBe(byId.body['@odata.etag'])
  })

  it('properties, productAvailabilities, featureAvailabilities, resellerConfiguration; casing of path segments', async () => {
    const p = CONTOSO_APP.productId
    const prop = (await call('GET', `/products/${p}/branches/getByModule(module=Property)`)).body.value[0]
    const pr = await call(
      'GET',
      `/products/${p}/properties/getByInstanceID(instanceID=${prop.currentDraftInstanceID})`
    )
    expect(pr.body.value[0].resourceType).toBe('AzureProperty')
    const av = (await call('GET', `/products/${p}/branches/getByModule(module=Availability)`)).body.value
    const offerAv = await call(
      'GET',
      `/products/${p}/productavailabilities/getByInstanceID(instanceID=${av[0].currentDraftInstanceID})`
    )
    expect(offerAv.body.value[0].resourceType).toBe('ProductAvailability')
    const planAv = await call(
      'GET',
      `/products/${p}/featureAvailabilities/getByInstanceID(instanceID=${av[1].currentDraftInstanceID})`
    )
    expect(planAv.body.value[0].resourceType).toBe('FeatureAvailability')
    const put = await call(
      'PUT',
      `/products/${p}/FEATUREAVAILABILITIES/${planAv.body.value[0].id}`,
      { ...planAv.body.value[0], visibility: 'Private' },
      { 'if-match': planAv.body.value[0]['@odata.etag'] }
    )
    expect(put.status).toBe(200)
    expect(put.body.visibility).toBe('Private')
    const rs = await call('POST', `/products/${p}/resellerConfiguration`, {
      resourceType: 'ResellerConfiguration',
      resellerChannelState: 'Enabled',
      tenantIds: []
    })
    expect(rs.status).toBe(200)
    expect((await call('GET', `/products/${p}/resellerConfiguration`)).body.resellerChannelState).toBe(
      'Enabled'
    )
    expect(
      (
        await call(
          'GET',
          `/products/${p}/listings/getByInstanceID(instanceID=00000000-0000-0000-0000-000000000000)`
        )
      ).status
    ).toBe(404)
  })

  it('reset() restores the seed and clears the log', async () => {
    await call('POST', '/products', {
      resourceType: 'AzureContainer',
      name: 'tmp',
      externalIDs: [{ type: 'AzureOfferId', value: 'tmp-offer' }]
    })
    emu.reset()
    expect(emu.requests()).toHaveLength(0)
    const f = encodeURIComponent("externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq 'tmp-offer')")
    expect((await call('GET', `/products?$filter=${f}`)).body.value).toEqual([])
    const v = await call('GET', `/products/${CONTOSO_APP.productId}/variants`)
    expect(v.body.value).toHaveLength(2)
  })
})
