import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_CONTAINER, CONTOSO_VM } from '../../emulator/seed/default.js'
import { planGuid } from '../../emulator/product-ingestion/seed.js'
import { validateResources } from '../../src/commands/product-ingestion/validate-resources.js'
import { start } from '../emulator/helpers.js'
import { advance, graphToken, pi, S } from '../emulator-pi/helpers.js'

/**
 * The emulator's model of VM and container technical configuration jobs: seeded plans that have been
 * released before, and jobs that fail the way the service does when the new image or bundle cannot be used.
 */
let emu: RunningEmulator
let call: ReturnType<typeof pi>
beforeAll(async () => {
  emu = await start()
  call = pi(emu, await graphToken(emu))
})
afterAll(async () => emu.close())
beforeEach(() => emu.reset())

const vmId = (plan: string) =>
  `virtual-machine-plan-technical-configuration/${CONTOSO_VM.productId}/${planGuid(CONTOSO_VM.productId, plan)}`
const containerId = `container-plan-technical-configuration/${CONTOSO_CONTAINER.productId}/${planGuid(CONTOSO_CONTAINER.productId, 'standard')}`
const future = (ms: number) => new Date(Date.now() + ms).toISOString()
const disk = (query: string, scheme = 'https') =>
  `${scheme}://contosoimages.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sr=b&${query}&sig=c2lnbmF0dXJlCg%3D%3D`

async function runJob(resources: unknown[]): Promise<any> {
  const started = await call('POST', 'configure', { $schema: S('configure'), resources })
  expect(started.status).toBe(202)
  await advance(emu, 3_000)
  return (await call('GET', `configure/${started.body.jobId}/status`)).body
}

async function withVersion(version: Record<string, unknown>, plan = 'standard'): Promise<any> {
  const current = (await call('GET', vmId(plan))).body
  return runJob([{ ...current, vmImageVersions: [...current.vmImageVersions, version] }])
}

const sasVersion = (uri: string, imageType = 'x64Gen2') => ({
  versionNumber: '1.1.0',
  vmImages: [{ imageType, source: { sourceType: 'sasUri', osDisk: { uri }, dataDisks: [] } }]
})

describe('VM plans in the emulator', () => {
  it('are seeded with image version 1.0.0 from a compute gallery, and pass the local schema checks', async () => {
    for (const plan of CONTOSO_VM.plans) {
      const config = (await call('GET', vmId(plan))).body
      expect(config.vmImageVersions.map((v: { versionNumber: string }) => v.versionNumber)).toEqual([
        CONTOSO_VM.imageVersion
      ])
      expect(validateResources([config])).toEqual([])
    }
  })

  it('a readable SAS disk is accepted and kept with the earlier versions', async () => {
    const status = await withVersion(sasVersion(disk(`sp=rl&se=${future(30 * 86_400_000)}`)))
    expect(status).toMatchObject({ jobStatus: 'completed', jobResult: 'succeeded' })
    const versions = (await call('GET', vmId('standard'))).body.vmImageVersions
    expect(versions.map((v: { versionNumber: string }) => v.versionNumber)).toEqual(['1.0.0', '1.1.0'])
  })

  it.each([
    [
      'expired',
      disk(`sp=rl&se=${future(-60_000)}`),
      /the SAS URI of the OS disk cannot be read: it expired at/
    ],
    ['without read permission', disk(`sp=w&se=${future(86_400_000)}`), /does not grant read access \(sp\)/],
    ['over http', disk(`sp=r&se=${future(86_400_000)}`, 'http'), /only https URIs are accepted/],
    ['without a signature', disk(`sp=r&se=${future(86_400_000)}`).replace(/&sig=.*$/, ''), /has no signature/]
  ])(
    'a SAS disk %s fails the job with a businessValidationError naming the resource, and changes nothing',
    async (_what, uri, message) => {
      const status = await withVersion(sasVersion(uri))
      expect(status).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' })
      const [detail] = status.errors[0].details
      expect(detail).toMatchObject({ code: 'businessValidationError', resourceId: vmId('standard') })
      expect(detail.message).toMatch(/^Image version 1\.1\.0 \(x64Gen2\): /)
      expect(detail.message).toMatch(message)
      expect(detail.message).not.toContain('c2lnbmF0dXJl')
      expect((await call('GET', vmId('standard'))).body.vmImageVersions).toHaveLength(1)
    }
  )

  it('an image type the plan has no SKU for fails the job', async () => {
    const status = await withVersion(sasVersion(disk(`sp=r&se=${future(86_400_000)}`), 'x64Gen1'))
    expect(status.errors[0].details[0].message).toContain(
      "the plan has no SKU for image type 'x64Gen1' (it has x64Gen2)"
    )
  })

  it('a version listed twice fails the job; versions already in the plan are not checked again', async () => {
    const current = (await call('GET', vmId('standard'))).body
    const twice = await runJob([
      { ...current, vmImageVersions: [...current.vmImageVersions, current.vmImageVersions[0]] }
    ])
    expect(twice.errors[0].details[0].message).toContain('Image version 1.0.0 appears more than once')
    // The seeded gallery version stays valid whatever the clock says: only new versions are read.
    await advance(emu, 400 * 86_400_000)
    expect((await runJob([current])).jobResult).toBe('succeeded')
  })
})

describe('container plans in the emulator', () => {
  const reference = {
    tenantId: '4a8f0b4e-6c1d-4c6e-9a57-2f3b1e0d9c11',
    subscriptionId: '537d2130-be25-451e-b3ff-c5b469a13e2d',
    resourceGroupName: 'contoso-images',
    registryName: 'contosoregistry',
    repositoryName: 'contoso-container',
    tag: '1.1.0',
    digest: `sha256:${'ab'.repeat(32)}`
  }

  it('are seeded with one bundle reference and accept a new one', async () => {
    const current = (await call('GET', containerId)).body
    expect(current).toMatchObject({
      payloadType: 'cnab',
      cnabReferences: [expect.objectContaining({ tag: '1.0.0' })]
    })
    const status = await runJob([{ ...current, cnabReferences: [...current.cnabReferences, reference] }])
    expect(status.jobResult).toBe('succeeded')
    expect((await call('GET', containerId)).body.cnabReferences).toHaveLength(2)
  })

  it.each([
    ['a digest that is not sha256', { ...reference, digest: 'md5:abc' }, /digest 'md5:abc' is not sha256/],
    ['no tag', { ...reference, tag: '' }, /lacks tag/],
    [
      'a subscription that is not a GUID',
      { ...reference, subscriptionId: 'prod' },
      /subscriptionId 'prod' is not a GUID/
    ]
  ])('a reference with %s fails the job', async (_what, bad, message) => {
    const current = (await call('GET', containerId)).body
    const status = await runJob([{ ...current, cnabReferences: [...current.cnabReferences, bad] }])
    expect(status.jobResult).toBe('failed')
    expect(status.errors[0].details[0]).toMatchObject({
      code: 'businessValidationError',
      resourceId: containerId
    })
    expect(status.errors[0].details[0].message).toMatch(message)
  })
})
