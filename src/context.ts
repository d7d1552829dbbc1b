import { TokenProvider, RESOURCES } from './auth/token-provider.js'
import { scaledClock, systemClock, type Clock } from './clock.js'
import { DEFAULT_REQUEST_TIMEOUT_MS, Transport } from './http/transport.js'
import { IngestionClient } from './ingestion/client.js'
import type { ActionInputs } from './inputs.js'
import { log } from './log.js'
import { ProductIngestionClient } from './product-ingestion/client.js'
import { USER_AGENT } from './version.js'

/** Everything a command needs, built once from the inputs. */
export interface RunContext {
  inputs: ActionInputs
  transport: Transport
  tokens: TokenProvider
  ingestion: IngestionClient
  productIngestion: ProductIngestionClient
  clock: Clock
  /** Epoch ms after which waiting stops (timeout-minutes from the start of the run). */
  deadline: number
  /** Where the run is, for a cancellation message ("submission 123 is InProgress/Submitted"). */
  progress: { describe?: () => string }
}

export interface ContextOverrides {
  clock?: Clock
  transport?: Transport
  /** Rehearsals against the emulator: every duration the action applies is divided by this. */
  timeScale?: number
}

/** A connection silent for this long is abandoned (and retried when that is safe). */
export const SOCKET_TIMEOUT_MS = 100_000

export function createContext(inputs: ActionInputs, overrides: ContextOverrides = {}): RunContext {
  const scale = overrides.timeScale ?? 1
  const clock = overrides.clock ?? (scale > 1 ? scaledClock(scale) : systemClock)
  const transport =
    overrides.transport ??
    new Transport({
      userAgent: USER_AGENT,
      clock,
      // Both limits shrink with a rehearsal's scale, but never under a second: a loaded machine may
      // take that long to answer a request that a fast one answers in milliseconds.
      socketTimeoutMs: Math.max(1000, SOCKET_TIMEOUT_MS / scale),
      requestTimeoutMs: Math.max(1000, DEFAULT_REQUEST_TIMEOUT_MS / scale),
      // Wall-clock timeout-minutes, unscaled: a rehearsal compresses the service's waits, not the
      // time a loaded machine needs to send and read its requests.
      deadlineAt: Date.now() + inputs.timeoutMinutes * 60_000,
      debug: log.debug,
      onRetry: ({ operation, delayMs, reason }) =>
        log.info(`${operation}: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`)
    })
  const tokens = new TokenProvider({
    transport,
    authorityHost: inputs.authorityHost,
    tenantId: inputs.tenantId,
    clientId: inputs.clientId,
    credential: inputs.credential,
    // Token lifetimes, assertion claims and certificate validity are wall-clock facts at Entra: they
    // never follow a rehearsal's scaled clock.
    clock: systemClock,
    info: log.info
  })
  return {
    inputs,
    transport,
    tokens,
    ingestion: new IngestionClient(
      transport,
      inputs.ingestionApiUrl,
      tokens.source(RESOURCES.partnerCenter, inputs.ingestionApiUrl, 'ingestion-api-url'),
      { publisherId: inputs.sellerId }
    ),
    productIngestion: new ProductIngestionClient(
      transport,
      inputs.productIngestionApiUrl,
      tokens.source(RESOURCES.graph, inputs.productIngestionApiUrl, 'product-ingestion-api-url')
    ),
    clock,
    deadline: clock.now() + inputs.timeoutMinutes * 60_000,
    progress: {}
  }
}
