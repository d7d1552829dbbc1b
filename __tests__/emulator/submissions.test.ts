import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  CONTOSO_APP,
  FAILING_CERTIFICATION_APP,
  FAILING_VALIDATION_APP
} from '../../emulator/seed/default.js'
import { api, getToken, GOOD_PACKAGE, putBlob, start, until } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof api>
beforeAll(async () => {
  emu = await start()
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())

/** Builds a full SubmissionCreationRequest from the current branches, like the CLI does. */
async function submissionRequest(productId: string) {
  const offer: Array<{ type: string; value: string }> = []
  const perVariant = new Map<string, Array<{ type: string; value: string }>>()
  for (const m of ['Availability', 'Property', 'Package', 'Listing', 'ResellerConfiguration']) {
    const branches = (await call('GET', `/products/${productId}/branches/getByModule(module=${m})`)).body
      .value
    for (const b of branches) {
      if (b.variantID) {
        const list = perVariant.get(b.variantID) ?? []
        list.push({ type: m, value: b.currentDraftInstanceID })
        perVariant.set(b.variantID, list)
      } else offer.push({ type: m, value: b.currentDraftInstanceID })
    }
  }
  return {
    resourceType: 'SubmissionCreationRequest',
    targets: [{ type: 'Scope', value: 'preview' }],
    resources: offer,
    variantResources: [...perVariant].map(([variantID, resources]) => ({ variantID, resources })),
    publishOption: { isManualPublish: true, isAutoPromote: false, certificationNotes: 'test' },
    extendedProperties: []
  }
}

const sub = (p: string, id: string) => call('GET', `/products/${p}/submissions/${id}`)
const P = CONTOSO_APP.productId

describe('submissions', () => {
  it('lists the seeded live submission', async () => {
    const r = await call('GET', `/products/${P}/submissions`)
    expect(r.body.value).toHaveLength(1)
    expect(r.body.value[0]).toMatchObject({
      resourceType: 'Submission',
      id: CONTOSO_APP.liveSubmissionId,
      state: 'Published',
      substate: 'InStore'
    })
    const f = await call(
      'GET',
      `/products/${P}/submissions?$filter=${encodeURIComponent("state eq 'InProgress'")}`
    )
    expect(f.body.value).toEqual([])
  })

  it('validates the request: targets, unknown instance ids, instance of the wrong module', async () => {
    const req = await submissionRequest(P)
    expect(
      (
        await call('POST', `/products/${P}/submissions`, {
          ...req,
          targets: [{ type: 'Scope', value: 'live' }]
        })
      ).status
    ).toBe(400)
    const bad = await call('POST', `/products/${P}/submissions`, {
      ...req,
      resources: [{ type: 'Listing', value: '00000000-0000-0000-0000-000000000000' }]
    })
    expect(bad.status).toBe(400)
    expect(bad.body).toContain('not the current draft instance')
    const swapped = await call('POST', `/products/${P}/submissions`, {
      ...req,
      resources: [{ type: 'Property', value: req.resources.find(r => r.type === 'Listing')!.value }]
    })
    expect(swapped.status).toBe(400)
  })

  it('full lifecycle: 201 InProgress/Submitted → 409 for a second one → ReadyToPublish → promote → Publishing → InStore; old live archived', async () => {
    // bump the standard plan to 2.0.0 with a new package so the live version moves
    const pkg = (
      await call('POST', `/products/${P}/packages`, {
        resourceType: 'AzureApplicationPackage',
        fileName: 'v2.zip'
      })
    ).body
    await putBlob(pkg.fileSasUri, GOOD_PACKAGE())
    await call('PUT', `/products/${P}/packages/${pkg.id}`, { ...pkg, state: 'Uploaded' })
    await until(
      () => call('GET', `/products/${P}/packages/${pkg.id}`),
      r => r.body.state === 'Processed'
    )
    const b = (await call('GET', `/products/${P}/branches/getByModule(module=Package)`)).body.value.find(
      (x: { variantID?: string }) => x.variantID === CONTOSO_APP.plans.standard.variantId
    )
    const cfg = (
      await call(
        'GET',
        `/products/${P}/packageConfigurations/getByInstanceID(instanceID=${b.currentDraftInstanceID})`
      )
    ).body.value[0]
    const put = await call(
      'PUT',
      `/products/${P}/packageconfigurations/${cfg.id}`,
      { ...cfg, version: '2.0.0', packageReferences: [{ type: 'AzureApplicationPackage', value: pkg.id }] },
      { 'if-match': cfg['@odata.etag'] }
    )
    expect(put.status).toBe(200)

    const req = await submissionRequest(P)
    const c = await call('POST', `/products/${P}/submissions`, req)
    expect(c.status).toBe(201)
    expect(c.headers.get('location')).toBe(`${emu.ingestionApiUrl}/products/${P}/submissions/${c.body.id}`)
    expect(c.body).toMatchObject({
      resourceType: 'Submission',
      state: 'InProgress',
      substate: 'Submitted',
      releaseNumber: 2,
      friendlyName: 'Submission 2',
      publishedTimeInUtc: '1601-01-01T00:00:00Z',
      areResourcesReady: true
    })
    expect(c.body.id).toMatch(/^\d{16,}$/)
    expect(c.body.targets).toEqual([{ type: 'Scope', value: 'Preview' }])

    const again = await call('POST', `/products/${P}/submissions`, req)
    expect(again.status).toBe(409)
    expect(again.body).toMatch(/^ICH40900 - .*in progress/)
    const early = await call('POST', `/products/${P}/submissions/${c.body.id}/promote`)
    expect(early.status).toBe(409)

    const wf0 = await call('GET', `/products/${P}/submissions/${c.body.id}/workflowdetails`)
    expect(wf0.body.value).toHaveLength(2)
    expect(wf0.body.value[0].workflowSteps.map((s: { name: string }) => s.name)).toEqual([
      'Automated validation',
      'Preview Creation',
      'Certification',
      'Publisher Signoff'
    ])
    expect(wf0.body.value[1].workflowSteps.map((s: { name: string }) => s.name)).toEqual(['Publish'])

    const ready = await until(
      () => sub(P, c.body.id),
      r => r.body.substate === 'ReadyToPublish'
    )
    expect(ready.body.state).toBe('Published')
    const wf = await call('GET', `/products/${P}/submissions/${c.body.id}/workflowdetails`)
    expect(wf.body.value[0].workflowSteps.map((s: { state: string }) => s.state)).toEqual([
      'Success',
      'Success',
      'Success',
      'InProgress'
    ])
    expect(wf.body.value[0]).toMatchObject({ targetEnvironment: 'Preview' })

    const promote = await call('POST', `/products/${P}/submissions/${c.body.id}/promote`)
    expect(promote.status).toBe(200)
    expect(promote.body).toMatchObject({ state: 'Published', substate: 'Publishing' })
    expect(promote.body.pendingUpdateInfo.updateType).toBe('Promote')
    const live = await until(
      () => sub(P, c.body.id),
      r => r.body.substate === 'InStore'
    )
    expect(live.body.publishedTimeInUtc).not.toBe('1601-01-01T00:00:00Z')
    expect((await call('POST', `/products/${P}/submissions/${c.body.id}/promote`)).status).toBe(400)
    const list = await call('GET', `/products/${P}/submissions`)
    expect(list.body.value.map((s: { id: string }) => s.id)).toEqual([c.body.id])
    expect((await sub(P, CONTOSO_APP.liveSubmissionId)).body.state).toBe('Archived')
    // the live version is now 2.0.0: re-using 1.x is refused
    const cfg2 = (await call('GET', `/products/${P}/packageconfigurations/${cfg.id}`)).body
    const lower = await call(
      'PUT',
      `/products/${P}/packageconfigurations/${cfg.id}`,
      { ...cfg2, version: '1.5.0' },
      { 'if-match': '*' }
    )
    expect(lower.status).toBe(400)
  })

  it('cancel: DELETE while InProgress → 204, then Cancelled and gone from the list; DELETE of a live one → 409', async () => {
    const slow = await start({ timings: { automatedValidation: 60_000 } })
    try {
      const c2 = api(slow, await getToken(slow))
      const offer = CONTOSO_APP.productId
      const saved = call
      call = c2
      const req = await submissionRequest(offer)
      call = saved
      const c = await c2('POST', `/products/${offer}/submissions`, req)
      expect(c.status).toBe(201)
      const d = await c2('DELETE', `/products/${offer}/submissions/${c.body.id}`)
      expect(d.status).toBe(204)
      expect(d.text).toBe('')
      expect((await c2('GET', `/products/${offer}/submissions/${c.body.id}`)).body.state).toBe('Cancelled')
      expect(
        (await c2('GET', `/products/${offer}/submissions`)).body.value.map((s: { id: string }) => s.id)
      ).toEqual([CONTOSO_APP.liveSubmissionId])
      expect(
        (await c2('DELETE', `/products/${offer}/submissions/${CONTOSO_APP.liveSubmissionId}`)).status
      ).toBe(409)
      // a new submission is accepted again after the cancel
      expect((await c2('POST', `/products/${offer}/submissions`, req)).status).toBe(201)
    } finally {
      await slow.close()
    }
  })

  it('failed automated validation: InProgress/Failed with validations; a new submission is then allowed', async () => {
    const p = FAILING_VALIDATION_APP.productId
    const req = await submissionRequest(p)
    const c = await call('POST', `/products/${p}/submissions`, req)
    expect(c.status).toBe(201)
    const failed = await until(
      () => sub(p, c.body.id),
      r => r.body.substate === 'Failed'
    )
    expect(failed.body.state).toBe('InProgress')
    expect(failed.body.pendingUpdateInfo.status).toBe('Failed')
    const v = await call('GET', `/products/${p}/submissions/${c.body.id}/validations`)
    expect(v.body.value[0]).toMatchObject({
      severity: 'Error',
      resource: 'Package',
      errorCode: expect.any(String),
      message: expect.any(String)
    })
    const wf = await call('GET', `/products/${p}/submissions/${c.body.id}/workflowdetails`)
    expect(wf.body.value[0].workflowSteps[0].state).toBe('Failed')
    const next = await call('POST', `/products/${p}/submissions`, req)
    expect(next.status).toBe(201)
    await until(
      () => sub(p, next.body.id),
      r => r.body.substate === 'ReadyToPublish'
    )
  })

  it('failed certification: InProgress/FailedInCertification', async () => {
    const p = FAILING_CERTIFICATION_APP.productId
    const c = await call('POST', `/products/${p}/submissions`, await submissionRequest(p))
    const failed = await until(
      () => sub(p, c.body.id),
      r => r.body.substate === 'FailedInCertification'
    )
    expect(failed.body.state).toBe('InProgress')
    const wf = await call('GET', `/products/${p}/submissions/${c.body.id}/workflowdetails`)
    expect(wf.body.value[0].workflowSteps.map((s: { state: string }) => s.state)).toEqual([
      'Success',
      'Success',
      'Failed',
      'NotStarted'
    ])
    expect(
      (await call('GET', `/products/${p}/submissions/${c.body.id}/validations`)).body.value
    ).toHaveLength(1)
  })

  it('timeScale compresses default timings; POST /_emulator/clock advances virtual time', async () => {
    const fast = await start({ timings: undefined, timeScale: 1000 }) // 3 s validation → 3 ms
    try {
      const c2 = api(fast, await getToken(fast))
      const saved = call
      call = c2
      const req = await submissionRequest(P)
      call = saved
      const c = await c2('POST', `/products/${P}/submissions`, req)
      await until(
        () => c2('GET', `/products/${P}/submissions/${c.body.id}`),
        r => r.body.substate === 'ReadyToPublish',
        3000
      )
    } finally {
      await fast.close()
    }
    const manual = await start({
      timings: { automatedValidation: 3_600_000, previewCreation: 0, certification: 0 }
    })
    try {
      const c2 = api(manual, await getToken(manual))
      const saved = call
      call = c2
      const req = await submissionRequest(P)
      call = saved
      const c = await c2('POST', `/products/${P}/submissions`, req)
      expect((await c2('GET', `/products/${P}/submissions/${c.body.id}`)).body.substate).toBe('Submitted')
      const adv = await fetch(`${manual.url}/_emulator/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 3_600_000 })
      })
      expect(adv.status).toBe(200)
      expect((await c2('GET', `/products/${P}/submissions/${c.body.id}`)).body.substate).toBe(
        'ReadyToPublish'
      )
    } finally {
      await manual.close()
    }
  })
})
