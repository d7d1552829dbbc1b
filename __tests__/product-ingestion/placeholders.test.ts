import { describe, expect, it } from '@jest/globals'
import { substitutePlaceholders } from '../../src/commands/product-ingestion/placeholders.js'

const VALUES = {
  version: '1.2.3',
  tag: 'v1.2.3',
  'image-version': '1.2.3',
  'os-disk-uri': 'https://a/b.vhd?sp=r&sig=x'
}

describe('placeholders in resource files', () => {
  it('replaces placeholders inside string values, anywhere in the tree, and leaves other values alone', () => {
    const result = substitutePlaceholders(
      {
        $schema:
          'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview2',
        vmImageVersions: [
          {
            versionNumber: '${{ version }}',
            vmImages: [
              {
                imageType: 'x64Gen2',
                source: { sourceType: 'sasUri', osDisk: { uri: '${{inputs.os-disk-uri}}' } }
              }
            ]
          }
        ],
        description: 'Release ${{ tag }} (image ${{ IMAGE-VERSION }})',
        displayRank: 3,
        enabled: true,
        nothing: null
      },
      VALUES
    )
    expect(result.problems).toEqual([])
    expect(result.value).toEqual({
      $schema:
        'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview2',
      vmImageVersions: [
        {
          versionNumber: '1.2.3',
          vmImages: [
            { imageType: 'x64Gen2', source: { sourceType: 'sasUri', osDisk: { uri: VALUES['os-disk-uri'] } } }
          ]
        }
      ],
      description: 'Release v1.2.3 (image 1.2.3)',
      displayRank: 3,
      enabled: true,
      nothing: null
    })
    expect([...result.used].sort()).toEqual(['image-version', 'os-disk-uri', 'tag', 'version'])
  })

  it('a version stays a string even where YAML would read 1.2 as a number', () => {
    expect(substitutePlaceholders(['${{ version }}'], { version: '1.2' }).value).toEqual(['1.2'])
  })

  it('reports an unknown placeholder at the path of its value, with the names it knows', () => {
    const result = substitutePlaceholders({ resources: [{ plan: { name: 'x ${{ verison }}' } }] }, VALUES)
    expect(result.problems).toEqual([
      {
        path: ['resources', 0, 'plan', 'name'],
        message: 'unknown placeholder ${{ verison }}; known here: image-version, os-disk-uri, tag, version'
      }
    ])
  })

  it('reports a malformed placeholder', () => {
    const result = substitutePlaceholders(['${{ version }', '${{ 1x }}'], VALUES)
    expect(result.problems.map(p => p.path)).toEqual([[0], [1]])
    expect(result.problems[0].message).toMatch(/^malformed placeholder '\$\{\{ version \}'/)
  })

  it('says so when there is nothing to stand for', () => {
    expect(substitutePlaceholders('${{ tag }}', {}).problems[0].message).toContain(
      '(none: no tag, version or release input was given)'
    )
  })

  it('text without placeholders comes back equal, including GitHub-like text that is not one', () => {
    const value = { a: 'price ${ 5 }', b: ['$', '{{ x }}'] }
    expect(substitutePlaceholders(value, VALUES)).toEqual({ value, problems: [], used: new Set() })
  })
})
