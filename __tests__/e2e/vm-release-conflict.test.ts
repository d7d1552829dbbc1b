import { describe, expect, it } from '@jest/globals'
import { CONTOSO_VM } from '../../emulator/seed/default.js'
import { SEED_PUBLISHER } from '../../emulator/product-ingestion/seed.js'
import { advance, graphToken, pi, S } from '../emulator-pi/helpers.js'
import { emulatorInputs, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, runAction } from '../helpers/run-action.js'

/** A release while the offer is being published changes nothing: the draft would be left changed but unpublished. */
const emulator = useEmulator({ timeScale: 1 })
const GALLERY = `/subscriptions/${SEED_PUBLISHER.subscriptionId}/resourceGroups/${SEED_PUBLISHER.resourceGroup}/providers/Microsoft.Compute/galleries/contoso_gallery/images/contoso-vm/versions/1.2.3`

describe('VM release while a submission is in progress', () => {
  it('is refused before the plans are changed; target: draft still changes them', async () => {
    const call = pi(emulator, await graphToken(emulator))
    const started = await call('POST', 'configure', {
      $schema: S('configure'),
      resources: [
        {
          $schema: S('submission'),
          product: `product/${CONTOSO_VM.productId}`,
          target: { targetType: 'preview' }
        }
      ]
    })
    expect(started.status).toBe(202)
    await advance(emulator, 3_500) // the job has run; the preview submission takes 10 s more
    const before = writes(emulator).length
    const inputs = {
      command: 'publish',
      'offer-id': CONTOSO_VM.offerId,
      'image-version': '1.2.3',
      'gallery-image-id': GALLERY
    }

    const refused = await runAction({ inputs: emulatorInputs(emulator, inputs) })
    expect(refused.code).toBe(1)
    expect(errorAnnotations(refused)[0]).toMatch(
      new RegExp(
        `Submission submission/${CONTOSO_VM.productId}/\\d+ of offer 'contoso-vm' is still in progress`
      )
    )
    expect(writes(emulator).slice(before)).toEqual([])

    const drafted = await runAction({
      inputs: emulatorInputs(emulator, { ...inputs, target: 'draft' }),
      env: { PARTNER_CENTER_PUBLISH_TIME_SCALE: '1' }
    })
    expect(errorAnnotations(drafted)).toEqual([])
    expect(drafted.outputs).toMatchObject({ version: '1.2.3', 'job-result': 'succeeded' })
  }, 60_000)
})
