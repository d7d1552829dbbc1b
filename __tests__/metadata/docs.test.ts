// The repository stands on its own: every `docs/partner-center-api.md §N` that code, tests or docs cite
// is a section of that file, and the documents users read point at nothing they do not have (working
// notes outside the repository, its design notes, this project's issue numbers).
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './checks.js'

const API_DOC = readFileSync(join(ROOT, 'docs/partner-center-api.md'), 'utf8')

/** Section numbers of a Markdown text: `## 1. …` gives 1, `### 1.4 …` gives 1.4. */
function sections(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map(m => m[1]))
}

function files(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', '.git', 'bench-results', 'coverage'].includes(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...files(path, keep))
    else if (keep(path)) out.push(path)
  }
  return out
}

/** Each `partner-center-api.md §N` in the texts whose section does not exist. */
function unresolvedCitations(texts: Record<string, string>, known: Set<string>): string[] {
  const problems: string[] = []
  for (const [file, text] of Object.entries(texts)) {
    for (const match of text.matchAll(/partner-center-api\.md §(\d+(?:\.\d+)?)/g)) {
      if (!known.has(match[1])) problems.push(`${file}: §${match[1]} is not a section`)
    }
  }
  return problems
}

/** References to what a user of the repository does not have. */
/** The folder beside a checkout that the repository must never reach, spelt at run time so this file does not. */
const OUTSIDE = ['..', 'shared'].join('/')

const FOREIGN = [
  /\.\.\/shared(?:\/(?:api|DESIGN|peers|style|hooks)\b|\b(?!\/))|\/work\/shared|shared\/api\//,
  /\bDESIGN\.md\b|\bDESIGN §/,
  /\bapi README\b/
]

function foreignReferences(texts: Record<string, string>): string[] {
  const problems: string[] = []
  for (const [file, text] of Object.entries(texts)) {
    text.split('\n').forEach((line, i) => {
      if (FOREIGN.some(pattern => pattern.test(line))) problems.push(`${file}:${i + 1}: ${line.trim()}`)
    })
  }
  return problems
}

const read = (paths: string[]) =>
  Object.fromEntries(paths.map(path => [relative(ROOT, path), readFileSync(path, 'utf8')]))
const SOURCE = /\.(ts|mjs|cjs|js)$/

describe('docs/partner-center-api.md', () => {
  it('has the sections the code cites, numbered as before (§1.1–§1.14, §2.1–§2.9, §3.1–§3.5, §7.1–§7.9)', () => {
    const known = sections(API_DOC)
    const expected = [
      ...Array.from({ length: 14 }, (_, i) => `1.${i + 1}`),
      ...Array.from({ length: 9 }, (_, i) => `2.${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `3.${i + 1}`),
      ...Array.from({ length: 9 }, (_, i) => `7.${i + 1}`),
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9']
    ]
    expect(expected.filter(n => !known.has(n))).toEqual([])
  })

  it('every citation of it in code, tests, scripts and documents names one of its sections', () => {
    const texts = read(
      files(ROOT, path => SOURCE.test(path) || path.endsWith('.md')).filter(
        path => !relative(ROOT, path).startsWith('__tests__/fixtures/') && !path.endsWith('docs.test.ts')
      )
    )
    const citations =
      Object.values(texts)
        .join('\n')
        .match(/partner-center-api\.md §\d/g) ?? []
    expect(citations.length).toBeGreaterThan(20)
    expect(unresolvedCitations(texts, sections(API_DOC))).toEqual([])
  })

  it('the citation check finds a section that does not exist', () => {
    expect(
      unresolvedCitations(
        { 'a.ts': '// see docs/partner-center-api.md §1.4 and §9 and docs/partner-center-api.md §1.15' },
        sections(API_DOC)
      )
    ).toEqual(['a.ts: §1.15 is not a section'])
  })
})

describe('documents, scripts and tests', () => {
  it('refer to nothing outside the repository', () => {
    const texts = read([
      ...[
        'README.md',
        'CONTRIBUTING.md',
        'SECURITY.md',
        'CHANGELOG.md',
        'emulator/README.md',
        'action.yml'
      ].map(name => join(ROOT, name)),
      ...files(join(ROOT, 'docs'), () => true),
      ...files(join(ROOT, 'scripts'), path => SOURCE.test(path)),
      ...files(join(ROOT, 'src'), path => SOURCE.test(path)),
      ...files(join(ROOT, 'emulator'), path => SOURCE.test(path)),
      ...files(join(ROOT, '__tests__'), path => SOURCE.test(path) && !path.endsWith('docs.test.ts'))
    ])
    expect(foreignReferences(texts)).toEqual([])
  })

  it('the check finds such references', () => {
    expect(
      foreignReferences({
        'x.md': `facts in ${OUTSIDE}/api\nas DESIGN.md §2 says\nsee the api README §1.4\nnothing here`
      })
    ).toEqual([
      `x.md:1: facts in ${OUTSIDE}/api`,
      'x.md:2: as DESIGN.md §2 says',
      'x.md:3: see the api README §1.4'
    ])
  })
})
