import { describe, expect, it } from '@jest/globals'
import { parseCnabBundle } from '../../src/artifacts/cnab-bundle.js'
import { InputError } from '../../src/errors.js'
import { readInputs } from '../../src/inputs.js'

const TENANT = '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63'
const SUBSCRIPTION = '537d2130-be25-451e-b3ff-c5b469a13e2d'
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`
const BUNDLE = `contosoregistry.azurecr.io/contoso/kube-app:1.2.3@${DIGEST}`

function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

describe('CNAB bundle references', () => {
  it('splits registry, repository, tag and digest', () => {
    expect(parseCnabBundle('cnab-bundle', BUNDLE)).toEqual({
      registryName: 'contosoregistry',
      repositoryName: 'contoso/kube-app',
      tag: '1.2.3',
      digest: DIGEST
    })
  })

  it('reads the registry name case-insensitively', () => {
    expect(
      parseCnabBundle('cnab-bundle', BUNDLE.replace('contosoregistry', 'ContosoRegistry')).registryName
    ).toBe('contosoregistry')
  })

  it.each([
    ['no registry host', `kube-app:1.2.3@${DIGEST}`, /must start with <registry>.azurecr.io/],
    ['another registry', `docker.io/contoso/kube-app:1.2.3@${DIGEST}`, /not an Azure Container Registry/],
    ['a short registry name', `abc.azurecr.io/kube-app:1.2.3@${DIGEST}`, /5 to 50 letters and digits/],
    ['no digest', 'contosoregistry.azurecr.io/kube-app:1.2.3', /no digest/],
    ['a short digest', 'contosoregistry.azurecr.io/kube-app:1.2.3@sha256:abc', /64 lowercase hex/],
    ['no tag', `contosoregistry.azurecr.io/kube-app@${DIGEST}`, /no tag/],
    [
      'an uppercase repository',
      `contosoregistry.azurecr.io/Kube-App:1.2.3@${DIGEST}`,
      /characters a registry does not allow/
    ]
  ])('refuses %s', (_what, reference, message) => {
    const e = inputError(() => parseCnabBundle('cnab-bundle', reference))
    expect(e.message).toMatch(/^Input 'cnab-bundle': /)
    expect(e.message).toMatch(message)
  })
})

describe('container release inputs', () => {
  const read = (values: Record<string, string>) => {
    const all: Record<string, string> = {
      command: 'publish',
      'tenant-id': TENANT,
      'client-id': '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48',
      'client-secret': 'a-secret-value',
      'offer-id': 'contoso-container',
      'image-type': 'x64Gen2',
      ...values
    }
    return readInputs(name => all[name] ?? '')
  }
  const complete = {
    'cnab-bundle': BUNDLE,
    'cnab-subscription-id': SUBSCRIPTION,
    'cnab-resource-group': 'contoso-images'
  }

  it('defaults the registry tenant to tenant-id', () => {
    expect(read(complete).containerBundle).toEqual({
      bundle: parseCnabBundle('cnab-bundle', BUNDLE),
      tenantId: TENANT,
      subscriptionId: SUBSCRIPTION,
      resourceGroupName: 'contoso-images'
    })
    expect(read(complete).vmImage).toBeUndefined()
  })

  it.each([
    [{ 'cnab-bundle': BUNDLE }, 'cnab-subscription-id', /is required with `cnab-bundle`/],
    [{ ...complete, 'cnab-subscription-id': 'prod' }, 'cnab-subscription-id', /not a subscription ID/],
    [{ ...complete, 'cnab-resource-group': '' }, 'cnab-resource-group', /is required/],
    [{ ...complete, 'cnab-resource-group': 'bad/group' }, 'cnab-resource-group', /not a resource group name/],
    [{ ...complete, 'cnab-tenant-id': 'contoso' }, 'cnab-tenant-id', /not a GUID/],
    [{ ...complete, 'tenant-id': 'contoso.onmicrosoft.com' }, 'cnab-tenant-id', /tenant-id` is a domain/],
    [{ 'cnab-subscription-id': SUBSCRIPTION }, 'cnab-bundle', /is required/],
    [{ ...complete, command: 'go-live' }, 'cnab-bundle', /applies to `command: publish`/]
  ])('%j is refused naming %s', (values, input, message) => {
    const e = inputError(() => read(values as Record<string, string>))
    expect(e.input).toBe(input)
    expect(e.message).toMatch(message)
  })
})
