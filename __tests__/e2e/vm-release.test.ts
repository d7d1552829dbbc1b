import { describe, expect, it } from '@jest/globals'
import { CONTOSO_APP, CONTOSO_VM } from '../../emulator/seed/default.js'
import { planGuid, SEED_PUBLISHER } from '../../emulator/product-ingestion/seed.js'
import { advance, graphToken, pi } from '../emulator-pi/helpers.js'
import { emulatorInputs, rehearsalEnv, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, type ActionRun } from '../helpers/run-action.js'

/**
 * A VM release on tag push through the bundle, against the emulator: no resource file written by the
 * user, every plan gets the new image version, the offer reaches preview and live; bad input writes
 * nothing; no SAS signature reaches any output.
 */
const SCALE = 100
const emulator = useEmulator({ timeScale: SCALE })
const TAG = { GITHUB_REF: 'refs/tags/v1.2.3', ...rehearsalEnv(SCALE) }
const GALLERY = `/subscriptions/${SEED_PUBLISHER.subscriptionId}/resourceGroups/${SEED_PUBLISHER.resourceGroup}/providers/Microsoft.Compute/galleries/contoso_gallery/images/contoso-vm/versions/1.2.3`
const SIGNATURES = [
  '0sFq8Zx%2Bk3L0vWm9aB1cD2eF3gH4iJ5kL6mN7oP8q%3D',
  'dAtA1sIgNaTuRe9aB1cD2eF3gH4iJ5kL6mN7oP8q%3D',
  'dAtA2sIgNaTuRe9aB1cD2eF3gH4iJ5kL6mN7oP8q%3D'
]
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')
const sas = (blob: string, sig: string, query = `sp=rl&se=${inDays(30)}`) =>
  `https://contosoimages.blob.core.windows.net/vhds/${blob}?sv=2022-11-02&sr=b&${query}&sig=${sig}`

const run = (inputs: Record<string, string>, env: Record<string, string> = TAG): Promise<ActionRun> =>
  runAction({
    env,
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': CONTOSO_VM.offerId,
      'image-type': 'x64Gen2',
      ...inputs
    })
  })

async function imageVersions(): Promise<
  Record<string, Array<{ versionNumber: string; vmImages: unknown[] }>>
> {
  const call = pi(emulator, await graphToken(emulator))
  const out: Record<string, Array<{ versionNumber: string; vmImages: unknown[] }>> = {}
  for (const plan of CONTOSO_VM.plans) {
    const id = `virtual-machine-plan-technical-configuration/${CONTOSO_VM.productId}/${planGuid(CONTOSO_VM.productId, plan)}`
    out[plan] = (await call('GET', id)).body.vmImageVersions
  }
  return out
}

function expectNoSignature(run: ActionRun): void {
  const text = everythingWritten(run)
  for (const sig of SIGNATURES) {
    expect(text).not.toContain(sig)
    expect(text).not.toContain(decodeURIComponent(sig))
  }
}

