import { afterAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_PACKAGE_ENTRIES } from '../../src/package/index.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  useEmulator,
  writes
} from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, type ActionRun } from '../helpers/run-action.js'
import { forgeEntryCount, patchNames, validFiles, writeZip } from '../package/zip-fixtures.js'

/**
 * Hostile package folders and zips through the bundle: each is refused with one error naming
 * `package-path`, before anything is written to Partner Center, and nothing outside the folder is
 * read into the upload.
 */

const emulator = useEmulator({ timeScale: 50 })
const dirs: string[] = []
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcp-hostile-'))
  dirs.push(dir)
  return dir
}

/** A copy of the example package in a fresh folder, with `extra` files added. */
function packageFolder(extra: Record<string, string> = {}): string {
  const folder = join(scratch(), 'app')
  cpSync(EXAMPLE_PACKAGE, folder, { recursive: true })
  for (const [name, text] of Object.entries(extra)) {
    mkdirSync(join(folder, name, '..'), { recursive: true })
    writeFileSync(join(folder, name), text)
  }
  return folder
}

function publish(packagePath: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    env: rehearsalEnv(50),
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': packagePath,
      version: '1.1.0',
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      target: 'draft',
      ...extra
    })
  })
}

function expectRefused(run: ActionRun, pattern: RegExp): void {
  expect(run.code).toBe(1)
  const errors = errorAnnotations(run)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(/package-path/)
  expect(errors[0]).toMatch(pattern)
  expect(writes(emulator)).toEqual([])
}

describe('a package folder stays a package folder', () => {
  it('refuses a link to a file outside the folder, and never reads the file', async () => {
    const outside = join(scratch(), 'credentials')
    writeFileSync(outside, 'OUTSIDE-SECRET-CONTENT')
    const folder = packageFolder()
    symlinkSync(outside, join(folder, 'notes.txt'))
    const run = await publish(folder)
    expectRefused(run, /'notes.txt' .*symbolic link that leads outside the folder/)
    expect(everythingWritten(run)).not.toContain('OUTSIDE-SECRET-CONTENT')
  })

  it('refuses a link to a folder outside (a home directory, the runner temp)', async () => {
    const folder = packageFolder()
    symlinkSync(tmpdir(), join(folder, 'nestedtemplates'))
    expectRefused(await publish(folder), /'nestedtemplates' .*leads outside the folder/)
  })

  it('leaves .git, dotfiles, OS litter and ignored names out of the package zip', async () => {
    const folder = packageFolder({
      '.git/config': '[remote "origin"]\n  url = https://x-access-token:ghp_example@github.com/o/r',
      '.env': 'API_KEY=example',
      '.DS_Store': 'litter',
      'Thumbs.db': 'litter',
      '.partnercenterignore': 'scratch/\n*.log\n',
      'scratch/notes.md': 'draft',
      'debug.log': 'log',
      'scripts/setup.sh': 'echo setup'
    })
    const run = await publish(folder, { 'dry-run': 'true' })
    expect(run.code).toBe(0)
    expect(writes(emulator)).toEqual([])
    // mainTemplate.json, createUiDefinition.json and scripts/setup.sh: nothing else.
    expect(everythingWritten(run)).toMatch(/app\.zip \(\d+ bytes, 3 entries/)
    expect(everythingWritten(run)).not.toContain('ghp_example')
    // The dry run lists every entry and what was left out, in the log and in the summary.
    expect(run.summary).toContain('### Package contents')
    for (const name of ['mainTemplate.json', 'createUiDefinition.json', 'scripts/setup.sh'])
      expect(run.summary).toContain(`| ${name} |`)
    for (const name of [
      '.DS\\_Store',
      '.env',
      '.git/',
      '.partnercenterignore',
      'Thumbs.db',
      'debug.log',
      'scratch/'
    ])
      expect(run.summary).toContain(`- ${name}\n`)
    expect(run.stdout).toMatch(/^ {2}scripts\/setup\.sh \(10 bytes\)$/m)
    expect(run.stdout).toMatch(/^ {2}left out: \.git\/$/m)
  })
})

describe('a hostile zip is refused before anything is written', () => {
  it(`declaring more than ${MAX_PACKAGE_ENTRIES} entries`, async () => {
    const zipPath = join(scratch(), 'app.zip')
    await writeZip(zipPath, validFiles())
    await forgeEntryCount(zipPath, 65_000)
    expectRefused(await publish(zipPath), /holds 65000 entries; a package may hold at most 10000/)
  })

  it('holding a second mainTemplate.json spelled ./mainTemplate.json', async () => {
    const zipPath = join(scratch(), 'app.zip')
    await writeZip(zipPath, { ...validFiles(), 'xxmainTemplate.json': '{"resources":[]}' })
    await patchNames(zipPath, 'xxmainTemplate.json', './mainTemplate.json')
    expectRefused(await publish(zipPath), /'mainTemplate.json' and '.\/mainTemplate.json'/)
  })

  it('holding a second template that differs only in case', async () => {
    const zipPath = join(scratch(), 'app.zip')
    await writeZip(zipPath, { ...validFiles(), 'CreateUIDefinition.json': '{}' })
    expectRefused(await publish(zipPath), /'createUiDefinition.json' and 'CreateUIDefinition.json'/)
  })
})
