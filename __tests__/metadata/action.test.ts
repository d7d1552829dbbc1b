// action.yml: GitHub's own parser accepts it, our stricter contract holds (descriptions, quoted string
// defaults), and the README's inputs/outputs tables are generated from it. Each check is also run on a
// broken copy, so that none of them can pass by accident.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionInterface, checkInputsAndOutputs, githubParse, ROOT } from './checks.js'

const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8')

const BROKEN_ACTION = `name: 'Broken'
description: 'A broken action.yml'
inputs:
  dry-run:
    description: 'Unquoted boolean default'
    required: 'no'
    default: false
  no-description:
    default: ''
  no-default:
    description: 'Has none'
  double-quoted:
    description: 'Fine: a quoted string'
    default: "60"
outputs:
  bare:
    value: 'x'
runs:
  using: 'node99'
  main: 'dist/index.js'
  steps: []
`

describe("GitHub's parser on action.yml", () => {
  it('finds no error in action.yml', () => {
    expect(githubParse([{ kind: 'action', name: 'action.yml', content: ACTION }])['action.yml']).toEqual([])
  })

  it('does find errors in a broken action.yml (unknown runtime, unknown keys, missing keys, bad YAML)', () => {
    const errors = githubParse([
      { kind: 'action', name: 'runtime.yml', content: BROKEN_ACTION },
      { kind: 'action', name: 'no-main.yml', content: "name: x\ndescription: y\nruns:\n  using: 'node24'\n" },
      {
        kind: 'action',
        name: 'no-runs.yml',
        content: "name: x\ndescription: y\nbranding:\n  icon: 'not-an-icon'\n"
      },
      { kind: 'action', name: 'unknown-key.yml', content: ACTION.replace('branding:', 'brandingg:') },
      { kind: 'action', name: 'not-yaml.yml', content: 'name: [unclosed\n' }
    ])
    expect(errors['runtime.yml'].join('\n')).toMatch(/node99/)
    expect(errors['no-main.yml'].join('\n')).toMatch(/main/)
    expect(errors['no-runs.yml'].join('\n')).toMatch(/runs/)
    expect(errors['unknown-key.yml'].join('\n')).toMatch(/brandingg/)
    expect(errors['not-yaml.yml'].length).toBeGreaterThan(0)
  })
})

describe('inputs and outputs of action.yml', () => {
  it('every input has a description and a quoted string default; every output has a description', () => {
    expect(checkInputsAndOutputs(ACTION)).toEqual([])
  })

  it('declares the public contract: the input and output names users rely on', () => {
    const action = actionInterface(ACTION)
    expect(action.required.sort()).toEqual(['command'])
    for (const input of [
      'client-secret',
      'client-certificate',
      'audience',
      'offer-id',
      'product-id',
      'offer-type',
      'plan-id',
      'package-path',
      'version',
      'technical-configuration',
      'config-path',
      'output-path',
      'target',
      'wait',
      'timeout-minutes',
      'on-conflict',
      'dry-run',
      'authority-host',
      'ingestion-api-url',
      'product-ingestion-api-url'
    ]) {
      expect(action.inputs).toContain(input)
    }
    for (const output of [
      'offers',
      'count',
      'product-id',
      'offer-id',
      'offer-type',
      'plans',
      'package-id',
      'version',
      'submission-id',
      'submission-state',
      'submission-substate',
      'job-id',
      'job-status',
      'job-result',
      'partner-center-url'
    ]) {
      expect(action.outputs).toContain(output)
    }
  })

  it('every input of action.yml is read by src/inputs.ts', () => {
    const source = readFileSync(join(ROOT, 'src/inputs.ts'), 'utf8')
    const unread = actionInterface(ACTION).inputs.filter(name => !source.includes(`'${name}'`))
    expect(unread).toEqual([])
  })

  it('reports each defect of a broken action.yml, with its line', () => {
    expect(checkInputsAndOutputs(BROKEN_ACTION)).toEqual([
      "input 'dry-run' (line 7): default must be a quoted string, e.g. default: 'false'",
      "input 'dry-run' (line 6): required must be true or false",
      "input 'no-description' (line 8): has no description",
      "input 'no-default' (line 10): has no default (give '' for none)",
      "output 'bare' (line 16): has no description"
    ])
    // An unquoted string is still a string to YAML, but not to the rule: always quote.
    expect(checkInputsAndOutputs(ACTION.replace("default: 'preview'", 'default: preview'))).toEqual([
      expect.stringMatching(
        /^input 'target' \(line \d+\): default must be a quoted string, e.g. default: 'preview'$/
      )
    ])
  })
})

describe('README inputs/outputs tables', () => {
  const check = (dir: string) =>
    spawnSync(process.execPath, [join(ROOT, 'scripts/sync-readme.mjs'), '--check'], {
      cwd: dir,
      encoding: 'utf8'
    })

  it('match action.yml (`node scripts/sync-readme.mjs --check`)', () => {
    const run = check(ROOT)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it('the check fails when a description, an input or an output differs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const variants = {
      description: ACTION.replace(
        "description: 'Upper bound on all waiting, in minutes.'",
        "description: 'Changed.'"
      ),
      input: ACTION.replace('inputs:\n', "inputs:\n  new-input:\n    description: 'New.'\n    default: ''\n"),
      output: ACTION.replace('outputs:\n', "outputs:\n  new-output:\n    description: 'New.'\n")
    }
    for (const [what, action] of Object.entries(variants)) {
      expect([what, action]).not.toEqual([what, ACTION])
      const dir = mkdtempSync(join(tmpdir(), 'sync-readme-'))
      cpSync(join(ROOT, 'README.md'), join(dir, 'README.md'))
      writeFileSync(join(dir, 'action.yml'), action)
      const run = check(dir)
      expect([what, run.status]).toEqual([what, 1])
      expect(run.stderr).toMatch(/differ from action.yml/)
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(readme)
    }
  })
})

describe('action.yml and the code agree on outputs', () => {
  it('declares exactly the outputs the reporter can set', async () => {
    const { OUTPUT_NAMES } = await import('../../src/report/report.js')
    const action = actionInterface(ACTION)
    expect([...action.outputs].sort()).toEqual([...OUTPUT_NAMES].sort())
  })
})
