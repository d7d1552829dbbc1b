import { describe, expect, it, jest } from '@jest/globals'
import { log } from '../../src/log.js'
import { InputError } from '../../src/errors.js'
import { redact } from '../../src/http/redact.js'
import { readInputs } from '../../src/inputs.js'

const TENANT = '7a4c1f52-3b8e-4d61-9f0a-2c5e8b1d4f63'
const CLIENT = '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48'
const SECRET = 'AppSource~ctx.S3cret-value_0123456789'
const SCOPE = 'https://api.partner.microsoft.com/.default'

const context = (fields: Record<string, unknown>): string => JSON.stringify(fields)

function read(values: Record<string, string>) {
  const all: Record<string, string> = { command: 'publish', ...values }
  return readInputs(name => all[name] ?? '', {})
}

function refusal(values: Record<string, string>): InputError {
  try {
    read(values)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('appsource-context', () => {
  it('fills tenant-id, client-id and the secret from an AL-Go AppSourceContext', () => {
    const parsed = read({
      'appsource-context': context({
        clientID: CLIENT,
        clientSecret: SECRET,
        tenantID: TENANT,
        scopes: SCOPE
      })
    })
    expect(parsed).toMatchObject({
      tenantId: TENANT,
      clientId: CLIENT,
      credential: { kind: 'secret', secret: SECRET }
    })
    // The secret and the whole context are masked wherever text is cleaned.
    expect(redact(`the secret is ${SECRET}`)).not.toContain(SECRET)
  })

  it('a pasted multi-line context: each line of 8 characters or more is masked on its own, braces are not, even when the context is then refused', () => {
    const masked: string[] = []
    const spy = jest.spyOn(log, 'mask').mockImplementation(value => void masked.push(value))
    try {
      // Pretty-printed, as pasted into a secret, with a field the action does not know (refused after
      // masking); `"nn": 12` is a line of exactly 8 characters.
      const pasted = JSON.stringify(
        { clientID: CLIENT, tenantID: TENANT, clientSecret: SECRET, nn: 12 },
        null,
        2
      )
      expect(() => read({ 'appsource-context': pasted })).toThrow("holds 'nn'")
    } finally {
      spy.mockRestore()
    }
    expect(masked).toContain(`"clientSecret": "${SECRET}",`)
    expect(masked).toContain('"nn": 12')
    expect(masked).not.toContain('{')
    expect(masked).not.toContain('}')
  })

  it('two different secrets are refused, and both are masked for the runner before the refusal', () => {
    const masked: string[] = []
    const spy = jest.spyOn(log, 'mask').mockImplementation(value => void masked.push(value))
    try {
      expect(() =>
        read({
          'appsource-context': context({ clientID: CLIENT, tenantID: TENANT, clientSecret: SECRET }),
          'client-secret': 'another-secret-value'
        })
      ).toThrow('differs from the clientSecret')
    } finally {
      spy.mockRestore()
    }
    expect(masked).toEqual(expect.arrayContaining(['another-secret-value', SECRET]))
  })

  it('signs in with GitHub OIDC when the context has no secret (federated), clientId spelling too', () => {
    const parsed = read({
      'appsource-context': context({ clientId: CLIENT, tenantId: TENANT, scopes: SCOPE })
    })
    expect(parsed.credential.kind).toBe('oidc')
    expect(parsed.tenantId).toBe(TENANT)
  })

  it('accepts the base64 form AL-Go passes between its steps', () => {
    const encoded = Buffer.from(
      context({ clientID: CLIENT, tenantID: TENANT, clientSecret: SECRET })
    ).toString('base64')
    expect(read({ 'appsource-context': encoded }).clientId).toBe(CLIENT)
  })

  it('agrees with the same values given as inputs', () => {
    const parsed = read({
      'appsource-context': context({ clientID: CLIENT, tenantID: TENANT, clientSecret: SECRET }),
      'tenant-id': TENANT.toUpperCase(),
      'client-secret': SECRET
    })
    expect(parsed.credential).toEqual({ kind: 'secret', secret: SECRET })
  })

  it.each([
    [
      { 'tenant-id': 'fabrikam.onmicrosoft.com' },
      'tenant-id',
      /differs from the tenantID in `appsource-context`/
    ],
    [{ 'client-id': TENANT }, 'client-id', /differs from the clientID in `appsource-context`/],
    [
      { 'client-secret': 'another-secret-value' },
      'client-secret',
      /differs from the clientSecret in `appsource-context`/
    ],
    [{ 'client-certificate': 'PEM' }, 'client-certificate', /`appsource-context` holds a clientSecret/]
  ])('refuses %j that conflicts with the context, naming both inputs', (given, input, message) => {
    const error = refusal({
      'appsource-context': context({ clientID: CLIENT, tenantID: TENANT, clientSecret: SECRET }),
      ...given
    })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(SECRET)
  })

  it.each([
    ['not JSON', `{"clientID": "${CLIENT}", "clientSecret": "${SECRET}"`, /is not JSON/],
    ['no tenantID', context({ clientID: CLIENT, clientSecret: SECRET }), /has no tenantID/],
    [
      'a refresh token',
      context({ clientID: CLIENT, tenantID: TENANT, refreshToken: 'x' }),
      /interactive sign-in/
    ],
    [
      'an unknown key',
      context({ clientID: CLIENT, tenantID: TENANT, secret: SECRET }),
      /'secret', which is not one of/
    ],
    [
      'another scope',
      context({ clientID: CLIENT, tenantID: TENANT, scopes: 'https://graph.microsoft.com/.default' }),
      /scopes other than/
    ]
  ])('refuses a context with %s, without quoting it', (_label, value, message) => {
    const error = refusal({ 'appsource-context': value })
    expect(error.input).toBe('appsource-context')
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(SECRET)
  })

  it('still requires tenant-id and client-id without a context', () => {
    expect(refusal({ 'client-id': CLIENT }).message).toMatch(/tenant-id'.*or give `appsource-context`/)
  })
})

describe('library-path', () => {
  it('is one path or glob a line (commas belong to file names), duplicates dropped', () => {
    const parsed = read({
      'tenant-id': TENANT,
      'client-id': CLIENT,
      'library-path': 'apps/Contoso_Lib, One_1.0.0.0.app\n\n  deps/*.app\napps/Contoso_Lib, One_1.0.0.0.app\n'
    })
    expect(parsed.libraryPaths).toEqual(['apps/Contoso_Lib, One_1.0.0.0.app', 'deps/*.app'])
  })

  it('version takes four parts (a Business Central app) as well as three', () => {
    expect(read({ 'tenant-id': TENANT, 'client-id': CLIENT, version: '2.4.0.17' }).version).toBe('2.4.0.17')
    expect(refusal({ 'tenant-id': TENANT, 'client-id': CLIENT, version: '1.2.3.4.5' }).input).toBe('version')
  })
})
