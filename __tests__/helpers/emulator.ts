import { startEmulator, type RunningEmulator, type StartOptions } from '../../emulator/index.js'
import { DEMO_CREDENTIALS } from '../../emulator/seed/default.js'

/** The action inputs that point at an emulator and sign in as the demo app. */
export function emulatorInputs(emulator: RunningEmulator, extra: Record<string, string> = {}): Record<string, string> {
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
