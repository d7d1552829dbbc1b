// The v1 behaviour switches (emulator/ingestion/behaviours.ts): each one, switched on, makes the
// emulator answer as the real service did (docs/partner-center-api.md §7), and off it changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import { V1_BEHAVIOURS } from '../../emulator/ingestion/behaviours.js'
import { CONTOSO_APP, CONTOSO_SAAS, FAILING_VALIDATION_APP } from '../../emulator/seed/default.js'
import { api, getToken, start, until, type ApiResult } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof api>
beforeAll(async () => {
  emu = await start()
  call = api(emu, await getToken(emu))
})
afterAll(async () => emu.close())
beforeEach(() => {
  emu.setBehaviours([])
  emu.reset()
})

const offerFilter = (offerId: string) =>
  `$filter=${encodeURIComponent(`externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq '${offerId}')`)}`
const typeFilter = (type: string) => `$filter=${encodeURIComponent(`resourceType eq '${type}'`)}`

/** Every product of a listing, following nextLinks (relative to the service host). */
async function listAll(first: string): Promise<Array<{ id: string; resourceType: string }>> {
  const items: Array<{ id: string; resourceType: string }> = []
  let path: string | undefined = first
  while (path) {
    const r: ApiResult = await call('GET', path)
    expect(r.status).toBe(200)
    items.push(...r.body.value)
    path = r.body.nextLink ? `/${String(r.body.nextLink).replace(/^v1\.0\/ingestion\//, '')}` : undefined
  }
  return items
}

/** A submission of the whole current draft, like the action builds it. */
async function submit(productId: string) {
  const resources: Array<{ type: string; value: string }> = []
  const perVariant = new Map<string, Array<{ type: string; value: string }>>()
  for (const m of ['Availability', 'Property', 'Package', 'Listing']) {
    const branches = (await call('GET', `/products/${productId}/branches/getByModule(module=${m})`)).body
      .value as Array<{ variantID?: string; currentDraftInstanceID: string }>
    for (const b of branches) {
      const ref = { type: m, value: b.currentDraftInstanceID }
      if (b.variantID) perVariant.set(b.variantID, [...(perVariant.get(b.variantID) ?? []), ref])
      else resources.push(ref)
    }
  }
  return call('POST', `/products/${productId}/submissions`, {
    resourceType: 'SubmissionCreationRequest',
    targets: [{ type: 'Scope', value: 'preview' }],
    resources,
    variantResources: [...perVariant].map(([variantID, list]) => ({ variantID, resources: list })),
    publishOption: { isManualPublish: true, isAutoPromote: false }
  })
}

