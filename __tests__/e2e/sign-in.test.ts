// Secretless sign-in through the bundle: certificate and GitHub OIDC against the emulator's Entra and
// GitHub OIDC stand-ins, the errors a user sees when it goes wrong, tokens that expire during a wait,
// and a leak scan of everything a run writes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningEmulator } from '../../emulator/index.js'
import {
  CONTOSO_APP,
  DEMO_FEDERATED_SUBJECTS,
  GITHUB_OIDC_REQUEST_TOKEN
} from '../../emulator/seed/default.js'
import { emulatorInputs, startTestEmulator, writes } from '../helpers/emulator.js'
import {
  errorAnnotations,
  everythingWritten,
  ROOT,
  DEFAULT_RUNTIME,
  runAction,
  RUNTIMES,
  type ActionRun
} from '../helpers/run-action.js'

const FIXTURES = join(ROOT, '__tests__/fixtures/certificates')
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
const VALID = fixture('valid.pem')
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/
const ISSUER = 'https://token.actions.githubusercontent.com'

/** Lines of every private key block in the fixtures: none may ever be written. */
const PRIVATE_KEY_LINES = ['valid.pem', 'mismatched.pem', 'expired.pem', 'ec-key.pem'].flatMap(name =>
  [
    ...fixture(name).matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]+?)-----END [A-Z ]*PRIVATE KEY-----/g)
  ].flatMap(m => m[1]!.split(/\r?\n/).filter(line => line.length >= 16))
)

function expectNoLeaks(run: ActionRun): void {
  const text = everythingWritten(run)
  expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/)
  for (const line of PRIVATE_KEY_LINES) expect(text).not.toContain(line)
  // Client assertions, GitHub OIDC tokens and access tokens are all JWTs.
  expect(text).not.toMatch(JWT)
}

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

const certificateInputs = (pem: string, extra: Record<string, string> = {}) =>
  emulatorInputs(emulator, { command: 'list', 'client-secret': '', 'client-certificate': pem, ...extra })
const oidcInputs = (extra: Record<string, string> = {}) =>
  emulatorInputs(emulator, { command: 'list', 'client-secret': '', ...extra })
const oidcEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: emulator.githubOidc.requestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_OIDC_REQUEST_TOKEN
})
const tokenRequests = (emu: RunningEmulator) =>
  emu.requests().filter(r => r.method === 'POST' && /\/oauth2\/(v2\.0\/)?token$/.test(r.path))
const oidcRequests = () => emulator.requests().filter(r => r.path.startsWith('/_github/oidc/token'))

