import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, CONTOSO_CONTAINER, CONTOSO_SAAS, CONTOSO_VM } from '../../emulator/seed/default.js'
import { validateResources } from '../../src/commands/product-ingestion/validate-resources.js'
import { getToken, start } from '../emulator/helpers.js'
import { advance, graphToken, pi, S } from './helpers.js'

let emu: RunningEmulator
let call: ReturnType<typeof pi>
beforeAll(async () => {
  emu = await start()
  call = pi(emu, await graphToken(emu))
})
afterAll(async () => emu.close())

const JOB = 3_000
const PUBLISH = 10_000
const LIVE = 30_000

async function configure(resources: unknown[]): Promise<{ status: number; body: any }> {
  return call('POST', 'configure', { $schema: S('configure'), resources })
}

async function runJob(resources: unknown[]): Promise<any> {
  const started = await configure(resources)
  expect(started.status).toBe(202)
  await advance(emu, JOB)
  return (await call('GET', `configure/${started.body.jobId}/status`)).body
}

describe('Product Ingestion emulator: protocol', () => {
  it('requires $version on every call', async () => {
    const r = await call('GET', `product/${CONTOSO_SAAS.productId}`, undefined, { version: null })
    expect(r.status).toBe(400)
    expect(r.body).toEqual({
      error: { code: 'badRequest', message: expect.stringContaining('$version'), details: [] }
    })
  })

  it('accepts only Graph-audience tokens, answering in the PI error dialect', async () => {
    const v1 = pi(emu, await getToken(emu))
    const r = await v1('GET', `product/${CONTOSO_SAAS.productId}`)
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('unauthorized')
    expect(r.body.error.message).toMatch(/audience/)
  })

  it('finds products by external ID with the same GUIDs as the v1 list', async () => {
    for (const offer of [CONTOSO_SAAS, CONTOSO_CONTAINER, CONTOSO_VM]) {
      const r = await call('GET', `product?externalId=${offer.offerId}`)
      expect(r.status).toBe(200)
      expect(r.body.value).toHaveLength(1)
      expect(r.body.value[0]).toMatchObject({
        id: `product/${offer.productId}`,
        identity: { externalId: offer.offerId }
      })
    }
    expect((await call('GET', `product?externalId=${CONTOSO_APP.offerId}`)).body.value).toEqual([])
    expect((await call('GET', 'product?externalId=nope-nope')).body.value).toEqual([])
  })

  it('pages the product list with an absolute @nextLink', async () => {
    const first = await call('GET', 'product?$maxpagesize=2')
    expect(first.body.value).toHaveLength(2)
    expect(first.body['@nextLink']).toMatch(/^http:\/\/.*continuationToken=2/)
  })

  it('seeds product, plans, listing, property, price-and-availability, reseller and technical configuration, all schema-valid', async () => {
    for (const [offer, tech] of [
      [CONTOSO_SAAS, 'software-as-a-service-technical-configuration'],
      [CONTOSO_CONTAINER, 'container-plan-technical-configuration'],
      [CONTOSO_VM, 'virtual-machine-plan-technical-configuration']
    ] as const) {
      const tree = await call('GET', `resource-tree/product/${offer.productId}`)
      expect(tree.status).toBe(200)
      expect(tree.body).toMatchObject({ root: `product/${offer.productId}`, target: { targetType: 'draft' } })
      const types = new Set(tree.body.resources.map((r: { id: string }) => r.id.split('/')[0]))
      for (const type of [
        'product',
        'plan',
        'listing',
        'property',
        'price-and-availability-offer',
        'price-and-availability-plan',
        'reseller',
        'plan-listing',
        tech
      ]) {
        expect(types).toContain(type)
      }
      expect(validateResources(tree.body.resources)).toEqual([])
    }
  })

  it('lists plans of a product, optionally by external ID, and reads any durable ID', async () => {
    const plans = await call('GET', `plan?product=product/${CONTOSO_SAAS.productId}&externalId=standard`)
    expect(plans.body.value).toHaveLength(1)
    const plan = plans.body.value[0]
    expect(plan.id).toMatch(new RegExp(`^plan/${CONTOSO_SAAS.productId}/[0-9a-f-]{36}$`))
    expect((await call('GET', plan.id)).body).toEqual(plan)
    expect((await call('GET', `property/${CONTOSO_SAAS.productId}/public/main`)).body.kind).toBe('azureSaaS')
    const missing = await call('GET', `plan/${CONTOSO_SAAS.productId}/00000000-0000-0000-0000-000000000000`)
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('notFound')
  })
})

