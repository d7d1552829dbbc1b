import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { InputError } from '../src/errors.js'
import { redact } from '../src/http/redact.js'
import { readInputs } from '../src/inputs.js'

const TENANT = '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63'
const CLIENT = '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48'

function inputs(values: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const all: Record<string, string> = {
    command: 'list',
    'tenant-id': TENANT,
    'client-id': CLIENT,
    'client-secret': 'a-secret-value',
    ...values
  }
  return readInputs(name => all[name] ?? '', env)
}

function inputError(values: Record<string, string>, env: NodeJS.ProcessEnv = {}): InputError {
  try {
    inputs(values, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('placeholders in configure files', () => {
  const offer = {
    'offer-id': 'contoso-vm',
    'product-id': '0f6d8a3c-2b1e-4c5d-9e8f-1a2b3c4d5e60',
    'plan-id': 'standard'
  }
  const release = {
    gallery: {
      'image-type': 'x64Gen1',
      'gallery-image-id':
        '/subscriptions/5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.2.3',
      'gallery-tenant-id': TENANT
    },
    disks: {
      'image-version': '1.2.4',
      'os-disk-uri': 'https://contoso.blob.core.windows.net/vhds/os.vhd?sp=r&se=2099-01-01T00:00:00Z&sig=abc',
      'data-disk-uris':
        'https://contoso.blob.core.windows.net/vhds/data0.vhd?sp=r&se=2099-01-01T00:00:00Z&sig=def'
    },
    container: {
      'cnab-bundle': 'contoso.azurecr.io/app:1.2.3',
      'cnab-subscription-id': CLIENT,
      'cnab-resource-group': 'rg-images',
      'cnab-tenant-id': TENANT
    }
  }

  it.each(Object.keys(release) as Array<keyof typeof release>)(
    'stand for the version, the tag and each input that describes the release (%s), never a credential',
    kind => {
      const parsed = inputs(
        { command: 'configure', version: '1.2.3', ...offer, ...release[kind] },
        { GITHUB_REF: 'refs/tags/v1.2.3' }
      )
      expect(parsed.placeholders).toEqual({
        version: '1.2.3',
        tag: 'v1.2.3',
        'image-version': '1.2.3',
        'image-type': 'x64Gen2',
        ...offer,
        ...release[kind]
      })
    }
  )
})

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const parsed = inputs({})
    expect(parsed).toMatchObject({
      command: 'list',
      credential: { kind: 'secret', secret: 'a-secret-value' },
      target: 'preview',
      wait: true,
      timeoutMinutes: 60,
      onConflict: 'fail',
      dryRun: false,
      planIds: [],
      authorityHost: 'https://login.microsoftonline.com',
      ingestionApiUrl: 'https://api.partner.microsoft.com/v1.0/ingestion',
      productIngestionApiUrl: 'https://graph.microsoft.com/rp/product-ingestion'
    })
  })

  it.each([
    [{ command: '' }, 'command', 'is required'],
    [{ command: 'deploy' }, 'command', 'list, show, publish, go-live, status, cancel, configure, export'],
    [{ 'tenant-id': '' }, 'tenant-id', 'is required'],
    [{ 'tenant-id': 'not a tenant' }, 'tenant-id', 'neither a GUID nor a domain'],
    [{ 'client-id': 'contoso' }, 'client-id', 'is not a GUID'],
    [{ 'offer-id': 'Contoso App' }, 'offer-id', 'lowercase letters'],
    [{ 'product-id': '1234' }, 'product-id', 'is not a GUID'],
    [{ 'offer-type': 'spaceship' }, 'offer-type', 'AzureApplication'],
    [{ 'plan-id': 'ok-plan, BAD PLAN' }, 'plan-id', "'BAD PLAN'"],
    [{ version: '1.2' }, 'version', 'major.minor.patch'],
    [{ target: 'production' }, 'target', 'draft, preview, live'],
    [{ wait: 'maybe' }, 'wait', "'true' or 'false'"],
    [{ 'dry-run': 'y' }, 'dry-run', "'true' or 'false'"],
    [{ 'timeout-minutes': 'ten' }, 'timeout-minutes', 'number of minutes'],
    [{ 'timeout-minutes': '0' }, 'timeout-minutes', 'number of minutes'],
    [{ 'on-conflict': 'ignore' }, 'on-conflict', 'fail, cancel'],
    [{ 'submission-id': 'abc' }, 'submission-id', 'not a submission ID'],
    [{ 'job-id': 'abc' }, 'job-id', 'not a configure job ID'],
    [{ 'ingestion-api-url': 'http://partner.example.com/v1.0/ingestion' }, 'ingestion-api-url', 'not https'],
    [{ 'authority-host': 'ftp://login' }, 'authority-host', 'not https'],
    [{ 'product-ingestion-api-url': 'not a url' }, 'product-ingestion-api-url', 'not a valid URL'],
    [{ 'authority-host': 'https://user:pw@login.example.com' }, 'authority-host', 'credentials'],
    [{ 'client-secret': '', 'client-certificate': 'garbage' }, 'client-certificate', 'no private key']
  ])('refuses %j naming %s', (values, input, text) => {
    const error = inputError(values as Record<string, string>)
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
    expect(error.message).toContain(text)
  })

  it('reads seller-id as a positive number and refuses anything else, naming the input', () => {
    expect(inputs({}).sellerId).toBeUndefined()
    expect(inputs({ 'seller-id': '1234567' }).sellerId).toBe('1234567')
    expect(inputs({ 'seller-id': ' 0042 ' }).sellerId).toBe('42')
    for (const bad of ['0', '-1', '12.5', 'abc', '+5', '1e6', '1234567890123456789']) {
      const error = inputError({ 'seller-id': bad })
      expect(error.input).toBe('seller-id')
      expect(error.message).toContain(`'${bad}' is not a seller ID`)
    }
  })

  it('accepts http only for loopback hosts', () => {
    for (const host of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) {
      expect(inputs({ 'authority-host': host }).authorityHost).toBe(host)
    }
  })

  it('takes the version from the tag when not given, and the input over the tag', () => {
    expect(inputs({}, { GITHUB_REF: 'refs/tags/v1.2.3' })).toMatchObject({
      version: '1.2.3',
      versionSource: 'tag'
    })
    expect(inputs({ version: 'v2.0.1' }, { GITHUB_REF: 'refs/tags/v1.2.3' })).toMatchObject({
      version: '2.0.1',
      versionSource: 'input'
    })
    expect(inputs({}, { GITHUB_REF: 'refs/heads/main' })).toMatchObject({
      version: undefined,
      versionSource: 'none'
    })
    expect(inputs({}, { GITHUB_REF: 'refs/tags/release-candidate' })).toMatchObject({
      versionSource: 'none',
      unusableTag: 'release-candidate'
    })
  })

  it('takes a version from a tag without the v prefix, and none from a pre-release or build tag', () => {
    expect(inputs({}, { GITHUB_REF: 'refs/tags/1.2.3' })).toMatchObject({
      version: '1.2.3',
      versionSource: 'tag'
    })
    expect(inputs({}, { GITHUB_REF: 'refs/tags/V10.0.7' })).toMatchObject({ version: '10.0.7' })
    for (const tag of ['v1.2.3-beta.1', '1.2.3+build.5', 'v01.2.3', 'v1.2', 'v1.2.3.4']) {
      expect(inputs({}, { GITHUB_REF: `refs/tags/${tag}` })).toMatchObject({
        version: undefined,
        versionSource: 'none',
        unusableTag: tag
      })
    }
  })

  it('refuses a pre-release `version`, saying what Partner Center accepts', () => {
    const error = inputError({ version: '1.2.3-rc.1' })
    expect(error.message).toBe(
      "Input 'version': '1.2.3-rc.1' is not a Partner Center version: that is major.minor.patch (e.g. 1.2.3), without a pre-release or build suffix, or major.minor.build.revision for a Business Central app."
    )
  })

  it('a certificate given as client-certificate is removed whole from anything printed', () => {
    const pem = readFileSync(new URL('./fixtures/certificates/valid.pem', import.meta.url), 'utf8').trim()
    inputs({ 'client-secret': '', 'client-certificate': pem })
    expect(redact(`the input was:\n${pem}\n(end)`)).toBe('the input was:\n***\n(end)')
  })

  it('refuses an offer alias or a display name for offer-id, pointing at the Offer ID or product-id', () => {
    const error = inputError({ command: 'show', 'offer-id': 'Contoso App' })
    expect(error.message).toBe(
      "Input 'offer-id': 'Contoso App' is not an offer ID: 3 to 50 lowercase letters, digits, '-' or '_'."
    )
    expect(error.hint).toBe('Use the Offer ID shown in Partner Center, or `product-id` for the product GUID.')
  })

  it('waits by default for publish and go-live, not for status (a scheduled check reports at once)', () => {
    expect(inputs({ command: 'publish' }).wait).toBe(true)
    expect(inputs({ command: 'go-live' }).wait).toBe(true)
    expect(inputs({ command: 'status' }).wait).toBe(false)
    expect(inputs({ command: 'status', wait: 'true' }).wait).toBe(true)
    expect(inputs({ command: 'publish', wait: 'false' }).wait).toBe(false)
  })

  it('allows waits of up to 7 days (a Product Ingestion job), not more', () => {
    expect(inputs({ 'timeout-minutes': '10080' }).timeoutMinutes).toBe(10_080)
    expect(inputError({ 'timeout-minutes': '10081' }).message).toContain('between 0 and 10080 (7 days)')
  })

  it('chooses the credential: secret, else certificate, else OIDC with the audience', () => {
    expect(inputs({ 'client-secret': '', audience: '' }).credential).toEqual({
      kind: 'oidc',
      audience: 'api://AzureADTokenExchange'
    })
    expect(inputs({ 'client-secret': '', audience: 'api://custom' }).credential).toEqual({
      kind: 'oidc',
      audience: 'api://custom'
    })
    expect(inputs({ 'client-secret': '  padded-secret\n' }).credential).toEqual({
      kind: 'secret',
      secret: 'padded-secret'
    })
  })

  it('splits plan IDs on commas and newlines, dropping blanks and duplicates', () => {
    expect(inputs({ 'plan-id': 'standard, managed\n\nstandard\n premium ' }).planIds).toEqual([
      'standard',
      'managed',
      'premium'
    ])
  })

  it('normalises offer types from any of their names', () => {
    expect(inputs({ 'offer-type': 'saas' }).offerType).toBe('SoftwareAsAService')
    expect(inputs({ 'offer-type': 'azureapplication' }).offerType).toBe('AzureApplication')
    expect(inputs({ 'offer-type': 'azureVirtualMachine' }).offerType).toBe('AzureThirdPartyVirtualMachine')
  })

  it('accepts a tenant domain and upper-case command', () => {
    expect(inputs({ 'tenant-id': 'contoso.onmicrosoft.com', command: 'SHOW' })).toMatchObject({
      tenantId: 'contoso.onmicrosoft.com',
      command: 'show'
    })
  })
})