describe('v1 behaviour switches', () => {
  it('each switch names what it does and where the real service did it', () => {
    expect(Object.keys(V1_BEHAVIOURS).sort()).toEqual([
      'draft-instance-per-submission',
      'front-door-sas',
      'ignore-offer-filter',
      'indraft-failure',
      'nextlink-404-once',
      'plain-text-errors',
      'publisher-id-required',
      'submission-404-after-preview',
      'unfiltered-list-400',
      'unfiltered-list-sparse'
    ])
    for (const info of Object.values(V1_BEHAVIOURS)) {
      expect(info.description.length).toBeGreaterThan(40)
      expect(info.source).toMatch(/docs\/partner-center-api\.md §\d/)
    }
  })

  it('indraft-failure: a failed creation stays InProgress/InDraft, the failure and its reasons only in pendingUpdateInfo', async () => {
    emu.setBehaviours(['indraft-failure'])
    const P = FAILING_VALIDATION_APP.productId
    const created = await submit(P)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      state: 'InProgress',
      substate: 'InDraft',
      pendingUpdateInfo: { updateType: 'Create', status: 'Running' }
    })
    const failed = await until(
      () => call('GET', `/products/${P}/submissions/${created.body.id}`),
      r => r.body.pendingUpdateInfo.status === 'Failed'
    )
    expect(failed.body).toMatchObject({
      state: 'InProgress',
      substate: 'InDraft',
      pendingUpdateInfo: {
        updateType: 'Create',
        status: 'Failed',
        href: `v1.0/ingestion/products/${P}/submissions/${created.body.id}/validations`,
        failureReason: 'Active validation errors'
      }
    })
    // The href is relative to the service host, like a nextLink.
    const href = String(failed.body.pendingUpdateInfo.href).replace(/^v1\.0\/ingestion/, '')
    const reasons = await call('GET', href)
    expect(reasons.body.value.map((v: { errorCode: string }) => v.errorCode)).toEqual([
      'MissingPartnerUsageAttribution',
      'ListingSupportUrlMissing'
    ])
    // A failed creation does not block the next submission.
    expect((await submit(P)).status).toBe(201)
  })

  it('indraft-failure off: the same failure says InProgress/Failed', async () => {
    const P = FAILING_VALIDATION_APP.productId
    const created = await submit(P)
    expect(created.body.substate).toBe('Submitted')
    const failed = await until(
      () => call('GET', `/products/${P}/submissions/${created.body.id}`),
      r => r.body.substate !== 'Submitted'
    )
    expect(failed.body).toMatchObject({ state: 'InProgress', substate: 'Failed' })
  })

  it('unfiltered-list-400: the unfiltered list is refused with the recorded error; filtered lists work', async () => {
    emu.setBehaviours(['unfiltered-list-400'])
    const r = await call('GET', '/products')
    expect(r.status).toBe(400)
    expect(r.body).toMatch(/^ICH50400 - /)
    expect(r.body).toContain(`"ProductTypeFilter[0]":["The field is invalid (value 'Application')."]`)
    const apps = await listAll(`/products?${typeFilter('AzureApplication')}`)
    expect(apps.length).toBeGreaterThan(5)
    expect(apps.every(p => p.resourceType === 'AzureApplication')).toBe(true)
    const one = await call('GET', `/products?${offerFilter(CONTOSO_APP.offerId)}`)
    expect(one.body.value.map((p: { id: string }) => p.id)).toEqual([CONTOSO_APP.productId])
  })

  it('unfiltered-list-sparse: the unfiltered list holds one offer and no nextLink', async () => {
    const full = await listAll('/products')
    emu.setBehaviours(['unfiltered-list-sparse'])
    const r = await call('GET', '/products')
    expect(r.status).toBe(200)
    expect(r.body.value).toHaveLength(1)
    expect(r.body.nextLink).toBeUndefined()
    expect(full.length).toBeGreaterThan(5)
    const saas = await listAll(`/products?${typeFilter('SoftwareAsAService')}`)
    expect(saas.map(p => p.id)).toContain(CONTOSO_SAAS.productId)
  })

  it('submission-404-after-preview: reads by id answer 404 once in preview; the list shows it and promote works', async () => {
    emu.setBehaviours(['submission-404-after-preview'])
    const P = CONTOSO_APP.productId
    // The seeded live submission is in preview and beyond: not found by id.
    expect((await call('GET', `/products/${P}/submissions/${CONTOSO_APP.liveSubmissionId}`)).status).toBe(404)
    const created = await submit(P)
    expect(created.status).toBe(201)
    // While in progress it reads normally.
    expect((await call('GET', `/products/${P}/submissions/${created.body.id}`)).status).toBe(200)
    const listed = await until(
      () => call('GET', `/products/${P}/submissions`),
      r =>
        r.body.value.some(
          (s: { id: string; substate: string }) => s.id === created.body.id && s.substate === 'ReadyToPublish'
        )
    )
    expect(listed.status).toBe(200)
    expect((await call('GET', `/products/${P}/submissions/${created.body.id}`)).status).toBe(404)
    const promoted = await call('POST', `/products/${P}/submissions/${created.body.id}/promote`)
    expect(promoted.status).toBe(200)
    expect(promoted.body.substate).toBe('Publishing')
  })

  it('publisher-id-required: every v1 call needs x-ms-publisherId with a positive number', async () => {
    emu.setBehaviours(['publisher-id-required'])
    const without = await call('GET', `/products/${CONTOSO_APP.productId}`)
    expect(without.status).toBe(400)
    expect(without.body).toContain('PublisherId is a required header, and must be a positive number.')
    for (const bad of ['0', '-5', 'abc', '1.5']) {
      expect(
        (await call('GET', `/products/${CONTOSO_APP.productId}`, undefined, { 'x-ms-publisherId': bad }))
          .status
      ).toBe(400)
    }
    const ok = await call('GET', `/products/${CONTOSO_APP.productId}`, undefined, {
      'x-ms-publisherId': '1234567'
    })
    expect(ok.status).toBe(200)
    emu.setBehaviours([])
    expect((await call('GET', `/products/${CONTOSO_APP.productId}`)).status).toBe(200)
  })

  it('plain-text-errors: an error is the bare sentence, as text/plain', async () => {
    emu.setBehaviours(['plain-text-errors'])
    const r = await call('GET', `/products/${CONTOSO_APP.productId}/submissions/42`)
    expect(r.status).toBe(404)
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(r.text).toBe("The submission with id '42' was not found.")
    expect(r.headers.get('request-id')).toBeTruthy()
  })

  it('nextlink-404-once: the first nextLink page answers 404, the same page asked again works', async () => {
    emu.setBehaviours(['nextlink-404-once'])
    const first = await call('GET', '/products')
    const next = `/${String(first.body.nextLink).replace(/^v1\.0\/ingestion\//, '')}`
    expect((await call('GET', next)).status).toBe(404)
    const again = await call('GET', next)
    expect(again.status).toBe(200)
    expect(again.body.value.length).toBeGreaterThan(0)
    // Only once.
    expect((await call('GET', next)).status).toBe(200)
  })

  it('ignore-offer-filter: the offer-ID filter is not applied; every offer comes back, paged', async () => {
    const exact = await call('GET', `/products?${offerFilter('contoso-nothing-matches')}`)
    expect(exact.body.value).toEqual([])
    emu.setBehaviours(['ignore-offer-filter'])
    const all = await listAll(`/products?${offerFilter('contoso-nothing-matches')}`)
    expect(all.length).toBeGreaterThan(5)
    expect(all[0]!.id).not.toBe('')
  })

  it('draft-instance-per-submission: a submission keeps what it published; the branch moves to a new draft instance', async () => {
    const P = CONTOSO_APP.productId
    const packageBranch = async () =>
      (
        (await call('GET', `/products/${P}/branches/getByModule(module=Package)`)).body.value as Array<{
          variantID?: string
          currentDraftInstanceID: string
        }>
      ).find(b => b.variantID)!
    const configOf = async (instance: string) =>
      (await call('GET', `/products/${P}/packageConfigurations/getByInstanceID(instanceID=${instance})`)).body
        .value[0] as { id: string; version: string; '@odata.etag': string }

    // Off: a submission leaves the instance where it was.
    const before = await packageBranch()
    expect((await submit(P)).status).toBe(201)
    expect((await packageBranch()).currentDraftInstanceID).toBe(before.currentDraftInstanceID)
    emu.reset()

    emu.setBehaviours(['draft-instance-per-submission'])
    const submitted = (await packageBranch()).currentDraftInstanceID
    const draftConfig = await configOf(submitted)
    const created = await submit(P)
    expect(created.status).toBe(201)
    const moved = (await packageBranch()).currentDraftInstanceID
    expect(moved).not.toBe(submitted)
    // The draft goes on under the new instance, with the same entity id; a change to it leaves the
    // submitted instance as it was.
    const draft = await configOf(moved)
    expect(draft.id).toBe(draftConfig.id)
    const put = await call(
      'PUT',
      `/products/${P}/packageconfigurations/${draft.id}`,
      { ...draft, version: '9.9.9' },
      {
        'If-Match': draft['@odata.etag']
      }
    )
    expect(put.status).toBe(200)
    expect((await configOf(moved)).version).toBe('9.9.9')
    const kept = await configOf(submitted)
    expect(kept.version).toBe(draftConfig.version)
    expect(kept.id).not.toBe(draftConfig.id)
    // What a submission published is not a draft: it cannot be written, nor submitted again.
    const write = await call('PUT', `/products/${P}/packageconfigurations/${kept.id}`, kept, {
      'If-Match': kept['@odata.etag']
    })
    expect(write.status).toBe(400)
    const variantResources = created.body.variantResources as Array<{ variantID: string }>
    const again = await call('POST', `/products/${P}/submissions`, {
      resourceType: 'SubmissionCreationRequest',
      targets: [{ type: 'Scope', value: 'preview' }],
      variantResources: [
        { variantID: variantResources[0]!.variantID, resources: [{ type: 'Package', value: submitted }] }
      ]
    })
    expect(again.status).toBe(400)
    expect(JSON.stringify(again.body)).toContain('is not the current draft instance')
  })
})
