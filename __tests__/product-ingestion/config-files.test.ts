import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ConfigError,
  loadConfiguration,
  resourcesToSend
} from '../../src/commands/product-ingestion/config-files.js'
import { InputError } from '../../src/errors.js'
import { expandGlob, globToRegExp } from '../../src/files/glob.js'

const G = '5eb2df81-7063-41a2-8d34-6f7a8b9cadb5'
const S = (type: string, version = '2022-03-01-preview2'): string =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`
const plan = (extra: Record<string, unknown> = {}) => ({
  $schema: S('plan'),
  product: `product/${G}`,
  identity: { externalId: 'gold' },
  alias: 'Gold',
  ...extra
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pi-config-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
  return path
}

function problemsOf(patterns: string[]): ConfigError['problems'] {
  try {
    loadConfiguration(patterns, dir)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('glob', () => {
  it('translates *, ** and ?', () => {
    expect(globToRegExp('**/*.y?ml').test('a/b/c.yaml')).toBe(true)
    expect(globToRegExp('**/*.y?ml').test('c.yml')).toBe(false)
    expect(globToRegExp('**/*.yaml').test('c.yaml')).toBe(true)
    expect(globToRegExp('*.json').test('a/b.json')).toBe(false)
    expect(globToRegExp('plans/**').test('plans/x/y.json')).toBe(true)
  })

  it('expands against the file system, sorted, skipping node_modules', () => {
    write('g/b.json', '[]')
    write('g/a.json', '[]')
    write('g/sub/c.json', '[]')
    write('g/node_modules/d.json', '[]')
    write('g/e.txt', '')
    expect(expandGlob('g/*.json', dir, 'config-path').map(f => f.slice(dir.length + 1))).toEqual([
      'g/a.json',
      'g/b.json'
    ])
    expect(expandGlob('g/**/*.json', dir, 'config-path').map(f => f.slice(dir.length + 1))).toEqual([
      'g/a.json',
      'g/b.json',
      'g/sub/c.json'
    ])
    expect(expandGlob('g/?.json', dir, 'config-path')).toHaveLength(2)
  })
})

describe('loadConfiguration', () => {
  it('reads lists, configure bodies and single resources from JSON and YAML, in order', () => {
    const a = write('ok/a.json', JSON.stringify([plan()]))
    write(
      'ok/b.yaml',
      `$schema: ${S('configure')}\nresources:\n  - $schema: ${S('reseller')}\n    product: product/${G}\n    resellerChannelState: none\n    audiences: []\n`
    )
    write(
      'ok/c.yml',
      `$schema: ${S('listing', '2022-03-01-preview3')}\nproduct: product/${G}\nvalidations: [{ level: warning }]\n`
    )
    const loaded = loadConfiguration([a, 'ok/*.y*ml'], dir)
    expect(loaded.resources.map(r => [r.source.file.replace(/.*ok\//, ''), r.path])).toEqual([
      ['a.json', [0]],
      ['b.yaml', ['resources', 0]],
      ['c.yml', []]
    ])
    // `validations` is read-only: never sent.
    expect(resourcesToSend(loaded.resources)[2]).toEqual({
      $schema: S('listing', '2022-03-01-preview3'),
      product: `product/${G}`
    })
  })

  it('points a JSON schema error at file, JSON path, line and column', () => {
    const path = write(
      'bad/plan.json',
      JSON.stringify(
        { $schema: S('configure'), resources: [plan(), plan({ azureRegions: ['mars'] })] },
        null,
        2
      )
    )
    expect(problemsOf([path])).toEqual([
      {
        file: expect.stringMatching(/bad\/plan\.json$/),
        line: 20,
        column: 9,
        path: 'resources[1].azureRegions[0]',
        message: expect.stringContaining('must be one of: "azureGlobal"')
      }
    ])
  })

  it('points a YAML schema error at its line, and reports every problem of every file', () => {
    write(
      'many/one.yaml',
      [
        '- $schema: ' + S('plan'),
        `  product: product/${G}`,
        '  identity:',
        '    externalId: Gold Plan',
        '  alias: Gold'
      ].join('\n')
    )
    write(
      'many/two.json',
      JSON.stringify([
        { $schema: 'https://example.com/schema/plan/1', alias: 'x' },
        { product: `product/${G}` }
      ])
    )
    const problems = problemsOf(['many/*'])
    expect(problems.map(p => [p.file.replace(/.*many\//, ''), p.line, p.path])).toEqual([
      ['one.yaml', 4, '[0].identity.externalId'],
      ['two.json', 1, '[0].$schema'],
      ['two.json', 1, '[1]']
    ])
    expect(problems[1].message).toContain('is not a Product Ingestion schema URI')
  })

  it('checks structure where no local schema exists: durable IDs, references, resourceName references', () => {
    const path = write(
      'structural.json',
      JSON.stringify(
        [
          { $schema: S('listing', '2022-03-01-preview5'), id: `plan/${G}/x`, product: 'product/NOT-A-GUID' },
          {
            $schema: S('plan-listing', '2022-03-01-preview3'),
            product: { externalID: 'contoso' },
            plan: { resourceName: 'missing' }
          }
        ],
        null,
        2
      )
    )
    const problems = problemsOf([path])
    expect(problems.map(p => `${p.path}: ${p.message}`)).toEqual([
      `[0].product: 'product/NOT-A-GUID' is not a durable ID such as product/<GUID>`,
      `[0].id: 'plan/${G}/x' is the id of a plan, but $schema says this resource is a listing`,
      "[1].product.externalID: must be spelled 'externalId' (lowercase d): the service ignores 'externalID' on writes",
      "[1].plan.resourceName: refers to 'missing', but no resource in this request has that resourceName"
    ])
    expect(problems.every(p => typeof p.line === 'number')).toBe(true)
  })

  it('reports syntax errors with their line', () => {
    const json = write('syntax/a.json', '[\n  {"a": 1,}\n]')
    const yaml = write('syntax/b.yaml', 'a: [1, 2\nb: 3\n')
    const problems = problemsOf([json, yaml])
    expect(problems[0]).toMatchObject({
      line: 2,
      path: '(file)',
      message: expect.stringContaining('not valid JSON')
    })
    expect(problems[1]).toMatchObject({ path: '(file)', message: expect.stringContaining('not valid YAML') })
  })

  it('names the input for missing files, empty globs and empty configurations', () => {
    expect(() => loadConfiguration([], dir)).toThrow(/config-path/)
    expect(() => loadConfiguration(['nope.json'], dir)).toThrow(InputError)
    expect(() => loadConfiguration(['nothing/**/*.json'], dir)).toThrow(/matches no file/)
    write('empty.json', '[]')
    expect(() => loadConfiguration(['empty.json'], dir)).toThrow(/holds? no resources|hold\(s\) no resources/)
  })

  it('the error message lists each problem with file:line', () => {
    const path = write('msg.json', JSON.stringify([plan({ alias: '' })]))
    try {
      loadConfiguration([path], dir)
      throw new Error('no error')
    } catch (error) {
      expect((error as Error).message).toMatch(
        /^Input 'config-path': 1 problem\(s\) in the configuration:\n {2}msg\.json:1:\d+: \[0\]\.alias: must be at least 1 character/
      )
    }
  })
})
