import { describe, expect, it } from '@jest/globals'
import { CONTOSO_CONTAINER } from '../../emulator/seed/default.js'
import { planGuid, SEED_PUBLISHER } from '../../emulator/product-ingestion/seed.js'
import { graphToken, pi } from '../emulator-pi/helpers.js'
import { emulatorInputs, rehearsalEnv, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, runAction, type ActionRun } from '../helpers/run-action.js'

/** A container (Kubernetes app) release on tag push: a new CNAB bundle for each plan, then preview and live. */
const SCALE = 100
const emulator = useEmulator({ timeScale: SCALE })
const DIGEST = `sha256:${'4f0c2e9a'.repeat(8)}`
const BUNDLE = `contosoregistry.azurecr.io/contoso-container:1.1.0@${DIGEST}`
const SEEDED_DIGEST = 'sha256:5a3c1b8e7f90d2c4b6a8e0f1d3c5b7a9e1f3d5c7b9a1e3f5d7c9b1a3e5f7d9c1'
const release = {
  'cnab-bundle': BUNDLE,
  'cnab-subscription-id': SEED_PUBLISHER.subscriptionId,
  'cnab-resource-group': SEED_PUBLISHER.resourceGroup
}

const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({
    env: { GITHUB_REF: 'refs/tags/v1.1.0', ...rehearsalEnv(SCALE) },
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': CONTOSO_CONTAINER.offerId,
      'image-type': 'x64Gen2',
      ...inputs
    })
  })

async function technicalConfiguration(): Promise<Record<string, unknown>> {
  const call = pi(emulator, await graphToken(emulator))
  const id = `container-plan-technical-configuration/${CONTOSO_CONTAINER.productId}/${planGuid(CONTOSO_CONTAINER.productId, 'standard')}`
  return (await call('GET', id)).body
}

describe('container release: a new CNAB bundle on tag push', () => {
  it('adds the bundle to the plan, keeps payload type, extension type and the earlier bundle, and goes live', async () => {
    const released = await run({ ...release, target: 'live' })
    expect(errorAnnotations(released)).toEqual([])
    expect(released.outputs).toMatchObject({
      'offer-type': 'AzureContainer',
      version: '1.1.0',
      'job-result': 'succeeded',
      'submission-substate': 'succeeded'
    })
    expect(released.summary).toContain(BUNDLE)
    const config = await technicalConfiguration()
    expect(config).toMatchObject({
      payloadType: 'cnab',
      clusterExtensionType: `contoso.${CONTOSO_CONTAINER.offerId}`
    })
    expect(config.cnabReferences).toEqual([
      expect.objectContaining({ tag: '1.0.0', digest: SEEDED_DIGEST }),
      {
        tenantId: SEED_PUBLISHER.tenantId,
        subscriptionId: SEED_PUBLISHER.subscriptionId,
        resourceGroupName: SEED_PUBLISHER.resourceGroup,
        registryName: 'contosoregistry',
        repositoryName: 'contoso-container',
        tag: '1.1.0',
        digest: DIGEST
      }
    ])
    const call = pi(emulator, await graphToken(emulator))
    const live = await call('GET', `resource-tree/product/${CONTOSO_CONTAINER.productId}?targetType=live`)
    expect(JSON.stringify(live.body)).toContain(DIGEST)
  })

  it('target: draft changes the plan and publishes nothing', async () => {
    const drafted = await run({ ...release, target: 'draft' })
    expect(errorAnnotations(drafted)).toEqual([])
    expect(drafted.outputs['job-result']).toBe('succeeded')
    expect(drafted.outputs['submission-id']).toBeUndefined()
    expect(writes(emulator).filter(w => w.startsWith('POST /rp/product-ingestion/configure'))).toHaveLength(1)
    expect((await technicalConfiguration()).cnabReferences).toHaveLength(2)
  })

  it.each([
    [
      'a bundle already referenced (same tag)',
      { 'cnab-bundle': BUNDLE.replace('1.1.0', '1.0.0') },
      "Input 'cnab-bundle': contosoregistry.azurecr.io/contoso-container:1.0.0@"
    ],
    [
      'a bundle already referenced (same digest)',
      { 'cnab-bundle': `contosoregistry.azurecr.io/contoso-container:1.0.1@${SEEDED_DIGEST}` },
      "'standard' (same digest)"
    ],
    [
      'a bundle without digest',
      { 'cnab-bundle': 'contosoregistry.azurecr.io/contoso-container:1.1.0' },
      'no digest'
    ],
    [
      'a registry that is not ACR',
      { 'cnab-bundle': `ghcr.io/contoso/app:1.1.0@${DIGEST}` },
      'not an Azure Container Registry'
    ],
    [
      'an unknown plan',
      { 'plan-id': 'premium' },
      "Input 'plan-id': 'premium' is not a plan of offer 'contoso-container'"
    ]
  ])('%s fails naming the input and writes nothing', async (_what, inputs, message) => {
    const failed = await run({ ...release, ...inputs })
    expect(failed.code).toBe(1)
    expect(errorAnnotations(failed)[0]).toContain(message)
    expect(writes(emulator)).toEqual([])
  })

  it('an image source for a container offer is refused', async () => {
    const failed = await run({
      'gallery-image-id': `/subscriptions/${SEED_PUBLISHER.subscriptionId}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0`
    })
    expect(errorAnnotations(failed)[0]).toContain(
      "Input 'gallery-image-id': does not apply to Azure Container offer 'contoso-container'"
    )
    expect(writes(emulator)).toEqual([])
  })
})
