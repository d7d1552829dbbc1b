import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTOSO_SAAS } from '../../emulator/seed/default.js'
import { EXAMPLE_PACKAGE, emulatorInputs, rehearsalEnv, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction, type ActionRun } from '../helpers/run-action.js'

/**
 * Paths are given absolute: the runner's working folder is the workspace, but runAction runs in a
 * folder of its own (RUNNER_TEMP), and these tests give each run a workspace of its own.
 *
 * Files stay in the workspace: `config-path` globs and `output-path` are refused when they lead
 * outside it (by `..`, an absolute path or a symbolic link), a link loop cannot make a glob walk
 * forever, and parse errors name the place and the kind of error, never the file's text.
 */

const emulator = useEmulator({ timeScale: 1000 })
const dirs: string[] = []
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcp-files-'))
  dirs.push(dir)
  return dir
}

const RESOURCE = JSON.stringify([
  {
    $schema: 'https://schema.mp.microsoft.com/schema/reseller/2022-03-01-preview2',
    product: `product/${CONTOSO_SAAS.productId}`,
    resellerChannelState: 'notSet'
  }
])

function run(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    env: { ...rehearsalEnv(1000), GITHUB_WORKSPACE: workspace },
    inputs: emulatorInputs(emulator, inputs),
    timeoutMs: 60_000
  })
}

function expectRefused(result: ActionRun, input: string, pattern: RegExp): void {
  expect(result.code).toBe(1)
  const errors = errorAnnotations(result)
  expect(errors.join('\n')).toContain(`Input '${input}'`)
  expect(errors.join('\n')).toMatch(pattern)
  expect(writes(emulator)).toEqual([])
}

describe('config-path', () => {
  it('refuses a pattern or a file outside the workspace', async () => {
    const workspace = scratch()
    const outside = scratch()
    writeFileSync(join(outside, 'offer.json'), RESOURCE)
    for (const path of [join(outside, 'offer.json'), join(outside, '*.json'), '../' + '*/offer.json']) {
      expectRefused(
        await run(workspace, { command: 'configure', 'config-path': path }),
        'config-path',
        /leads outside the workspace/
      )
    }
  })

  it('refuses a link in the workspace that leads to a file outside it', async () => {
    const workspace = scratch()
    const outside = scratch()
    writeFileSync(join(outside, 'secret.json'), RESOURCE)
    mkdirSync(join(workspace, 'marketplace'))
    symlinkSync(join(outside, 'secret.json'), join(workspace, 'marketplace', 'offer.json'))
    expectRefused(
      await run(workspace, { command: 'configure', 'config-path': join(workspace, 'marketplace/**/*.json') }),
      'config-path',
      /offer\.json.*leads outside the workspace .*through a symbolic link/
    )
  })

  it('walks a tree with link loops and links to outside folders in bounded time, following neither', async () => {
    const workspace = scratch()
    const outside = scratch()
    writeFileSync(join(outside, 'outside.json'), RESOURCE)
    mkdirSync(join(workspace, 'marketplace', 'a'), { recursive: true })
    // Without the rule, each loop multiplies the paths walked: 2^depth until the path is too long.
    symlinkSync(join(workspace, 'marketplace'), join(workspace, 'marketplace', 'a', 'loop1'))
    symlinkSync(join(workspace, 'marketplace'), join(workspace, 'marketplace', 'a', 'loop2'))
    symlinkSync(outside, join(workspace, 'marketplace', 'elsewhere'))
    const started = Date.now()
    const result = await run(workspace, {
      command: 'configure',
      'config-path': join(workspace, 'marketplace/**/*.json')
    })
    expectRefused(result, 'config-path', /matches no file/)
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})

describe('output-path', () => {
  const exporting = (workspace: string, path: string) =>
    run(workspace, { command: 'export', 'offer-id': CONTOSO_SAAS.offerId, 'output-path': path })

  it('refuses a path outside the workspace before any request', async () => {
    const workspace = scratch()
    const outside = scratch()
    for (const path of [join(outside, 'offer.yaml'), '../offer.yaml']) {
      const result = await exporting(workspace, path)
      expectRefused(result, 'output-path', /leads outside the workspace/)
      expect(emulator.requests().filter(r => !r.path.includes('/oauth2/'))).toEqual([])
    }
    expect(existsSync(join(outside, 'offer.yaml'))).toBe(false)
  })

  it('never writes through a link, to a file or through a folder', async () => {
    const workspace = scratch()
    const outside = scratch()
    writeFileSync(join(outside, 'victim.yaml'), 'untouched')
    symlinkSync(join(outside, 'victim.yaml'), join(workspace, 'offer.yaml'))
    symlinkSync(outside, join(workspace, 'exports'))
    expectRefused(
      await exporting(workspace, join(workspace, 'offer.yaml')),
      'output-path',
      /leads outside the workspace/
    )
    expectRefused(
      await exporting(workspace, join(workspace, 'exports/offer.yaml')),
      'output-path',
      /leads outside the workspace/
    )
    expect(readFileSync(join(outside, 'victim.yaml'), 'utf8')).toBe('untouched')
    expect(existsSync(join(outside, 'offer.yaml'))).toBe(false)

    // A link that stays inside the workspace is refused too: the action writes regular files only.
    writeFileSync(join(workspace, 'real.yaml'), 'x')
    symlinkSync(join(workspace, 'real.yaml'), join(workspace, 'inside-link.yaml'))
    expectRefused(
      await exporting(workspace, join(workspace, 'inside-link.yaml')),
      'output-path',
      /is a symbolic link/
    )
  })

  it('says so when it replaces an existing file', async () => {
    const workspace = scratch()
    writeFileSync(join(workspace, 'offer.json'), 'old')
    const result = await exporting(workspace, join(workspace, 'offer.json'))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Replaced the existing file ${join(workspace, 'offer.json')}.`)
    expect(readFileSync(join(workspace, 'offer.json'), 'utf8')).not.toBe('old')
  })
})

describe('parse errors do not quote the file', () => {
  const SECRET = 'sk_live_DoNotPrintThisValue123'

  it('technical-configuration: position and kind of error, not the text', async () => {
    const workspace = scratch()
    writeFileSync(join(workspace, 'tc.json'), `{\n  "tenantId": "${SECRET}",\n  "authorizations": [,]\n}`)
    writeFileSync(join(workspace, 'tc.yaml'), `tenantId: ${SECRET}\nauthorizations: [\n  "${SECRET}`)
    for (const file of ['tc.json', 'tc.yaml']) {
      const result = await run(workspace, {
        command: 'publish',
        'offer-id': 'contoso-app',
        'package-path': EXAMPLE_PACKAGE,
        version: '2.0.0',
        'technical-configuration': join(workspace, file)
      })
      expectRefused(result, 'technical-configuration', /line \d+|:\d+/)
      expect(everythingWritten(result)).not.toContain(SECRET)
    }
  })

  it('a YAML bomb names the input and the file, and is refused', async () => {
    const workspace = scratch()
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const next = String.fromCharCode(97 + i)
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    writeFileSync(join(workspace, 'bomb.yaml'), bomb.join('\n'))
    const tc = await run(workspace, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': EXAMPLE_PACKAGE,
      version: '2.0.0',
      'technical-configuration': join(workspace, 'bomb.yaml')
    })
    expectRefused(tc, 'technical-configuration', /bomb\.yaml.*aliases/)
    const config = await run(workspace, { command: 'configure', 'config-path': join(workspace, 'bomb.yaml') })
    expectRefused(config, 'config-path', /bomb\.yaml.*aliases|aliases[\s\S]*bomb\.yaml/)
  })
})
