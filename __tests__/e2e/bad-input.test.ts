import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTOSO_APP } from '../../emulator/seed/default.js'
import { emulatorInputs, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, ROOT, runAction } from '../helpers/run-action.js'

/**
 * Malformed or inconsistent inputs, each through the bundle: a non-zero exit, an `::error` that
 * names the input, and not one write request at the emulator.
 */

const PACKAGE = join(ROOT, 'examples/azure-app-package')
const dir = mkdtempSync(join(tmpdir(), 'bad-input-'))
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
  return path
}
const saasResource = (extra: object) =>
  JSON.stringify([
    {
      $schema: 'https://schema.mp.microsoft.com/schema/reseller/2022-03-01-preview2',
      product: 'product/5eb2df81-7063-41a2-8d34-6f7a8b9cadb5',
      ...extra
    }
  ])

const publish = { command: 'publish', 'offer-id': 'contoso-app', 'package-path': PACKAGE, version: '2.0.0' }

const CASES: Array<[string, Record<string, string>, string]> = [
  ['unknown command', { command: 'deploy' }, 'command'],
  ['empty command', { command: '' }, 'command'],
  ['tenant that is no GUID or domain', { command: 'list', 'tenant-id': 'my tenant' }, 'tenant-id'],
  ['missing tenant', { command: 'list', 'tenant-id': '' }, 'tenant-id'],
  ['client ID that is no GUID', { command: 'list', 'client-id': 'contoso-publisher' }, 'client-id'],
  ['missing client ID', { command: 'list', 'client-id': '' }, 'client-id'],
  [
    'certificate without a private key',
    {
      command: 'list',
      'client-secret': '',
      'client-certificate': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    },
    'client-certificate'
  ],
  [
    'certificate that is garbage',
    { command: 'list', 'client-secret': '', 'client-certificate': 'not a pem' },
    'client-certificate'
  ],
  ['offer ID with spaces', { command: 'show', 'offer-id': 'Contoso App' }, 'offer-id'],
  ['offer ID too long', { command: 'show', 'offer-id': 'a'.repeat(51) }, 'offer-id'],
  ['product ID that is no GUID', { command: 'show', 'product-id': '12345' }, 'product-id'],
  [
    'offer ID and product ID that disagree',
    { command: 'show', 'offer-id': 'contoso-saas', 'product-id': CONTOSO_APP.productId },
    'offer-id'
  ],
  ['show without an offer', { command: 'show' }, 'offer-id'],
  ['unknown offer type', { command: 'list', 'offer-type': 'Spaceship' }, 'offer-type'],
  ['plan ID with upper case', { ...publish, 'plan-id': 'Standard Plan' }, 'plan-id'],
  ['unknown plan', { ...publish, 'plan-id': 'premium' }, 'plan-id'],
  ['version with two parts', { ...publish, version: '1.2' }, 'version'],
  ['version with a suffix', { ...publish, version: '1.2.3-beta' }, 'version'],
  ['version not higher than the live one', { ...publish, version: '1.0.0' }, 'version'],
  ['publish without version or tag', { ...publish, version: '' }, 'version'],
  ['publish without a package', { ...publish, 'package-path': '' }, 'package-path'],
  ['package that does not exist', { ...publish, 'package-path': join(dir, 'missing.zip') }, 'package-path'],
  ['package that is not a zip', { ...publish, 'package-path': file('notes.txt', 'hello') }, 'package-path'],
  [
    'zip that is corrupt',
    { ...publish, 'package-path': file('corrupt.zip', Buffer.from('PK\u0003\u0004 this is not a zip')) },
    'package-path'
  ],
  [
    'folder without mainTemplate.json',
    { ...publish, 'package-path': join(file('no-main/createUiDefinition.json', '{}'), '..') },
    'package-path'
  ],
  [
    'folder with invalid JSON',
    { ...publish, 'package-path': join(file('bad-json/mainTemplate.json', '{ "resources": [ }'), '..') },
    'package-path'
  ],
  [
    'technical configuration that is not YAML',
    { ...publish, 'technical-configuration': file('tc.yaml', 'tenantId: [unclosed') },
    'technical-configuration'
  ],
  [
    'technical configuration with a bad GUID',
    { ...publish, 'technical-configuration': file('tc.json', '{"tenantId":"nope"}') },
    'technical-configuration'
  ],
  [
    'technical configuration file missing',
    { ...publish, 'technical-configuration': join(dir, 'none.yaml') },
    'technical-configuration'
  ],
  ['target that does not exist', { ...publish, target: 'production' }, 'target'],
  ['wait that is not a boolean', { ...publish, wait: 'sometimes' }, 'wait'],
  ['dry-run that is not a boolean', { ...publish, 'dry-run': 'perhaps' }, 'dry-run'],
  ['timeout that is not a number', { ...publish, 'timeout-minutes': 'an hour' }, 'timeout-minutes'],
  ['negative timeout', { ...publish, 'timeout-minutes': '-5' }, 'timeout-minutes'],
  ['unknown on-conflict', { ...publish, 'on-conflict': 'ignore' }, 'on-conflict'],
  [
    'submission ID that is not a number',
    { command: 'status', 'offer-id': 'contoso-app', 'submission-id': 'latest' },
    'submission-id'
  ],
  ['job ID that is no GUID', { command: 'status', 'job-id': '42' }, 'job-id'],
  [
    'http URL to a non-loopback host',
    { command: 'list', 'ingestion-api-url': 'http://api.partner.example.com/v1.0/ingestion' },
    'ingestion-api-url'
  ],
  ['authority host that is not a URL', { command: 'list', 'authority-host': 'login' }, 'authority-host'],
  [
    'URL with credentials',
    { command: 'list', 'product-ingestion-api-url': 'https://user:pass@graph.example.com/rp' },
    'product-ingestion-api-url'
  ],
  ['configure without files', { command: 'configure', 'config-path': '' }, 'config-path'],
  [
    'configure with a file that does not exist',
    { command: 'configure', 'config-path': join(dir, 'nothing-*.yaml') },
    'config-path'
  ],
  [
    'configure with invalid JSON',
    { command: 'configure', 'config-path': file('broken.json', '[{"$schema": ') },
    'config-path'
  ],
  [
    'configure with a schema-invalid resource',
    {
      command: 'configure',
      'config-path': file('invalid.json', saasResource({ resellerChannelState: 'sometimes' }))
    },
    'config-path'
  ],
  [
    'export to an unknown format',
    { command: 'export', 'offer-id': 'contoso-saas', 'output-path': join(dir, 'offer.txt') },
    'output-path'
  ],
  ['export without output path', { command: 'export', 'offer-id': 'contoso-saas' }, 'output-path']
]

// One emulator, reset to its seed before each case: a case that wrote would otherwise break the cases
// after it and hide which one it was.
const emulator = useEmulator()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe(`${CASES.length} bad inputs through the bundle`, () => {
  it.each(CASES)('%s: an ::error naming the input, nothing written', async (_name, inputs, input) => {
    // The files of the cases are in `dir`: it is their workspace, so each case fails for its own reason.
    const run = await runAction({ env: { GITHUB_WORKSPACE: dir }, inputs: emulatorInputs(emulator, inputs) })
    expect(run.code).toBe(1)
    const errors = errorAnnotations(run)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.join('\n')).toContain(`Input '${input}'`)
    expect(writes(emulator)).toEqual([])
  })
})
