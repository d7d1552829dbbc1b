import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import yauzl from 'yauzl'
import { InputError } from '../../src/errors.js'
import { MAX_PACKAGE_ENTRIES, preparePackage } from '../../src/package/index.js'
import { parseIgnoreRules } from '../../src/package/ignore.js'
import { findClashes } from '../../src/package/validate.js'
import { MAIN_TEMPLATE, forgeEntryCount, patchNames, validFiles, writeZip } from './zip-fixtures.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pcp-confine-test-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function scratch(name: string): string {
  return path.join(root, `${++counter}-${name}`)
}

async function folderOf(files: Record<string, string | Buffer>): Promise<string> {
  const folder = path.join(scratch('folder'), 'app')
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true })
    await writeFile(path.join(folder, file), content)
  }
  return folder
}

async function inputError(packagePath: string, workDir: string, maxEntries?: number): Promise<InputError> {
  const error = await preparePackage(packagePath, { workDir, maxEntries }).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

async function zipNames(zipPath: string): Promise<string[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true })
  const names: string[] = []
  for await (const entry of zip.eachEntry()) names.push(entry.fileName)
  return names
}

describe('symbolic links in a package folder', () => {
  it('refuses a link to a file outside the folder, before writing any zip', async () => {
    const folder = await folderOf(validFiles())
    const secret = path.join(scratch('home'), 'id_rsa')
    await mkdir(path.dirname(secret))
    await writeFile(secret, 'PRIVATE')
    await symlink(secret, path.join(folder, 'nestedtemplates', 'key.txt'))
    const work = scratch('work')
    await mkdir(work)
    const error = await inputError(folder, work)
    expect(error.message).toMatch(/'nestedtemplates\/key.txt' .* symbolic link that leads outside the folder/)
    expect(await readdir(work)).toEqual([])
  })

  it('refuses a relative link that climbs out, and a link to an outside folder', async () => {
    const folder = await folderOf(validFiles())
    await writeFile(path.join(folder, '..', 'outside.txt'), 'x')
    await symlink('../outside.txt', path.join(folder, 'climb.txt'))
    expect((await inputError(folder, root)).message).toMatch(/'climb.txt' .* leads outside the folder/)

    const other = await folderOf(validFiles())
    await symlink(os.tmpdir(), path.join(other, 'tmp'))
    expect((await inputError(other, root)).message).toMatch(/'tmp' .* leads outside the folder/)
  })

  it('refuses a link chain that leaves through a link inside the folder', async () => {
    const folder = await folderOf(validFiles())
    const outside = path.join(scratch('outside'), 'secret.txt')
    await mkdir(path.dirname(outside))
    await writeFile(outside, 'x')
    await symlink(outside, path.join(folder, 'hop1'))
    await symlink(path.join(folder, 'hop1'), path.join(folder, 'hop2'))
    expect((await inputError(folder, root)).message).toMatch(/'hop1' .* leads outside the folder/)
  })

  it('packages the target of a link that stays inside, even when the folder is reached through a link', async () => {
    const folder = await folderOf({ ...validFiles(), 'scripts/install.sh': 'echo hi' })
    await symlink('scripts/install.sh', path.join(folder, 'install.sh'))
    const alias = path.join(scratch('alias'))
    await symlink(folder, alias)
    const prepared = await preparePackage(alias, { workDir: root })
    expect(await zipNames(prepared.filePath)).toContain('install.sh')
    await prepared.cleanup()
  })

  it('refuses a broken link and a link loop', async () => {
    const folder = await folderOf(validFiles())
    await symlink(path.join(folder, 'missing'), path.join(folder, 'broken'))
    expect((await inputError(folder, root)).message).toMatch(/'broken' .* broken link/)

    const loop = await folderOf(validFiles())
    await symlink(path.join(loop, 'b'), path.join(loop, 'a'))
    await symlink(path.join(loop, 'a'), path.join(loop, 'b'))
    expect((await inputError(loop, root)).message).toMatch(/'a' .* broken link/)
  })
})

