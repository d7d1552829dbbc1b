import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfiguration } from '../../src/commands/product-ingestion/config-files.js'
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

describe('placeholders in configuration files', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'placeholders-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const G = '5eb2df81-7063-41a2-8d34-6f7a8b9cadb5'
  const file = (name: string, externalId: string): string => {
    const path = join(dir, name)
    const plan = {
      $schema: 'https://schema.mp.microsoft.com/schema/plan/2022-03-01-preview2',
      product: `product/${G}`,
      identity: { externalId },
      alias: 'Gold'
    }
    writeFileSync(path, JSON.stringify([plan], null, 2))
    return path
  }

  it('are replaced before the schema checks, so the filled-in value is what gets checked and sent', () => {
    const loaded = loadConfiguration([file('ok.json', 'gold-${{ plan-id }}')], dir, { 'plan-id': 'eu' })
    expect((loaded.resources[0].resource as { identity: unknown }).identity).toEqual({
      externalId: 'gold-eu'
    })
    let caught: unknown
    try {
      loadConfiguration([file('bad.json', 'gold-${{ plan-id }}')], dir, { 'plan-id': 'EU West' })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).problems[0]).toMatchObject({ path: '[0].identity.externalId', line: 6 })
  })

  it('an unknown one is a problem with its file and line, and nothing is loaded', () => {
    let caught: unknown
    try {
      loadConfiguration([file('unknown.json', '${{ build }}')], dir, { version: '1.2.3' })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).problems).toEqual([
      {
        file: expect.stringMatching(/unknown\.json$/),
        line: 6,
        column: expect.any(Number),
        path: '[0].identity.externalId',
        message: 'unknown placeholder ${{ build }}; known here: version'
      }
    ])
  })
})