describe('Product Ingestion emulator: configure jobs', () => {
  it('answers 202 notStarted, runs, completes, and applies resources (create by externalId, resourceName references)', async () => {
    const started = await configure([
      {
        $schema: S('product'),
        resourceName: 'newOffer',
        identity: { externalId: 'contoso-new-saas' },
        type: 'softwareAsAService',
        alias: 'Contoso New'
      },
      {
        $schema: S('plan'),
        product: { resourceName: 'newOffer' },
        identity: { externalId: 'gold' },
        alias: 'Gold'
      }
    ])
    expect(started.status).toBe(202)
    expect(started.body).toEqual({
      $schema: S('configure-status'),
      jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jobStatus: 'notStarted',
      jobResult: 'pending',
      jobStart: expect.any(String),
      jobEnd: '0001-01-01T00:00:00',
      errors: []
    })
    const jobId = started.body.jobId
    expect((await call('GET', `configure/${jobId}`)).status).toBe(400)
    await advance(emu, 1_500)
    expect((await call('GET', `configure/${jobId}/status`)).body).toMatchObject({
      jobStatus: 'running',
      jobResult: 'pending'
    })
    await advance(emu, 1_500)
    expect((await call('GET', `configure/${jobId}/status`)).body).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'succeeded',
      errors: []
    })
    const detail = await call('GET', `configure/${jobId}`)
    expect(detail.status).toBe(200)
    const [product, plan] = detail.body.resources
    expect(product.id).toMatch(/^product\/[0-9a-f-]{36}$/)
    expect(plan).toMatchObject({ product: product.id, identity: { externalId: 'gold' } })
    expect(plan.resourceName).toBeUndefined()
    expect((await call('GET', 'product?externalId=contoso-new-saas')).body.value[0].id).toBe(product.id)
    // The v1 view shows the new offer too.
    const v1 = await fetch(`${emu.ingestionApiUrl}/products/${product.id.split('/')[1]}`, {
      headers: { authorization: `Bearer ${await getToken(emu)}` }
    })
    expect(v1.status).toBe(200)
    // Configuring the same external ID again updates, not duplicates.
    const again = await runJob([
      {
        $schema: S('product'),
        identity: { externalId: 'contoso-new-saas' },
        type: 'softwareAsAService',
        alias: 'Contoso Newer'
      }
    ])
    expect(again.jobResult).toBe('succeeded')
    expect((await call('GET', product.id)).body.alias).toBe('Contoso Newer')
  })

  it('rejects a schema-invalid request with 400 schemaValidationError details naming the resource', async () => {
    const r = await configure([
      {
        $schema: S('plan'),
        product: `product/${CONTOSO_SAAS.productId}`,
        identity: { externalId: 'Bad Id' },
        alias: 'x',
        resourceName: 'badPlan'
      }
    ])
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('badRequest')
    expect(r.body.error.details).toEqual([
      {
        code: 'schemaValidationError',
        message: expect.stringContaining('resources[0].identity.externalId'),
        resourceId: { resourceName: 'badPlan' },
        details: []
      }
    ])
  })

  it('fails a job whose plan refers to an unknown product, with details per resource, and changes nothing', async () => {
    const status = await runJob([
      {
        $schema: S('plan'),
        product: `product/${CONTOSO_SAAS.productId}`,
        identity: { externalId: 'silver' },
        alias: 'Silver'
      },
      {
        $schema: S('plan'),
        product: 'product/00000000-0000-0000-0000-000000000000',
        identity: { externalId: 'orphan' },
        alias: 'Orphan'
      }
    ])
    expect(status).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' })
    expect(status.errors[0].details).toEqual([
      {
        code: 'resourceNotFound',
        message: expect.stringContaining('product/00000000-0000-0000-0000-000000000000'),
        resourceId: { externalId: 'orphan' },
        details: []
      }
    ])
    expect(
      (await call('GET', `plan?product=product/${CONTOSO_SAAS.productId}&externalId=silver`)).body.value
    ).toEqual([])
    expect((await call('GET', `configure/${status.jobId}`)).status).toBe(404)
  })

  it('cancels a job that has not completed, and refuses to cancel a completed one', async () => {
    const started = await configure([
      {
        $schema: S('reseller'),
        product: `product/${CONTOSO_VM.productId}`,
        resellerChannelState: 'all',
        audiences: []
      }
    ])
    const cancelled = await call('POST', `configure/${started.body.jobId}/cancel`, {})
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ jobStatus: 'completed', jobResult: 'cancelled' })
    const again = await call('POST', `configure/${started.body.jobId}/cancel`, {})
    expect(again.status).toBe(400)
    expect(again.body).toEqual({
      error: { code: 'badRequest', message: 'Cannot cancel job, job has already completed.', details: [] }
    })
    await advance(emu, JOB)
    expect((await call('GET', `reseller/${CONTOSO_VM.productId}`)).body.resellerChannelState).toBe('none')
  })
})