describe('what a folder package leaves out', () => {
  it('leaves out .git, dotfiles and OS litter, and reports them', async () => {
    const folder = await folderOf({
      ...validFiles(),
      '.git/config': '[remote] url = https://token@example.com',
      '.env': 'SECRET=1',
      '.DS_Store': 'x',
      'nestedtemplates/.DS_Store': 'x',
      'Thumbs.db': 'x',
      '.github/workflows/a.yml': 'on: push'
    })
    const prepared = await preparePackage(folder, { workDir: root })
    expect(await zipNames(prepared.filePath)).toEqual([
      'createUiDefinition.json',
      'mainTemplate.json',
      'nestedtemplates/a.json'
    ])
    expect(prepared.contents.map(e => e.name)).toEqual(await zipNames(prepared.filePath))
    expect(prepared.leftOut).toEqual([
      '.DS_Store',
      '.env',
      '.git/',
      '.github/',
      'Thumbs.db',
      'nestedtemplates/.DS_Store'
    ])
    await prepared.cleanup()
  })

  it('honours .partnercenterignore: names at any depth, anchored paths, folders, negation, comments', async () => {
    const folder = await folderOf({
      ...validFiles(),
      '.partnercenterignore': [
        '# build output',
        '*.log',
        '/tests/',
        'nestedtemplates/*.bak',
        'docs/',
        '!.well-known',
        '!keep.log',
        ''
      ].join('\n'),
      'build.log': 'x',
      'scripts/deep/run.log': 'x',
      'keep.log': 'kept',
      'tests/t.json': '{}',
      'scripts/tests/kept.txt': 'kept (not anchored)',
      'nestedtemplates/old.bak': 'x',
      'old.bak': 'kept (anchored pattern)',
      'docs/readme.md': 'x',
      '.well-known/security.txt': 'kept'
    })
    const prepared = await preparePackage(folder, { workDir: root })
    expect(await zipNames(prepared.filePath)).toEqual([
      '.well-known/security.txt',
      'createUiDefinition.json',
      'keep.log',
      'mainTemplate.json',
      'nestedtemplates/a.json',
      'old.bak',
      'scripts/tests/kept.txt'
    ])
    expect(prepared.leftOut).toEqual([
      '.partnercenterignore',
      'build.log',
      'docs/',
      'nestedtemplates/old.bak',
      'scripts/deep/run.log',
      'tests/'
    ])
    await prepared.cleanup()
  })

  it('never packages .git, even when the ignore file asks for it', () => {
    const rules = parseIgnoreRules('!.git\n!.git/\n!.partnercenterignore\n')
    expect(rules.ignores('.git', true)).toBe(true)
    expect(rules.ignores('sub/.git', true)).toBe(true)
    expect(rules.ignores('.partnercenterignore', false)).toBe(true)
  })

  it('says what was left out when nothing is left to package', async () => {
    const folder = await folderOf({ '.mainTemplate.json': MAIN_TEMPLATE })
    const error = await inputError(folder, root)
    expect(error.message).toMatch(/holds no files to package \(left out: \.mainTemplate\.json\)/)
  })
})

describe('entry and name limits', () => {
  it(`refuses a zip that declares more than ${MAX_PACKAGE_ENTRIES} entries, before listing them`, async () => {
    const zipPath = path.join(scratch('many'), 'app.zip')
    await mkdir(path.dirname(zipPath))
    await writeZip(zipPath, validFiles())
    await forgeEntryCount(zipPath, 60_000)
    const error = await inputError(zipPath, root)
    expect(error.message).toContain(`holds 60000 entries; a package may hold at most ${MAX_PACKAGE_ENTRIES}`)
  })

  it('refuses a folder of more files than allowed, without zipping it', async () => {
    const folder = await folderOf({ ...validFiles(), 'b.txt': '', 'c.txt': '' })
    const work = scratch('work')
    await mkdir(work)
    expect((await inputError(folder, work, 4)).message).toMatch('more than 4 files')
    expect(await readdir(work)).toEqual([])
    const prepared = await preparePackage(folder, { workDir: work, maxEntries: 5 })
    expect(prepared.entries).toBe(5)
    await prepared.cleanup()
  })

  it('refuses template names that differ by case or by ./', async () => {
    const caseZip = path.join(scratch('case'), 'app.zip')
    await mkdir(path.dirname(caseZip))
    await writeZip(caseZip, { ...validFiles(), 'MAINTEMPLATE.json': '{}' })
    expect((await inputError(caseZip, root)).message).toContain(
      "name the same file: 'mainTemplate.json' and 'MAINTEMPLATE.json'"
    )
    // Every group of clashing names is named, each apart from the next.
    const twoZip = path.join(scratch('two'), 'app.zip')
    await mkdir(path.dirname(twoZip))
    await writeZip(twoZip, { ...validFiles(), 'MAINTEMPLATE.json': '{}', 'CreateUIDefinition.json': '{}' })
    expect((await inputError(twoZip, root)).message).toMatch(
      /name the same file: '(createUiDefinition|mainTemplate)\.json' and '(CreateUIDefinition|MAINTEMPLATE)\.json'; '(createUiDefinition|mainTemplate)\.json' and '(CreateUIDefinition|MAINTEMPLATE)\.json'\./
    )

    // yazl refuses './' names; patch a same-length placeholder into one.
    const dotZip = path.join(scratch('dot'), 'app.zip')
    await mkdir(path.dirname(dotZip))
    await writeZip(dotZip, { ...validFiles(), 'xxmainTemplate.json': '{"evil":1}' })
    await patchNames(dotZip, 'xxmainTemplate.json', './mainTemplate.json')
    expect((await inputError(dotZip, root)).message).toContain(
      "name the same file: 'mainTemplate.json' and './mainTemplate.json'"
    )
  })

  it('groups clashing names by their normal form', () => {
    expect(findClashes(['a/b.json', 'a//./B.json', 'c.json', './c.json', 'd.json'])).toEqual([
      ['a/b.json', 'a//./B.json'],
      ['c.json', './c.json']
    ])
    expect(findClashes(['a.json', 'b.json', 'a/a.json'])).toEqual([])
  })
})
