import { describe, expect, it } from '@jest/globals'
import {
  EXAMPLE_PACKAGE,
  EXAMPLE_TECHNICAL_CONFIGURATION,
  emulatorInputs,
  rehearsalEnv,
  startTestEmulator,
  useEmulator
} from '../helpers/emulator.js'
import { errorAnnotations, runAction } from '../helpers/run-action.js'

/**
 * Fault injection: the bundle against the emulator's fault profiles. Each scenario ends succeeded,
 * or failed with a message that says what happened; the request log proves nothing was created twice.
 */

const PACKAGE = EXAMPLE_PACKAGE
const SCALE = 50
const env = rehearsalEnv(SCALE)

const emulator = useEmulator({ timeScale: SCALE })

const publish = (extra: Record<string, string> = {}) =>
  runAction({
    env,
    inputs: emulatorInputs(emulator, {
      command: 'publish',
      'offer-id': 'contoso-app',
      'package-path': PACKAGE,
      'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION,
      version: '1.1.0',
      ...extra
    })
  })

/** Creates the emulator carried out (a dropped response is logged with the status it would have had). */
const created = () => ({
  packages: emulator
    .requests()
    .filter(r => r.method === 'POST' && /\/packages$/.test(r.path) && r.status === 201).length,
  submissions: emulator
    .requests()
    .filter(r => r.method === 'POST' && /\/submissions$/.test(r.path) && r.status === 201).length
})
const faulted = () => emulator.requests().filter(r => r.fault).length

describe('publish survives the emulator fault profiles', () => {
  it.each(['throttle', 'flaky', 'resets', 'slow', 'lost-create', 'etag-conflict'])('%s', async profile => {
    emulator.setFaults(profile)
    const run = await publish()
    expect(errorAnnotations(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs['submission-substate']).toBe('ReadyToPublish')
    // The faults really fired: logged by the emulator, or (a held response) seen as a socket timeout.
    expect(faulted() > 0 || run.stdout.includes('SOCKET_TIMEOUT')).toBe(true)
    // One package and one submission were created, whether their answers arrived or were lost.
    expect(created()).toEqual({ packages: 1, submissions: 1 })
  })

  it('a 429 storm longer than the retry budget fails with a message that says so', async () => {
    emulator.setFaults([
      { path: '^/v1\\.0/ingestion/products\\?', action: 'status', status: 429, retryAfter: 1, times: 0 }
    ])
    const run = await runAction({
      env,
      inputs: emulatorInputs(emulator, { command: 'show', 'offer-id': 'contoso-app' })
    })
    expect(run.code).toBe(1)
    const [error] = errorAnnotations(run)
    expect(error).toContain('after 6 attempts: HTTP 429')
    expect(error).toContain('throttling')
  })

  it('a 5xx on every submission create fails without creating one, and says the outcome was checked', async () => {
    emulator.setFaults([{ method: 'POST', path: '/submissions$', action: 'status', status: 503, times: 0 }])
    const run = await publish()
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('checking whether it was created')
    expect(run.stdout).toContain('was not created; sending the request again')
    expect(errorAnnotations(run)[0]).toContain('HTTP 503')
    expect(created().submissions).toBe(0)
  })

  it('a 409 on the submission says another submission is in progress', async () => {
    emulator.setFaults('submission-conflict')
    const run = await publish()
    expect(run.code).toBe(1)
    expect(errorAnnotations(run)[0]).toContain('another submission is in progress')
  })

  it('an offer just created: empty branches are read again until they appear', async () => {
    const emptyReads = await startTestEmulator({ timeScale: SCALE, branchConsistencyReads: 2 })
    try {
      const token = (await (
        await fetch(
          `${emptyReads.authorityHost}/${emulatorInputs(emptyReads)['tenant-id']}/oauth2/v2.0/token`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: emulatorInputs(emptyReads)['client-id'],
              client_secret: emulatorInputs(emptyReads)['client-secret'],
              scope: 'https://api.partner.microsoft.com/.default'
            })
          }
        )
      ).json()) as { access_token: string }
      const call = async (method: string, path: string, body: unknown) => {
        const res = await fetch(`${emptyReads.ingestionApiUrl}/${path}`, {
          method,
          headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body)
        })
        expect(res.status).toBe(201)
        return (await res.json()) as { id: string }
      }
      const product = await call('POST', 'products', {
        resourceType: 'AzureApplication',
        name: 'Fresh App',
        externalIDs: [{ type: 'AzureOfferId', value: 'fresh-app' }],
        isModularPublishing: true
      })
      await call('POST', `products/${product.id}/variants`, {
        resourceType: 'AzureSkuVariant',
        friendlyName: 'Standard',
        externalID: 'standard',
        subType: 'solution-template'
      })
      const run = await runAction({
        env,
        inputs: emulatorInputs(emptyReads, {
          command: 'publish',
          'offer-id': 'fresh-app',
          'package-path': PACKAGE,
          version: '1.0.0',
          target: 'draft'
        })
      })
      expect(errorAnnotations(run)).toEqual([])
      const branchReads = emptyReads.requests().filter(r => r.path.includes('getByModule(module=Package)'))
      expect(branchReads.length).toBeGreaterThan(1)
    } finally {
      await emptyReads.close()
    }
  })
})

describe('cancellation', () => {
  it('on SIGTERM says which submission it was waiting for and how to resume', async () => {
    const slow = await startTestEmulator({ timeScale: 1 })
    try {
      const run = await runAction({
        inputs: emulatorInputs(slow, {
          command: 'publish',
          'offer-id': 'contoso-app',
          'package-path': PACKAGE,
          version: '1.1.0',
          'technical-configuration': EXAMPLE_TECHNICAL_CONFIGURATION
        }),
        // The signal is sent once the action polls the submission it created, that is during the
        // preview wait, however long a busy machine takes to get there (not after a fixed delay).
        signalWhen: {
          signal: 'SIGTERM',
          when: () => slow.requests().some(r => r.method === 'GET' && /\/submissions\/\d+$/.test(r.path))
        },
        timeoutMs: 30_000
      })
      expect(run.code).not.toBe(0)
      const [error] = errorAnnotations(run)
      expect(error).toMatch(
        /cancelled \(SIGTERM\) while (waiting for the preview to be ready \(submission \d+|submission \d+)/
      )
      expect(error).toContain('command: status')
    } finally {
      await slow.close()
    }
  }, 40_000)
})
