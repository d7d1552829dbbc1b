// The Release workflow's own scripts, run with bash as the runner runs them (`bash -eo pipefail`), in a
// scratch git repository whose `origin` holds release tags: which tags are refused, which release moves
// the major tag and which is marked latest, and which notes it takes from CHANGELOG.md.
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from './checks.js'

interface Step {
  id?: string
  name?: string
  run?: string
  if?: string
}
const WORKFLOW = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } }
  jobs: { release: { steps: Step[] } }
}
const STEPS = WORKFLOW.jobs.release.steps
const script = (name: string): string => {
  const step = STEPS.find(s => s.id === name || s.name === name)
  if (!step?.run) throw new Error(`release.yml has no step '${name}' with a script`)
  return step.run
}

const scratch: string[] = []
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    stdio: 'pipe'
  })

/** A clone whose origin has the given tags, with package.json at `version` and CHANGELOG.md. */
function repository(version: string, remoteTags: string[], changelog = ''): string {
  const base = mkdtempSync(join(tmpdir(), 'release-'))
  scratch.push(base)
  const work = join(base, 'work')
  git(base, 'init', '-q', work)
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'x', version }))
  writeFileSync(join(work, 'CHANGELOG.md'), changelog)
  git(work, 'add', '.')
  git(work, 'commit', '-qm', 'x')
  for (const tag of remoteTags) git(work, 'tag', tag)
  git(base, 'clone', '-q', '--bare', work, join(base, 'origin.git'))
  git(work, 'remote', 'add', 'origin', join(base, 'origin.git'))
  return work
}

interface StepRun {
  code: number | null
  stdout: string
  outputs: Record<string, string>
  notes: string
}

function runStep(name: string, cwd: string, env: Record<string, string>): StepRun {
  const temp = mkdtempSync(join(tmpdir(), 'release-runner-'))
  scratch.push(temp)
  const outputFile = join(temp, 'output')
  writeFileSync(outputFile, '')
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script(name)], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: temp, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: temp, ...env }
  })
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
  )
  let notes = ''
  try {
    notes = readFileSync(join(temp, 'notes.md'), 'utf8')
  } catch {
    // no notes written
  }
  return { code: run.status, stdout: run.stdout, outputs, notes }
}

describe('release.yml: the version step', () => {
  it.each([
    // tag, remote tags besides it, expected outputs
    [
      'v1.2.3',
      ['v1.0.0', 'v1.2.2'],
      { major: 'v1', prerelease: 'false', 'move-major': 'true', latest: 'true' }
    ],
    [
      'v1.1.5',
      ['v1.0.0', 'v1.2.0'],
      { major: 'v1', prerelease: 'false', 'move-major': 'false', latest: 'false' }
    ],
    [
      'v1.10.0',
      ['v1.9.0', 'v1.2.0'],
      { major: 'v1', prerelease: 'false', 'move-major': 'true', latest: 'true' }
    ],
    [
      'v1.3.0',
      ['v1.2.0', 'v2.0.0'],
      { major: 'v1', prerelease: 'false', 'move-major': 'true', latest: 'false' }
    ],
    [
      'v2.0.0',
      ['v1.9.9', 'v10.0.0-rc.1'],
      { major: 'v2', prerelease: 'false', 'move-major': 'true', latest: 'true' }
    ],
    ['v1.2.3-rc.1', ['v1.2.2'], { major: 'v1', prerelease: 'true', 'move-major': 'false', latest: 'false' }],
    ['v3.0.0-beta.2', [], { major: 'v3', prerelease: 'true', 'move-major': 'false', latest: 'false' }]
  ])('%s with %j on the remote', (tag, others, expected) => {
    const version = tag.slice(1)
    const run = runStep('version', repository(version, [...others, tag]), { TAG: tag })
    expect(run.stdout).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({ version, ...expected })
  })

  it.each([
    ['v1.2', '1.2.0', "Tag 'v1.2' is not a version tag"],
    ['1.2.3', '1.2.3', "Tag '1.2.3' is not a version tag"],
    ['v1.2.3.4', '1.2.3', "Tag 'v1.2.3.4' is not a version tag"],
    ['v1.2.3', '1.2.4', "Tag 'v1.2.3' does not match package.json version '1.2.4'"]
  ])('refuses %s (package.json %s)', (tag, packageVersion, message) => {
    const run = runStep('version', repository(packageVersion, []), { TAG: tag })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error::${message}`)
    expect(run.outputs).toEqual({})
  })

  it('is triggered by version tags only', () => {
    expect(WORKFLOW.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+', 'v[0-9]+.[0-9]+.[0-9]+-*'])
  })

  it('moves the major tag only when the version step says so, after the release exists', () => {
    const names = STEPS.map(s => s.name ?? s.run ?? '')
    const move = STEPS.find(s => s.name === 'Move the major tag')!
    expect(move.if).toBe("${{ steps.version.outputs.move-major == 'true' }}")
    expect(names.indexOf('Move the major tag')).toBeGreaterThan(names.indexOf('Create the GitHub release'))
    expect(names.indexOf('Create the GitHub release')).toBeGreaterThan(names.indexOf('npm test'))
  })
})

describe('release.yml: the notes step', () => {
  const CHANGELOG = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '- Not yet.',
    '',
    '## [1.2.0] - 2026-12-01',
    '',
    '### Added',
    '',
    '- Twelve.',
    '',
    '## [1.1.0] - 2026-11-01',
    '',
    '- Eleven.',
    '',
    '[1.2.0]: https://example.com/v1.2.0',
    '[1.1.0]: https://example.com/v1.1.0',
    ''
  ].join('\n')

  it('takes exactly the section of the version', () => {
    const run = runStep('Take the release notes from CHANGELOG.md', repository('1.2.0', [], CHANGELOG), {
      VERSION: '1.2.0',
      PRERELEASE: 'false'
    })
    expect(run.code).toBe(0)
    expect(run.notes).toBe('\n### Added\n\n- Twelve.\n\n')
    const last = runStep('Take the release notes from CHANGELOG.md', repository('1.1.0', [], CHANGELOG), {
      VERSION: '1.1.0',
      PRERELEASE: 'false'
    })
    expect(last.notes).toBe('\n- Eleven.\n\n')
  })

  it('refuses a release whose version has no section; a pre-release gets generated notes', () => {
    const release = runStep('Take the release notes from CHANGELOG.md', repository('1.3.0', [], CHANGELOG), {
      VERSION: '1.3.0',
      PRERELEASE: 'false'
    })
    expect(release.code).toBe(1)
    expect(release.stdout).toContain("::error::CHANGELOG.md has no section '## [1.3.0]'")
    const pre = runStep('Take the release notes from CHANGELOG.md', repository('1.3.0-rc.1', [], CHANGELOG), {
      VERSION: '1.3.0-rc.1',
      PRERELEASE: 'true'
    })
    expect(pre.code).toBe(0)
    expect(pre.notes).toBe('')
  })

  it("extracts the newest section of this repository's CHANGELOG.md", () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')
    const version = /^## \[(\d+\.\d+\.\d+[^\]]*)\]/m.exec(changelog)?.[1]
    expect(version).toBeDefined()
    const run = runStep('Take the release notes from CHANGELOG.md', ROOT, {
      VERSION: version!,
      PRERELEASE: 'false'
    })
    expect(run.code).toBe(0)
    expect(run.notes).toMatch(/^### Added$/m)
    expect(run.notes).not.toMatch(/^## /m)
  })
})
