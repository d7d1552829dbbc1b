// .github/: every workflow passes GitHub's own parser; the steps that run this action (uses: ./) give
// only declared inputs and read only declared outputs; permissions are explicit and actions pinned to a
// major version; Dependabot keeps TypeScript below 7.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  actionInterface,
  checkOutputReferences,
  checkRunExpressions,
  checkWithKeys,
  githubParse,
  ROOT
} from './checks.js'

const ACTION = actionInterface(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
const DIR = join(ROOT, '.github/workflows')
const WORKFLOWS = Object.fromEntries(
  readdirSync(DIR)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => [name, readFileSync(join(DIR, name), 'utf8')])
)

describe('workflows', () => {
  it('are the expected ones', () => {
    expect(Object.keys(WORKFLOWS)).toEqual(
      expect.arrayContaining(['check-dist.yml', 'ci.yml', 'codeql.yml', 'release.yml', 'self-test.yml'])
    )
  })

  it("pass GitHub's parser with no error", () => {
    const errors = githubParse(
      Object.entries(WORKFLOWS).map(([name, content]) => ({ kind: 'workflow', name, content }))
    )
    expect(errors).toEqual(Object.fromEntries(Object.keys(WORKFLOWS).map(name => [name, []])))
  })

  it("GitHub's parser does find errors in broken workflows", () => {
    const ci = WORKFLOWS['ci.yml']
    const broken = {
      'unknown-key.yml': ci.replace('runs-on:', 'runs_on:'),
      'bad-expression.yml': ci.replace('${{ matrix.node }}', '${{ matrix.node }'),
      'bad-context.yml': ci.replace('contents: read', 'contents: read\nenv:\n  X: ${{ steps.a.outputs.b }}'),
      'bad-permission.yml': ci.replace('contents: read', 'contents: maybe'),
      'bad-cron.yml': WORKFLOWS['codeql.yml'].replace("'27 4 * * 1'", "'every monday'"),
      'no-on.yml': ci.replace(/^on:[\s\S]*?^permissions:/m, 'permissions:')
    }
    for (const [name, content] of Object.entries(broken)) expect([name, content]).not.toEqual([name, ci])
    const errors = githubParse(
      Object.entries(broken).map(([name, content]) => ({ kind: 'workflow', name, content }))
    )
    for (const name of Object.keys(broken)) expect([name, errors[name].length > 0]).toEqual([name, true])
    expect(errors['unknown-key.yml'].join('\n')).toMatch(/runs_on/)
  })

  it('give this action only declared inputs, and every required one', () => {
    const problems = Object.entries(WORKFLOWS).flatMap(([name, text]) => checkWithKeys(text, ACTION, name))
    expect(problems).toEqual([])
  })

  it('read only declared outputs of this action, from steps that exist', () => {
    const problems = Object.entries(WORKFLOWS).flatMap(([name, text]) =>
      checkOutputReferences(text, ACTION, name)
    )
    expect(problems).toEqual([])
  })

  it('pass outputs, event data and inputs to run: scripts through env:, never as expressions in them', () => {
    const problems = Object.entries(WORKFLOWS).flatMap(([name, text]) => checkRunExpressions(text, name))
    expect(problems).toEqual([])
    const selfTest = WORKFLOWS['self-test.yml']
    const pasted = selfTest.replace(
      /^(\s+)run: \|\n/m,
      '$1run: |\n$1  echo "${{ steps.list.outputs.offers }}"\n'
    )
    expect(pasted).not.toBe(selfTest)
    expect(checkRunExpressions(pasted, 'self-test.yml')).toEqual([
      expect.stringContaining('${{ steps.list.outputs.offers }} inside run:')
    ])
  })

  it('the input and output checks catch typos', () => {
    const selfTest = WORKFLOWS['self-test.yml']
    const typos = selfTest
      .replace('offer-id: contoso-app', 'offer-idd: contoso-app')
      .replace('command: list', 'comand: list')
      .replace('steps.show.outputs.offer-type', 'steps.show.outputs.offer-kind')
      .replace('steps.publish.outputs.version', 'steps.publsh.outputs.version')
    expect(checkWithKeys(typos, ACTION, 'self-test.yml')).toEqual([
      "self-test.yml: job 'emulator' step list (./): with: 'comand' is not an input of action.yml",
      "self-test.yml: job 'emulator' step list (./): required input 'command' is missing",
      "self-test.yml: job 'emulator' step show (./): with: 'offer-idd' is not an input of action.yml"
    ])
    expect(checkOutputReferences(typos, ACTION, 'self-test.yml')).toEqual([
      "self-test.yml: steps.show.outputs.offer-kind: 'offer-kind' is not an output of action.yml",
      "self-test.yml: steps.publsh.outputs.version: no step has the id 'publsh'"
    ])
  })

  it('self-test runs every command it claims to against the emulator, and checks the outputs', () => {
    const workflow = parse(WORKFLOWS['self-test.yml']) as {
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }> }>
    }
    const steps = Object.values(workflow.jobs).flatMap(job => job.steps)
    const commands = steps.filter(step => step.uses === './').map(step => step.with?.command)
    expect(commands).toEqual(['list', 'show', 'publish', 'go-live', 'configure'])
    const start = steps.find(step => step.run?.includes('emulator/dist/index.js'))?.run ?? ''
    expect(start).toContain('node emulator/dist/index.js --port 4010 --time-scale 60 --quiet')
    expect(start).toMatch(/curl -sf "?\$EMULATOR_URL\/_emulator\/health/)
    for (const step of steps.filter(s => s.uses === './')) {
      for (const path of [
        step.with?.['config-path'],
        step.with?.['package-path'],
        step.with?.['technical-configuration']
      ]) {
        if (path !== undefined) expect([path, existsSync(join(ROOT, path))]).toEqual([path, true])
      }
    }
  })

  it('declare minimal permissions and pin every action to a major version', () => {
    for (const [name, text] of Object.entries(WORKFLOWS)) {
      const workflow = parse(text) as {
        permissions?: unknown
        jobs: Record<string, { steps?: Array<{ uses?: string }> }>
      }
      expect([name, workflow.permissions]).toEqual([name, { contents: 'read' }])
      for (const step of Object.values(workflow.jobs).flatMap(job => job.steps ?? [])) {
        if (step.uses !== undefined)
          expect([name, step.uses]).toEqual([name, expect.stringMatching(/^(\.\/|[\w.-]+\/[\w./-]+@v\d+)$/)])
      }
    }
  })
})

describe('dependabot', () => {
  const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
    version: number
    updates: Array<{
      'package-ecosystem': string
      schedule: { interval: string }
      ignore?: Array<Record<string, unknown>>
    }>
  }

  it('updates npm and github-actions weekly, keeping TypeScript below 7', () => {
    expect(config.version).toBe(2)
    expect(config.updates.map(u => [u['package-ecosystem'], u.schedule.interval])).toEqual([
      ['npm', 'weekly'],
      ['github-actions', 'weekly']
    ])
    const npm = config.updates.find(u => u['package-ecosystem'] === 'npm')
    expect(npm?.ignore).toContainEqual({ 'dependency-name': 'typescript', versions: ['>= 7'] })
  })
})
