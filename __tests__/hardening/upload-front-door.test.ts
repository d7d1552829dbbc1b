import { afterAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTOSO_APP } from '../../emulator/seed/default.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  useEmulator
} from '../helpers/emulator.js'
import { errorAnnotations, findLeaks, runAction } from '../helpers/run-action.js'

// Package upload to a fileSasUri on another host (issue #14, item 4; docs/partner-center-api.md §7.5):
// Partner Center moved upload URLs to Azure Front Door, `https://…azurefd.net/<token>/pkgfile-<id>?<sas>`,
// where one Put Blob works and Put Block did not. The emulator's `front-door-sas` switch hands out
// URLs of that shape on another origin (localhost instead of 127.0.0.1) and refuses Put Block there.

const SCALE = 50
const emulator = useEmulator({ timeScale: SCALE, behaviours: ['front-door-sas'] })
const MiB = 1024 * 1024

const dir = mkdtempSync(join(tmpdir(), 'pcp-front-door-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The example package with an incompressible 80 MiB file beside it: above the old 64 MiB block limit. */
function largePackage(): string {
  const pkg = join(dir, 'package')
  mkdirSync(join(pkg, 'nestedtemplates'), { recursive: true })
  for (const name of ['mainTemplate.json', 'createUiDefinition.json'])
    copyFileSync(join(EXAMPLE_PACKAGE, name), join(pkg, name))
  writeFileSync(join(pkg, 'nestedtemplates', 'payload.bin'), randomBytes(80 * MiB))
  return pkg
}

describe('upload through a Front Door fileSasUri', () => {
  it('publishes an 80 MiB package with one Put Blob to the URL exactly as given', async () => {
    const inputs = emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': largePackage(),
      version: '1.1.0',
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      target: 'draft'
    })
    const run = await runAction({ env: rehearsalEnv(SCALE), inputs, timeoutMs: 180_000 })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Uploaded [^\n]*one request/)
    const uploads = emulator.requests().filter(r => r.method === 'PUT' && /\/pkgfile-/.test(r.path))
    expect(uploads).toHaveLength(1)
    expect(uploads[0].path).toMatch(/^\/[0-9a-f]{24}\/pkgfile-\d+\?/)
    expect(uploads[0].status).toBe(201)
    expect(emulator.requests().filter(r => /comp=block/.test(r.path))).toEqual([])
    expect(findLeaks(run, { inputs })).toEqual([])
  }, 240_000)

  it('the emulator refuses Put Block on a Front Door URL with 400, and takes Put Blob', async () => {
    const post = await fetch(`${emulator.ingestionApiUrl}/products/${CONTOSO_APP.productId}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resourceType: 'AzureApplicationPackage', fileName: 'p.zip' })
    })
    const { fileSasUri } = (await post.json()) as { fileSasUri: string }
    const url = new URL(fileSasUri)
    expect(url.hostname).toBe('localhost')
    expect(url.pathname).toMatch(/^\/[0-9a-f]{24}\/pkgfile-\d+$/)
    const block = await fetch(`${fileSasUri}&comp=block&blockid=${btoa('block-000001')}`, {
      method: 'PUT',
      headers: { 'x-ms-version': '2021-08-06' },
      body: 'abc'
    })
    expect(block.status).toBe(400)
    const blob = await fetch(fileSasUri, {
      method: 'PUT',
      headers: { 'x-ms-version': '2021-08-06', 'x-ms-blob-type': 'BlockBlob' },
      body: 'abc'
    })
    expect(blob.status).toBe(201)
  })
})

async function token(): Promise<string> {
  const inputs = emulatorInputs(emulator)
  const response = await fetch(`${emulator.authorityHost}/${inputs['tenant-id']}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: inputs['client-id'],
      client_secret: inputs['client-secret'],
      scope: 'https://api.partner.microsoft.com/.default'
    })
  })
  return ((await response.json()) as { access_token: string }).access_token
}