describe('VM release: a new image version on tag push', () => {
  it('adds the gallery image version from the tag to every plan, and goes to preview and live', async () => {
    const released = await run({ 'gallery-image-id': GALLERY, target: 'live' })
    expect(errorAnnotations(released)).toEqual([])
    expect(released.code).toBe(0)
    expect(released.outputs).toMatchObject({
      'product-id': CONTOSO_VM.productId,
      'offer-type': 'AzureThirdPartyVirtualMachine',
      version: '1.2.3',
      'job-result': 'succeeded',
      'submission-state': 'completed',
      'submission-substate': 'succeeded'
    })
    expect(JSON.parse(released.outputs.plans)).toEqual([
      { planId: 'standard', name: 'Standard', version: '1.2.3', previousVersion: '1.0.0' },
      { planId: 'premium', name: 'Premium', version: '1.2.3', previousVersion: '1.0.0' }
    ])
    expect(released.summary).toContain('Image version 1.2.3 (x64Gen2)')
    const versions = await imageVersions()
    for (const plan of CONTOSO_VM.plans) {
      expect(versions[plan].map(v => v.versionNumber)).toEqual(['1.0.0', '1.2.3'])
      expect(versions[plan][1].vmImages).toEqual([
        {
          imageType: 'x64Gen2',
          source: {
            sourceType: 'sharedImageGallery',
            sharedImage: { tenantId: SEED_PUBLISHER.tenantId, resourceId: GALLERY }
          }
        }
      ])
    }
    // One configure job for the plans, one for preview, one for live: and a live submission exists.
    expect(writes(emulator).filter(w => w.startsWith('POST /rp/product-ingestion/configure'))).toHaveLength(3)
    const call = pi(emulator, await graphToken(emulator))
    const live = await call('GET', `resource-tree/product/${CONTOSO_VM.productId}?targetType=live`)
    expect(live.status).toBe(200)
    expect(JSON.stringify(live.body)).toContain(GALLERY)
  })

  it('adds SAS disks (OS disk and data disks at LUN 0, 1) to one plan, reaches preview, and never shows a signature', async () => {
    const [os, data0, data1] = [
      sas('os-2.0.0.vhd', SIGNATURES[0]),
      sas('data-0.vhd', SIGNATURES[1]),
      sas('data-1.vhd', SIGNATURES[2])
    ]
    const released = await run({
      'plan-id': 'premium',
      'image-version': '2.0.0',
      'os-disk-uri': os,
      'data-disk-uris': `${data0}\n${data1}\n`
    })
    expect(errorAnnotations(released)).toEqual([])
    expect(released.outputs).toMatchObject({ version: '2.0.0', 'submission-substate': 'succeeded' })
    expect(released.summary).toContain('contosoimages.blob.core.windows.net/vhds/os-2.0.0.vhd')
    expect(released.stdout).toContain('::add-mask::')
    expectNoSignature(released)
    const versions = await imageVersions()
    expect(versions.standard.map(v => v.versionNumber)).toEqual(['1.0.0'])
    expect(versions.premium.map(v => v.versionNumber)).toEqual(['1.0.0', '2.0.0'])
    expect(versions.premium[1].vmImages).toEqual([
      {
        imageType: 'x64Gen2',
        source: {
          sourceType: 'sasUri',
          osDisk: { uri: os },
          dataDisks: [
            { lunNumber: 0, uri: data0 },
            { lunNumber: 1, uri: data1 }
          ]
        }
      }
    ])
  })

  it('a dry run shows the plan and the request body, signatures redacted, and writes nothing', async () => {
    const dry = await run({ 'os-disk-uri': sas('os.vhd', SIGNATURES[0]), 'dry-run': 'true' })
    expect(errorAnnotations(dry)).toEqual([])
    expect(dry.summary).toContain(
      'Dry run: would add image version 1.2.3 (x64Gen2) to plan(s) standard, premium'
    )
    expect(dry.summary).toContain('"sourceType": "sasUri"')
    expectNoSignature(dry)
    expect(writes(emulator)).toEqual([])
  })

  it.each([
    [
      'an image version that exists already',
      { 'gallery-image-id': GALLERY, 'image-version': '1.0.0' },
      "Input 'image-version': 1.0.0 already exists in every chosen plan 'standard', 'premium'"
    ],
    [
      'an image type no plan has a SKU for',
      { 'gallery-image-id': GALLERY, 'image-type': 'x64Gen1' },
      "Input 'image-type': x64Gen1 is not offered by plan(s) 'standard' (x64Gen2)"
    ],
    [
      'an unknown plan',
      { 'gallery-image-id': GALLERY, 'plan-id': 'gold' },
      "Input 'plan-id': 'gold' is not a plan of offer 'contoso-vm'. Its plans: standard, premium."
    ],
    [
      'an expired SAS URI',
      { 'os-disk-uri': sas('os.vhd', SIGNATURES[0], `sp=rl&se=${inDays(-1)}`) },
      "Input 'os-disk-uri': 'contosoimages.blob.core.windows.net/vhds/os.vhd' expired on"
    ],
    [
      'an http SAS URI',
      { 'os-disk-uri': sas('os.vhd', SIGNATURES[0]).replace('https:', 'http:') },
      'is not an https URI (http)'
    ],
    [
      'a SAS URI without read permission',
      { 'os-disk-uri': sas('os.vhd', SIGNATURES[0], `sp=w&se=${inDays(3)}`) },
      "grants 'w' (sp=), without read (r)"
    ],
    [
      'a malformed gallery image ID',
      { 'gallery-image-id': GALLERY.replace('/versions/1.2.3', '') },
      "Input 'gallery-image-id': "
    ],
    [
      'a container bundle for a VM offer',
      {
        'cnab-bundle': `contosoregistry.azurecr.io/app:1.0.0@sha256:${'a'.repeat(64)}`,
        'cnab-subscription-id': SEED_PUBLISHER.subscriptionId,
        'cnab-resource-group': 'rg'
      },
      "Input 'cnab-bundle': does not apply to Virtual machine offer 'contoso-vm'"
    ]
  ])('%s fails naming the input and writes nothing', async (_what, inputs, message) => {
    const failed = await run(inputs)
    expect(failed.code).toBe(1)
    expect(errorAnnotations(failed)[0]).toContain(message)
    expect(writes(emulator)).toEqual([])
    expectNoSignature(failed)
  })

  it('an image source for an Azure Application offer is refused before anything is written', async () => {
    const failed = await run({ 'offer-id': CONTOSO_APP.offerId, 'gallery-image-id': GALLERY })
    expect(errorAnnotations(failed)[0]).toContain(
      "Input 'gallery-image-id': does not apply to Azure Application offer 'contoso-app' (AzureApplication) with command 'publish'; it is used by: publish of Virtual machine offers; configure."
    )
    expect(writes(emulator)).toEqual([])
  })

  it('a SAS URI that expires before Partner Center copies the disk fails the job with its error, and nothing is published', async () => {
    // The emulator's clock runs two days ahead: the URI is valid when the action checks it, expired when
    // the service reads it.
    await advance(emulator, 2 * 86_400_000)
    const failed = await run({ 'os-disk-uri': sas('os.vhd', SIGNATURES[0], `sp=rl&se=${inDays(1)}`) })
    expect(failed.code).toBe(1)
    const error = errorAnnotations(failed).join('\n')
    expect(error).toContain('businessValidationError')
    expect(error).toContain('the SAS URI of the OS disk cannot be read: it expired')
    expect(failed.outputs).toMatchObject({ 'job-status': 'completed', 'job-result': 'failed' })
    expectNoSignature(failed)
    expect((await imageVersions()).standard.map(v => v.versionNumber)).toEqual(['1.0.0'])
    expect(writes(emulator).filter(w => w.startsWith('POST /rp/product-ingestion/configure'))).toHaveLength(1)
  })
})
