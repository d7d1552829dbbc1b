// The runner-side masking contract, through the bundle: every secret and every token a run holds is
// announced to the runner with `::add-mask::` before any line of stdout could carry it. The leak scan of
// run-action.ts only sees text that was printed; this checks what the runner would mask if a later line
// (a debug trace, a server's echo, a user's `run:` step) printed it: the client secret and the
// certificate before the first line, each client assertion and GitHub OIDC token before the token
// request that sends it, each access token before the first request that uses it, the package upload
// URL and its signature before the upload.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_CREDENTIALS, GITHUB_OIDC_REQUEST_TOKEN } from '../../emulator/seed/default.js'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  useEmulator
} from '../helpers/emulator.js'
import { errorAnnotations, ROOT, runAction, type ActionRun } from '../helpers/run-action.js'

const SCALE = 50
const emulator = useEmulator({ timeScale: SCALE })
const PEM = readFileSync(join(ROOT, '__tests__/fixtures/certificates/valid.pem'), 'utf8')
const PARTNER_CENTER = 'https://api.partner.microsoft.com'

interface Line {
  index: number
  text: string
}

/** stdout as the runner reads it: `::add-mask::` values (unescaped as @actions/core escapes them) and lines. */
function parse(run: ActionRun): { masks: Array<Line & { value: string }>; lines: Line[] } {
  const all = run.stdout.split('\n').map((text, index) => ({ index, text }))
  const unescape = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  return {
    masks: all
      .filter(l => l.text.startsWith('::add-mask::'))
      .map(l => ({ ...l, value: unescape(l.text.slice('::add-mask::'.length)) })),
    lines: all.filter(l => !l.text.startsWith('::add-mask::') && l.text !== '')
  }
}

/** Where a mask covering `secret` was announced: the whole value, or one line of a multi-line value. */
function maskedAt(run: ActionRun, secret: string): number {
  const found = parse(run).masks.find(m => m.value === secret || m.value.split(/\r?\n/).includes(secret))
  return found ? found.index : Infinity
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

/** The JWT masks whose claims match `want`, in the order they were announced. */
function maskedJwts(run: ActionRun, want: (c: Record<string, unknown>) => boolean): number[] {
  return parse(run)
    .masks.filter(m => /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/.test(m.value) && want(claims(m.value)))
    .map(m => m.index)
}

const firstLine = (run: ActionRun, pattern: RegExp): number =>
  parse(run).lines.find(l => pattern.test(l.text))?.index ?? Infinity
const linesMatching = (run: ActionRun, pattern: RegExp): number[] =>
  parse(run)
    .lines.filter(l => pattern.test(l.text))
    .map(l => l.index)

const TOKEN_REQUEST = /::debug::POST \S+\/oauth2\/v2\.0\/token -> 200/
const API_REQUEST = /::debug::(GET|POST|PUT|DELETE) \S+\/(v1\.0\/ingestion|rp\/product-ingestion)\//
const isAccessToken = (c: Record<string, unknown>) =>
  c.appid === DEMO_CREDENTIALS.clientId && String(c.aud).startsWith(PARTNER_CENTER)

/** Each successful token request is followed by its access token's mask before the next API request. */
function expectAccessTokensMaskedBeforeUse(run: ActionRun): void {
  const tokenRequests = linesMatching(run, TOKEN_REQUEST)
  const tokenMasks = maskedJwts(run, isAccessToken)
  expect(tokenRequests.length).toBeGreaterThan(0)
  for (const request of tokenRequests) {
    const nextApiRequest = linesMatching(run, API_REQUEST).find(i => i > request) ?? Infinity
    const mask = tokenMasks.find(i => i > request)
    expect(mask).toBeDefined()
    expect(mask!).toBeLessThan(nextApiRequest)
  }
}

describe('every secret and token is masked before a line could carry it', () => {
  it('client secret, access token and the package upload URL in a release', async () => {
    const inputs = emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': EXAMPLE_PACKAGE,
      version: '1.1.0',
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      target: 'preview'
    })
    const run = await runAction({ env: rehearsalEnv(SCALE), inputs })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    const { lines } = parse(run)
    // The secret before anything at all is printed.
    expect(maskedAt(run, inputs['client-secret']!)).toBeLessThan(lines[0]!.index)
    expectAccessTokensMaskedBeforeUse(run)
    // The upload URL (with its SAS signature, percent-encoded and decoded) before the upload is logged.
    const upload = emulator.requests().find(r => r.method === 'PUT' && r.path.startsWith('/blob/'))
    expect(upload).toBeDefined()
    const blobPath = upload!.path.split('?')[0]!
    const firstUploadLine = firstLine(run, new RegExp(`${blobPath}|PUT \\*\\*\\*`))
    expect(firstUploadLine).toBeLessThan(Infinity)
    const urlMask = parse(run).masks.find(m => m.value.includes(blobPath) && /[?&]sig=/.test(m.value))
    expect(urlMask).toBeDefined()
    const signature = decodeURIComponent(/[?&]sig=([^&]+)/.exec(urlMask!.value)![1]!)
    const decoded = (s: string): string => (s.includes('%') ? decoded(decodeURIComponent(s)) : s)
    expect(urlMask!.index).toBeLessThan(firstUploadLine)
    expect(maskedAt(run, decoded(signature))).toBeLessThan(firstUploadLine)
  })

  it('certificate: every line of the private key before the first line, each client assertion before its request', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'list', 'client-secret': '', 'client-certificate': PEM })
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    const first = parse(run).lines[0]!.index
    const keyLines = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]+?)-----END/
      .exec(PEM)![1]!
      .split(/\r?\n/)
      .map(l => l.trim())
      .filter(l => l.length >= 16)
    expect(keyLines.length).toBeGreaterThan(3)
    for (const line of keyLines) expect(maskedAt(run, line)).toBeLessThan(first)
    // A client assertion: issued by and about the app, for the token endpoint.
    const assertions = maskedJwts(
      run,
      c =>
        c.iss === DEMO_CREDENTIALS.clientId &&
        c.sub === DEMO_CREDENTIALS.clientId &&
        /\/token$/.test(String(c.aud))
    )
    const requests = linesMatching(run, TOKEN_REQUEST)
    expect(requests.length).toBeGreaterThan(0)
    for (const request of requests) expect(assertions.some(a => a < request)).toBe(true)
    expectAccessTokensMaskedBeforeUse(run)
  })

  it('GitHub OIDC: the ID token before the token request that presents it, for the audience given', async () => {
    const audience = 'api://AzureADTokenExchange'
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'list', 'client-secret': '', audience }),
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: emulator.githubOidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_OIDC_REQUEST_TOKEN
      }
    })
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    const idTokens = maskedJwts(
      run,
      c => c.iss === 'https://token.actions.githubusercontent.com' && c.aud === audience
    )
    const requests = linesMatching(run, TOKEN_REQUEST)
    expect(requests.length).toBeGreaterThan(0)
    expect(idTokens.length).toBeGreaterThan(0)
    expect(idTokens[0]!).toBeLessThan(requests[0]!)
    expectAccessTokensMaskedBeforeUse(run)
  })
})
