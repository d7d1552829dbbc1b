import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { startEmulator, type RunningEmulator, type StartOptions } from '../../emulator/index.js'
import { DEMO_CREDENTIALS } from '../../emulator/seed/default.js'

/** The action inputs that point at an emulator and sign in as the demo app. */
export function emulatorInputs(
  emulator: RunningEmulator,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'tenant-id': DEMO_CREDENTIALS.tenantId,
    'client-id': DEMO_CREDENTIALS.clientId,
    'client-secret': DEMO_CREDENTIALS.clientSecret,
    'authority-host': emulator.authorityHost,
    'ingestion-api-url': emulator.ingestionApiUrl,
    'product-ingestion-api-url': emulator.productIngestionApiUrl,
    ...extra
  }
}

/** An emulator on 127.0.0.1 with fast timings, quiet. */
export function startTestEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ quiet: true, timeScale: 50, branchConsistencyReads: 0, ...options })
}

/** Requests that changed something (the emulator marks them), for "nothing was written" checks. */
export function writes(emulator: RunningEmulator): string[] {
  return emulator
    .requests()
    .filter(r => r.write && !r.path.includes('/oauth2/'))
    .map(r => `${r.method} ${r.path}`)
}

/** The example Azure Application package and managed-application settings shipped in examples/. */
export const EXAMPLE_PACKAGE = fileURLToPath(new URL('../../examples/azure-app-package', import.meta.url))
export const EXAMPLE_TECHNICAL_CONFIGURATION = fileURLToPath(
  new URL('../../examples/technical-configuration.yaml', import.meta.url)
)

/** The environment that runs the action's waits as fast as an emulator started with `timeScale`. */
export const rehearsalEnv = (timeScale: number): Record<string, string> => ({
  PARTNER_CENTER_PUBLISH_TIME_SCALE: String(timeScale)
})

/**
 * One emulator for a test file: started before its tests, reset to the seed before each, closed after.
 * The object returned stands for it (it exists only once `beforeAll` has run).
 */
export function useEmulator(options: StartOptions = {}): RunningEmulator {
  let emulator: RunningEmulator | undefined
  beforeAll(async () => {
    emulator = await startTestEmulator(options)
  })
  afterAll(() => emulator?.close())
  beforeEach(() => emulator?.reset())
  return new Proxy({} as RunningEmulator, {
    get: (_target, key) => {
      if (!emulator) throw new Error('The emulator starts in beforeAll; use it inside tests.')
      const value = Reflect.get(emulator, key)
      return typeof value === 'function' ? value.bind(emulator) : value
    }
  })
}