describe('Product Ingestion emulator: submissions', () => {
  const product = `product/${CONTOSO_CONTAINER.productId}`

  it('has only the draft reference at first', async () => {
    const r = await call('GET', `submission/${CONTOSO_CONTAINER.productId}`)
    expect(r.body.value).toEqual([
      {
        $schema: S('submission'),
        id: `submission/${CONTOSO_CONTAINER.productId}/0`,
        product,
        target: { targetType: 'draft' }
      }
    ])
  })

  it('publishes to preview, refuses a second submission while it runs, then goes live from the preview', async () => {
    const preview = await runJob([{ $schema: S('submission'), product, target: { targetType: 'preview' } }])
    expect(preview.jobResult).toBe('succeeded')
    const [submission] = (await call('GET', `configure/${preview.jobId}`)).body.resources
    expect(submission).toMatchObject({
      id: expect.stringMatching(new RegExp(`^submission/${CONTOSO_CONTAINER.productId}/\\d+$`)),
      target: { targetType: 'preview' }
    })
    expect(['notStarted', 'running']).toContain(submission.status)

    const busy = await runJob([{ $schema: S('submission'), product, target: { targetType: 'preview' } }])
    expect(busy.jobResult).toBe('failed')
    expect(busy.errors[0].details[0]).toMatchObject({ code: 'invalidState', resourceId: submission.id })

    expect(
      (await call('GET', `resource-tree/product/${CONTOSO_CONTAINER.productId}?targetType=preview`)).status
    ).toBe(404)
    await advance(emu, PUBLISH)
    expect((await call('GET', submission.id)).body).toMatchObject({
      status: 'completed',
      result: 'succeeded'
    })
    const tree = await call('GET', `resource-tree/product/${CONTOSO_CONTAINER.productId}?targetType=preview`)
    expect(tree.body.target).toEqual({ targetType: 'preview' })

    const live = await runJob([
      { $schema: S('submission'), id: submission.id, product, target: { targetType: 'live' } }
    ])
    expect(live.jobResult).toBe('succeeded')
    const [liveSubmission] = (await call('GET', `configure/${live.jobId}`)).body.resources
    // Going live keeps the preview submission's id (docs/partner-center-api.md §7.7).
    expect(liveSubmission).toMatchObject({ id: submission.id, target: { targetType: 'live' } })
    const during = (await call('GET', `submission/${CONTOSO_CONTAINER.productId}`)).body.value
    expect(during.map((s: any) => [s.id, s.target.targetType, s.result])).toEqual([
      [`submission/${CONTOSO_CONTAINER.productId}/0`, 'draft', undefined],
      [submission.id, 'preview', 'succeeded'],
      [submission.id, 'live', 'pending']
    ])
    await advance(emu, LIVE)
    const list = (await call('GET', `submission/${CONTOSO_CONTAINER.productId}`)).body.value
    expect(list.map((s: any) => [s.target.targetType, s.status ?? '', s.result ?? ''])).toEqual([
      ['draft', '', ''],
      ['preview', 'completed', 'succeeded'],
      ['live', 'completed', 'succeeded']
    ])
  })

  it('refuses to go live from something that is not a preview submission', async () => {
    const list = (await call('GET', `submission/${CONTOSO_CONTAINER.productId}`)).body.value
    const liveId = list.find((s: any) => s.target.targetType === 'live').id
    const status = await runJob([
      { $schema: S('submission'), id: liveId, product, target: { targetType: 'live' } }
    ])
    expect(status.jobResult).toBe('failed')
    expect(status.errors[0].details[0].code).toBe('invalidState')
  })
})
