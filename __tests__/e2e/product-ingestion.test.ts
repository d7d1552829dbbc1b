import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { RunningEmulator } from '../../emulator/index.js'
import { CONTOSO_APP, CONTOSO_CONTAINER, CONTOSO_SAAS, CONTOSO_VM } from '../../emulator/seed/default.js'
import { emulatorInputs, startTestEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, runAction, type ActionRun } from '../helpers/run-action.js'

// The action divides its socket timeout (100 s) by the rehearsal scale as well: at 1000 an answer of the
// in-process emulator slower than 100 ms on a busy machine failed a create that is never retried. At 20
// the timeout is 5 s, and the jobs' virtual seconds still pass in a fraction of a second.
const SCALE = 20
const env = { PARTNER_CENTER_PUBLISH_TIME_SCALE: String(SCALE) }
const schema = (type: string) => `https://schema.mp.microsoft.com/schema/${type}/2022-03-01-preview2`

let emulator: RunningEmulator
let dir: string
beforeAll(async () => {
  emulator = await startTestEmulator({ timeScale: SCALE })
  dir = mkdtempSync(join(tmpdir(), 'pi-e2e-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => emulator.reset())

const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  // The files these runs read and write are in `dir`: it is their workspace.
  runAction({ env: { ...env, GITHUB_WORKSPACE: dir }, inputs: emulatorInputs(emulator, inputs) })
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}

describe('Product Ingestion offers through the bundle', () => {
  it('show reads plans and submissions of SaaS, container and VM offers from Product Ingestion', async () => {
    for (const offer of [CONTOSO_SAAS, CONTOSO_CONTAINER, CONTOSO_VM]) {
      const shown = await run({ command: 'show', 'offer-id': offer.offerId })
      expect(errorAnnotations(shown)).toEqual([])
      expect(shown.outputs).toMatchObject({ 'product-id': offer.productId, 'offer-type': offer.resourceType })
      expect((JSON.parse(shown.outputs.plans) as unknown[]).length).toBeGreaterThan(0)
    }
    expect(emulator.requests().some(r => r.path.includes('/rp/product-ingestion/plan?'))).toBe(true)
  })

  it('export writes the resource tree, and configure takes it back unchanged', async () => {
    const path = join(dir, 'saas.yaml')
    const exported = await run({ command: 'export', 'offer-id': CONTOSO_SAAS.offerId, 'output-path': path })
    expect(errorAnnotations(exported)).toEqual([])
    expect(exported.outputs['output-path']).toBe(path)
    const body = parseYaml(readFileSync(path, 'utf8')) as {
      $schema: string
      resources: Array<{ $schema: string }>
    }
    expect(body.$schema).toContain('/configure/')
    expect(body.resources.some(r => r.$schema.includes('/product/'))).toBe(true)

    const configured = await run({ command: 'configure', 'config-path': path })
    expect(errorAnnotations(configured)).toEqual([])
    expect(configured.outputs).toMatchObject({ 'job-status': 'completed', 'job-result': 'succeeded' })
    expect(configured.outputs['job-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(JSON.parse(configured.outputs['resource-ids']).length).toBeGreaterThan(0)
  })

  it('a failed job shows every error detail with its resource, in the annotation and the summary', async () => {
    const path = file(
      'orphan.json',
      JSON.stringify([
        {
          $schema: schema('plan'),
          product: 'product/00000000-0000-0000-0000-000000000000',
          identity: { externalId: 'orphan' },
          alias: 'Orphan'
        }
      ])
    )
    const failed = await run({ command: 'configure', 'config-path': path })
    expect(failed.code).toBe(1)
    expect(errorAnnotations(failed)[0]).toContain('resourceNotFound')
    expect(failed.outputs).toMatchObject({ 'job-status': 'completed', 'job-result': 'failed' })
    expect(failed.summary).toContain('resourceNotFound')
  })

  it('a schema error is caught locally with file and line, and nothing is sent', async () => {
    const path = file(
      'bad.json',
      `[\n  {\n    "$schema": "${schema('plan')}",\n    "product": "product/${CONTOSO_SAAS.productId}",\n    "identity": { "externalId": "Not Valid" },\n    "alias": "x"\n  }\n]\n`
    )
    const before = emulator.requests().length
    const failed = await run({ command: 'configure', 'config-path': path })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/::error [^:]*file=[^,]*bad\.json,line=5/)
    expect(failed.stdout).toContain('[0].identity.externalId')
    // Only the sign-in may have happened; no Product Ingestion request at all.
    expect(
      emulator
        .requests()
        .slice(before)
        .filter(r => r.path.includes('/rp/'))
    ).toEqual([])
    expect(writes(emulator)).toEqual([])
  })

  it('publishes the SaaS offer to preview, then live', async () => {
    const preview = await run({ command: 'publish', 'offer-id': CONTOSO_SAAS.offerId, target: 'preview' })
    expect(errorAnnotations(preview)).toEqual([])
    expect(preview.outputs).toMatchObject({ 'job-result': 'succeeded' })
    expect(preview.outputs['submission-id']).toMatch(
      new RegExp(`^submission/${CONTOSO_SAAS.productId}/\\d+$`)
    )

    const live = await run({ command: 'go-live', 'offer-id': CONTOSO_SAAS.offerId })
    expect(errorAnnotations(live)).toEqual([])
    expect(live.outputs['job-result']).toBe('succeeded')

    const status = await run({ command: 'status', 'offer-id': CONTOSO_SAAS.offerId })
    expect(status.code).toBe(0)
    expect(status.summary.toLowerCase()).toContain('live')
  })

  it('list covers offers of both APIs', async () => {
    const listed = await run({ command: 'list' })
    const types = new Set(
      (JSON.parse(listed.outputs.offers) as Array<{ type: string; productId: string }>).map(o => o.type)
    )
    for (const type of [
      'AzureApplication',
      'SoftwareAsAService',
      'AzureContainer',
      'AzureThirdPartyVirtualMachine'
    ])
      expect(types.has(type)).toBe(true)
    expect(listed.outputs.offers).toContain(CONTOSO_APP.productId)
  })
})
