import { describe, expect, it } from '@jest/globals'
import { parseGalleryImageId } from '../../src/artifacts/gallery-image.js'
import { parseDiskSasUri, sasSignatureValues } from '../../src/artifacts/sas-uri.js'
import { InputError } from '../../src/errors.js'
import { redact } from '../../src/http/redact.js'
import { readInputs } from '../../src/inputs.js'

const TENANT = '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63'
const NOW = new Date('2026-12-01T12:00:00Z')
const SIG = 'q8Zx%2Bk3L0vWm9aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0%3D'
const disk = (query: string, base = 'https://contosoimages.blob.core.windows.net/vhds/os-1.2.3.vhd') =>
  `${base}?${query}`
const GOOD = disk(`sv=2022-11-02&sr=b&sp=rl&se=2027-01-31T00:00:00Z&sig=${SIG}`)
const GALLERY =
  '/subscriptions/537d2130-be25-451e-b3ff-c5b469a13e2d/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso_gallery/images/contoso-vm/versions/1.2.3'

function error(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

describe('disk SAS URIs', () => {
  it('accepts an https URI with read permission that has not expired', () => {
    const sas = parseDiskSasUri('os-disk-uri', GOOD, NOW)
    expect(sas).toMatchObject({
      uri: GOOD,
      display: 'contosoimages.blob.core.windows.net/vhds/os-1.2.3.vhd',
      permissions: 'rl'
    })
    expect(sas.expiresOn.toISOString()).toBe('2027-01-31T00:00:00.000Z')
  })

  it.each([
    ['http', GOOD.replace('https:', 'http:'), /not an https URI \(http\)/],
    [
      'no read permission',
      disk(`sp=wl&se=2027-01-31T00:00:00Z&sig=${SIG}`),
      /grants 'wl' \(sp=\), without read/
    ],
    ['no permissions', disk(`se=2027-01-31T00:00:00Z&sig=${SIG}`), /states no permissions/],
    ['expired', disk(`sp=r&se=2026-11-30T00:00:00Z&sig=${SIG}`), /expired on 2026-11-30T00:00:00.000Z/],
    ['no expiry', disk(`sp=r&sig=${SIG}`), /states no expiry/],
    ['a bad expiry', disk(`sp=r&se=soon&sig=${SIG}`), /not a date: 'soon'/],
    ['no signature', disk('sp=r&se=2027-01-31T00:00:00Z'), /no SAS signature/],
    [
      'no blob',
      `https://contosoimages.blob.core.windows.net/?sp=r&se=2027-01-31T00:00:00Z&sig=${SIG}`,
      /names no blob/
    ],
    ['not a URL', 'contosoimages/vhds/os.vhd', /is not a URL/]
  ])('refuses %s, naming the input and never showing the signature', (_what, uri, message) => {
    const e = error(() => parseDiskSasUri('os-disk-uri', uri, NOW))
    expect(e.message).toMatch(/^Input 'os-disk-uri': /)
    expect(e.message).toMatch(message)
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain(SIG.slice(0, 12))
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain('q8Zx+k3L0')
  })

  it('finds the signature raw and decoded, for masking', () => {
    expect(sasSignatureValues(GOOD)).toEqual([SIG, decodeURIComponent(SIG)])
    expect(sasSignatureValues('https://a/b?sp=r')).toEqual([])
  })
})

describe('gallery image version IDs', () => {
  it('parses the resource ID of an image version', () => {
    expect(parseGalleryImageId('gallery-image-id', GALLERY)).toEqual({
      resourceId: GALLERY,
      subscriptionId: '537d2130-be25-451e-b3ff-c5b469a13e2d',
      resourceGroup: 'contoso-images',
      gallery: 'contoso_gallery',
      image: 'contoso-vm',
      version: '1.2.3'
    })
  })

  it('puts the segment names in Azure casing and drops a trailing slash', () => {
    const id = GALLERY.replace('resourceGroups', 'resourcegroups').replace(
      'Microsoft.Compute',
      'microsoft.compute'
    )
    expect(parseGalleryImageId('gallery-image-id', `${id}/`).resourceId).toBe(GALLERY)
  })

  it.each([
    ['an image definition without a version', GALLERY.replace(/\/versions\/.*$/, '')],
    [
      'a managed image',
      '/subscriptions/537d2130-be25-451e-b3ff-c5b469a13e2d/resourceGroups/rg/providers/Microsoft.Compute/images/contoso'
    ],
    ['a subscription that is not a GUID', GALLERY.replace('537d2130-be25-451e-b3ff-c5b469a13e2d', 'my-sub')],
    ['a version that is not major.minor.patch', GALLERY.replace('/versions/1.2.3', '/versions/latest')],
    ['a resource group ending in a dot', GALLERY.replace('contoso-images', 'contoso.')],
    ['a gallery name with a hyphen', GALLERY.replace('contoso_gallery', 'contoso-gallery')]
  ])('refuses %s', (_what, id) => {
    const e = error(() => parseGalleryImageId('gallery-image-id', id))
    expect(e.message).toMatch(
      /^Input 'gallery-image-id': .* is not the resource ID of a gallery image version/
    )
  })
})

describe('VM release inputs', () => {
  const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
    const all: Record<string, string> = {
      command: 'publish',
      'tenant-id': TENANT,
      'client-id': '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48',
      'client-secret': 'a-secret-value',
      'offer-id': 'contoso-vm',
      'image-type': 'x64Gen2',
      ...values
    }
    return readInputs(name => all[name] ?? '', env)
  }

  it('takes the image version from the tag and the gallery tenant from tenant-id', () => {
    const inputs = read({ 'gallery-image-id': GALLERY }, { GITHUB_REF: 'refs/tags/v1.2.3' })
    expect(inputs.vmImage).toEqual({
      version: '1.2.3',
      imageType: 'x64Gen2',
      source: { kind: 'gallery', image: expect.objectContaining({ resourceId: GALLERY }), tenantId: TENANT }
    })
    expect(inputs.containerBundle).toBeUndefined()
  })

  it('numbers data disks from LUN 0 in the order given', () => {
    const data = [1, 2].map(n => GOOD.replace('os-1.2.3', `data-${n}`))
    const inputs = read({
      'os-disk-uri': GOOD,
      'data-disk-uris': data.join('\n'),
      'image-version': '2.0.0',
      'image-type': 'x64gen1'
    })
    expect(inputs.vmImage?.imageType).toBe('x64Gen1')
    expect(inputs.vmImage?.source).toMatchObject({
      kind: 'sas',
      osDisk: { uri: GOOD },
      dataDisks: [{ uri: data[0] }, { uri: data[1] }]
    })
  })

  it('registers every SAS signature for redaction, even when the input is refused', () => {
    const expired = disk(`sp=r&se=2020-01-01T00:00:00Z&sig=Zm9vYmFyYmF6cXV4c2lnbmF0dXJl`)
    expect(() => read({ 'os-disk-uri': expired, 'image-version': '1.0.0' })).toThrow(/expired/)
    expect(redact('leaked Zm9vYmFyYmF6cXV4c2lnbmF0dXJl here')).toBe('leaked *** here')
  })

  it.each([
    [{ 'gallery-image-id': GALLERY, 'os-disk-uri': GOOD }, 'os-disk-uri', /not both/],
    [{ 'data-disk-uris': GOOD }, 'os-disk-uri', /is required for a new VM image version/],
    [{ 'gallery-image-id': GALLERY, 'data-disk-uris': GOOD }, 'data-disk-uris', /goes with `os-disk-uri`/],
    [
      { 'os-disk-uri': GOOD, 'gallery-tenant-id': TENANT },
      'gallery-tenant-id',
      /goes with `gallery-image-id`/
    ],
    [{ 'gallery-image-id': GALLERY }, 'image-version', /is required/],
    [{ 'gallery-image-id': GALLERY, 'image-version': '1.2' }, 'image-version', /major.minor.patch/],
    [
      { 'gallery-image-id': GALLERY, 'image-version': '1.2.3', 'image-type': 'arm64' },
      'image-type',
      /x64Gen1, x64Gen2/
    ],
    [
      { 'gallery-image-id': GALLERY, 'image-version': '1.2.3', 'gallery-tenant-id': 'contoso' },
      'gallery-tenant-id',
      /not a GUID/
    ],
    [
      { 'gallery-image-id': GALLERY, 'image-version': '1.2.3', 'tenant-id': 'contoso.onmicrosoft.com' },
      'gallery-tenant-id',
      /is required when `tenant-id` is a domain/
    ],
    [
      {
        'os-disk-uri': GOOD,
        'image-version': '1.2.3',
        'data-disk-uris': `${GOOD}\nhttp://x/y.vhd?sp=r&se=2027-01-01&sig=abc`
      },
      'data-disk-uris',
      /line 2 \(LUN 1\): 'x\/y.vhd' is not an https URI/
    ],
    [
      { 'gallery-image-id': GALLERY, 'image-version': '1.2.3', command: 'show' },
      'image-version',
      /applies to `command: publish`/
    ],
    [
      { 'gallery-image-id': GALLERY, 'image-version': '1.2.3', 'cnab-bundle': 'x' },
      'cnab-bundle',
      /cannot be combined with `image-version`|cannot be combined/
    ]
  ])('%j is refused naming %s', (values, input, message) => {
    let caught: unknown
    try {
      read(values as Record<string, string>)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(InputError)
    expect((caught as InputError).input).toBe(input)
    expect((caught as InputError).message).toMatch(message)
  })

  it('ignores the image-type default when nothing asks for a release', () => {
    const inputs = read({ command: 'list' })
    expect(inputs.vmImage).toBeUndefined()
  })
})
