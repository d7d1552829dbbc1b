// The defaults a user reads in action.yml (and in the README table generated from it) are the ones the
// code applies. The runner passes action.yml's default when an input is not given, but the code has its
// own fallbacks (`DEFAULTS` and the fallbacks of src/inputs.ts) for an input given as '': the two must
// agree, and each check is also run on an altered action.yml so that it cannot pass by accident.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { DEFAULTS, readInputs, type ActionInputs } from '../../src/inputs.js'
import { ROOT } from './checks.js'

const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8')

/** Non-empty defaults of action.yml, by input name. */
function actionDefaults(actionYaml: string): Record<string, string> {
  const inputs = (parse(actionYaml) as { inputs: Record<string, { default?: unknown }> }).inputs
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, input]) => input.default !== undefined && input.default !== '')
      .map(([name, input]) => [name, String(input.default)])
  )
}

/** `authorityHost` → `authority-host`. */
const inputName = (key: string) => key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)

/** Each key of DEFAULTS whose input's default in action.yml is another (or missing). */
function defaultsMismatches(actionYaml: string): string[] {
  const declared = actionDefaults(actionYaml)
  return Object.entries(DEFAULTS)
    .filter(([key, value]) => declared[inputName(key)] !== String(value))
    .map(
      ([key, value]) => `${inputName(key)}: DEFAULTS has '${value}', action.yml '${declared[inputName(key)]}'`
    )
}

/**
 * Each input with a default whose value, given explicitly, reads otherwise than the input left empty.
 * Read with OIDC sign-in (no secret, no certificate) so that `audience` is read too.
 */
function fallbackMismatches(actionYaml: string): string[] {
  const base: Record<string, string> = {
    command: 'publish',
    'tenant-id': '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63',
    'client-id': '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48'
  }
  // `given` lists the inputs that arrived with a value: it differs by design, the values must not.
  const read = (values: Record<string, string>) => {
    const inputs: Partial<ActionInputs> = readInputs(name => values[name] ?? '', {})
    delete inputs.given
    return inputs
  }
  const empty = read(base)
  return Object.entries(actionDefaults(actionYaml))
    .filter(([name]) => !(name in base))
    .filter(([name, value]) => JSON.stringify(read({ ...base, [name]: value })) !== JSON.stringify(empty))
    .map(([name, value]) => `${name}: '${value}' reads otherwise than the input left empty`)
}

describe('defaults of action.yml and src/inputs.ts', () => {
  it('every key of DEFAULTS is the default of the input of that name in action.yml', () => {
    expect(Object.keys(DEFAULTS).length).toBeGreaterThan(0)
    expect(defaultsMismatches(ACTION)).toEqual([])
  })

  it('every input with a default in action.yml reads the same given as that default or left empty', () => {
    expect(Object.keys(actionDefaults(ACTION))).toEqual(
      expect.arrayContaining(['audience', 'target', 'timeout-minutes', 'on-conflict', 'dry-run'])
    )
    expect(fallbackMismatches(ACTION)).toEqual([])
  })

  it('both checks find an action.yml default that differs from the code', () => {
    const changed = (from: string, to: string) => {
      expect(ACTION).toContain(from)
      return ACTION.replace(from, to)
    }
    expect(defaultsMismatches(changed("default: '60'", "default: '90'"))).toEqual([
      "timeout-minutes: DEFAULTS has '60', action.yml '90'"
    ])
    expect(
      defaultsMismatches(
        changed("default: 'https://login.microsoftonline.com'", "default: 'https://login.example.com'")
      )
    ).toEqual([
      "authority-host: DEFAULTS has 'https://login.microsoftonline.com', action.yml 'https://login.example.com'"
    ])
    expect(fallbackMismatches(changed("default: 'preview'", "default: 'live'"))).toEqual([
      "target: 'live' reads otherwise than the input left empty"
    ])
    expect(fallbackMismatches(changed("default: 'false'", "default: 'true'"))).toEqual([
      "dry-run: 'true' reads otherwise than the input left empty"
    ])
  })
})
