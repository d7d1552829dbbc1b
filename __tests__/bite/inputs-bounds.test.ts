// Inputs whose bounds protect a user: a wait measured in years is refused before anything is sent (a
// typo in timeout-minutes would otherwise hold a runner until GitHub kills the job), and the `audience`
// input is what the GitHub OIDC token is asked for (a federated credential with a custom audience).
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { readInputs } from '../../src/inputs.js'

function read(values: Record<string, string>) {
  const all: Record<string, string> = {
    command: 'list',
    'tenant-id': '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63',
    'client-id': '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48',
    'client-secret': 'a-secret-value',
    ...values
  }
  return readInputs(name => all[name] ?? '', {})
}

describe('timeout-minutes has an upper bound', () => {
  it.each(['100000', '525600', '99999999'])('refuses %s minutes, naming the input and the limit', minutes => {
    let error: unknown
    try {
      read({ 'timeout-minutes': minutes })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('timeout-minutes')
    expect((error as InputError).message).toMatch(/between 0 and \d+/)
  })

  it('the limit it names is accepted, and one minute more is not', () => {
    let message = ''
    try {
      read({ 'timeout-minutes': '99999999' })
    } catch (error) {
      message = (error as Error).message
    }
    const limit = Number(/between 0 and (\d+)/.exec(message)![1])
    expect(limit).toBeGreaterThanOrEqual(60)
    expect(read({ 'timeout-minutes': String(limit) }).timeoutMinutes).toBe(limit)
    expect(() => read({ 'timeout-minutes': String(limit + 1) })).toThrow(InputError)
  })
})

describe('audience', () => {
  it('is the audience of the GitHub OIDC credential when given, the Entra default otherwise', () => {
    expect(read({ 'client-secret': '', audience: 'api://contoso-release' }).credential).toEqual({
      kind: 'oidc',
      audience: 'api://contoso-release'
    })
    expect(read({ 'client-secret': '' }).credential).toEqual({
      kind: 'oidc',
      audience: 'api://AzureADTokenExchange'
    })
  })
})