// Certificate signing and OIDC run once more under the compatibility runtime (one subject there).
describe.each(RUNTIMES)('secretless sign-in through the bundle on %s', runtime => {
  it('signs in with a certificate and lists offers', async () => {
    const run = await runAction({
      runtime,
      inputs: certificateInputs(VALID),
      env: { ACTIONS_STEP_DEBUG: 'true' }
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/with a certificate \(SHA-256 thumbprint [A-Za-z0-9_-]{43}\)/)
    expect(Number(run.outputs.count)).toBeGreaterThan(0)
    expect(tokenRequests(emulator).every(r => r.status === 200)).toBe(true)
    expect(oidcRequests()).toEqual([])
    expectNoLeaks(run)
  })

  it.each(runtime === DEFAULT_RUNTIME ? DEMO_FEDERATED_SUBJECTS : DEMO_FEDERATED_SUBJECTS.slice(0, 1))(
    'signs in with GitHub OIDC as %s and logs the token claims',
    async subject => {
      emulator.githubOidc.configure({ subject })
      const run = await runAction({
        runtime,
        inputs: oidcInputs(),
        env: { ...oidcEnv(), ACTIONS_STEP_DEBUG: 'true' }
      })
      expect(errorAnnotations(run)).toEqual([])
      expect(run.code).toBe(0)
      expect(run.stdout).toContain("GitHub OIDC (audience 'api://AzureADTokenExchange')")
      expect(run.stdout).toContain(
        `GitHub OIDC token: issuer '${ISSUER}', subject '${subject}', audience 'api://AzureADTokenExchange'`
      )
      expect(oidcRequests().length).toBeGreaterThanOrEqual(1)
      expect(oidcRequests()[0]!.path).toMatch(/[?&]audience=api%3A%2F%2FAzureADTokenExchange/)
      expectNoLeaks(run)
    }
  )
})

describe('sign-in failures through the bundle', () => {
  it('OIDC without the runner variables asks for permissions: id-token: write, before any request', async () => {
    const run = await runAction({ inputs: oidcInputs() })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('GitHub OIDC is not available')
    expect(error).toContain('permissions: id-token: write')
    expect(emulator.requests()).toEqual([])
  })

  it('an unregistered subject shows AADSTS700213, the presented subject and the subject formats', async () => {
    emulator.githubOidc.configure({ subject: 'repo:contoso/contoso-app:ref:refs/heads/main' })
    const run = await runAction({ inputs: oidcInputs(), env: oidcEnv() })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('AADSTS700213')
    expect(error).toContain("subject 'repo:contoso/contoso-app:ref:refs/heads/main'")
    expect(error).toContain('repo:contoso/contoso-app:ref:refs/heads/main') // branch
    expect(error).toContain('repo:contoso/contoso-app:ref:refs/tags/') // tag
    expect(error).toContain('repo:contoso/contoso-app:environment:') // environment
    expect(error).toContain('repo:contoso/contoso-app:pull_request') // pull request
    expect(writes(emulator)).toEqual([])
    expectNoLeaks(run)
  })

  it('a wrong audience input shows AADSTS700212 and the audience', async () => {
    const run = await runAction({
      inputs: oidcInputs({ audience: 'api://AzureADTokenExchange/wrong' }),
      env: oidcEnv()
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('AADSTS700212')
    expect(error).toContain("audience 'api://AzureADTokenExchange/wrong'")
    expect(oidcRequests()[0]!.path).toContain('audience=api%3A%2F%2FAzureADTokenExchange%2Fwrong')
    expectNoLeaks(run)
  })

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  ;(openssl ? it : it.skip)(
    'a certificate the app does not know: AADSTS700027 with the upload hint (needs openssl)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pcp-cert-'))
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '2',
            '-subj',
            '/CN=x',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem')
          ],
          {
            stdio: 'ignore'
          }
        )
        const pem = readFileSync(join(dir, 'key.pem'), 'utf8') + readFileSync(join(dir, 'cert.pem'), 'utf8')
        const run = await runAction({ inputs: certificateInputs(pem) })
        expect(run.code).toBe(1)
        const [error] = errorAnnotations(run)
        expect(error).toContain('AADSTS700027')
        expect(error).toContain('The key was not found')
        expect(error).toContain('upload the certificate')
        const text = everythingWritten(run)
        for (const line of pem.split('\n').filter(l => l.length >= 16 && !l.startsWith('-----')))
          expect(text).not.toContain(line)
        expect(text).not.toMatch(JWT)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  )
  if (!openssl)
    it.todo(
      'a certificate the app does not know — skipped: openssl is not on PATH to make a throwaway certificate'
    )

  it.each([
    ['mismatched.pem', 'does not belong to the certificate'],
    ['expired.pem', 'the certificate expired on'],
    ['ec-key.pem', 'need an RSA key']
  ])('%s fails on client-certificate before any request', async (name, message) => {
    const run = await runAction({ inputs: certificateInputs(fixture(name)) })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('client-certificate')
    expect(error).toContain(message)
    expect(emulator.requests()).toEqual([])
    expectNoLeaks(run)
  })
})

describe('tokens that expire during a wait', () => {
  // Access tokens live 2 s (wall clock); the submission takes 13 s of virtual time at ×2.
  const SCALE = 2
  let slow: RunningEmulator
  beforeAll(async () => {
    slow = await startTestEmulator({ tokenLifetimeSeconds: 2, timeScale: SCALE })
  })
  afterAll(() => slow.close())

  it('status with wait: true keeps signing in with the certificate until the submission is ready', async () => {
    const env = { PARTNER_CENTER_PUBLISH_TIME_SCALE: String(SCALE) }
    const publish = await runAction({
      env,
      inputs: emulatorInputs(slow, {
        command: 'publish',
        'offer-id': 'contoso-app',
        'package-path': join(ROOT, 'examples/azure-app-package'),
        version: '1.1.0',
        'technical-configuration': join(ROOT, 'examples/technical-configuration.yaml'),
        target: 'preview',
        wait: 'false'
      })
    })
    expect(errorAnnotations(publish)).toEqual([])
    const submissionId = publish.outputs['submission-id']
    expect(submissionId).toMatch(/^\d+$/)
    expect(publish.outputs['submission-state']).toBe('InProgress')

    const before = tokenRequests(slow).length
    const run = await runAction({
      env,
      inputs: emulatorInputs(slow, {
        command: 'status',
        'offer-id': 'contoso-app',
        'submission-id': submissionId,
        wait: 'true',
        'client-secret': '',
        'client-certificate': VALID
      })
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'product-id': CONTOSO_APP.productId,
      'submission-id': submissionId,
      'submission-state': 'Published',
      'submission-substate': 'ReadyToPublish'
    })
    expect(run.durationMs).toBeGreaterThan(3000)
    const tokens = tokenRequests(slow).slice(before)
    expect(tokens.length).toBeGreaterThan(1)
    expect(tokens.every(r => r.status === 200)).toBe(true)
    expectNoLeaks(run)
    slow.reset()
  }, 120_000)
})
