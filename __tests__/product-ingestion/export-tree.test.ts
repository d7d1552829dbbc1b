import { describe, expect, it } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { InputError } from '../../src/errors.js'
import {
  exportFormat,
  serialize,
  sortKeys,
  toConfigureBody
} from '../../src/commands/product-ingestion/export-tree.js'
import type { PiResource } from '../../src/product-ingestion/types.js'

const S = (type: string, version = '2022-03-01-preview2'): string =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`
const G = '5eb2df81-7063-41a2-8d34-6f7a8b9cadb5'

const tree: PiResource[] = [
  {
    $schema: S('plan'),
    id: `plan/${G}/b`,
    product: `product/${G}`,
    alias: 'B',
    identity: { externalId: 'b' },
    validations: [{ level: 'warning' }]
  },
  {
    product: `product/${G}`,
    $schema: S('submission'),
    id: `submission/${G}/12`,
    target: { targetType: 'preview' },
    status: 'completed',
    result: 'succeeded'
  },
  {
    id: `product/${G}`,
    $schema: S('product'),
    type: 'softwareAsAService',
    alias: 'P',
    identity: { externalId: 'p' }
  },
  {
    $schema: S('plan'),
    id: `plan/${G}/a`,
    alias: 'A',
    product: `product/${G}`,
    identity: { externalId: 'a' }
  },
  {
    $schema: S('listing', '2022-03-01-preview3'),
    id: `listing/${G}/public/main/default/en-us`,
    product: `product/${G}`,
    title: 'T',
    contacts: [{ z: 1, a: 2 }]
  }
]

describe('toConfigureBody', () => {
  it('sorts resources by type then id, keys $schema, id, then alphabetically, and drops read-only parts', () => {
    const body = toConfigureBody(tree)
    expect(body.$schema).toBe(S('configure'))
    expect(body.resources.map(r => r.id)).toEqual([
      `listing/${G}/public/main/default/en-us`,
      `plan/${G}/a`,
      `plan/${G}/b`,
      `product/${G}`
    ])
    expect(body.resources.map(r => Object.keys(r))).toEqual([
      ['$schema', 'id', 'contacts', 'product', 'title'],
      ['$schema', 'id', 'alias', 'identity', 'product'],
      ['$schema', 'id', 'alias', 'identity', 'product'],
      ['$schema', 'id', 'alias', 'identity', 'type']
    ])
    expect(Object.keys((body.resources[0].contacts as object[])[0])).toEqual(['a', 'z'])
  })

  it('is independent of the order the service answers in', () => {
    expect(serialize(toConfigureBody([...tree].reverse()), 'json')).toBe(
      serialize(toConfigureBody(tree), 'json')
    )
    expect(serialize(toConfigureBody([...tree].reverse()), 'yaml')).toBe(
      serialize(toConfigureBody(tree), 'yaml')
    )
  })

  it('serialises JSON and YAML that read back to the same body', () => {
    const body = toConfigureBody(tree)
    expect(JSON.parse(serialize(body, 'json'))).toEqual(body)
    const yaml = serialize(body, 'yaml')
    expect(yaml.startsWith(`$schema: ${S('configure')}\nresources:\n  - $schema:`)).toBe(true)
    expect(parseYaml(yaml)).toEqual(body)
  })

  it('keeps array order (it carries meaning) while sorting keys inside', () => {
    expect(sortKeys([{ b: 1, a: 2 }, 3])).toEqual([{ a: 2, b: 1 }, 3])
  })
})

describe('exportFormat', () => {
  it('chooses the format by extension and names output-path otherwise', () => {
    expect(exportFormat('a/offer.JSON')).toBe('json')
    expect(exportFormat('offer.yml')).toBe('yaml')
    expect(exportFormat('offer.yaml')).toBe('yaml')
    expect(() => exportFormat('offer.txt')).toThrow(InputError)
    expect(() => exportFormat(undefined)).toThrow(/output-path/)
  })
})
