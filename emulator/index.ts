// Public entry point: startEmulator() wires clock, seed state, Entra, v1 ingestion, blob service,
// the Product Ingestion registration point, faults and the request log onto one HTTP origin.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Clock } from './clock.js'
import { Router } from './http/router.js'
import { TokenSigner } from './entra/jwt.js'
import { registerEntraRoutes, type ClientAssertionValidator } from './entra/token.js'
import { createAssertionValidator } from './entra/assertions.js'
import { GitHubOidcIssuer, registerGitHubOidcRoutes, type GitHubOidcSettings } from './entra/github-oidc.js'
import { registerIngestionRoutes } from './ingestion/index.js'
import { registerBlobRoutes } from './blob/service.js'
import { SasSigner } from './blob/sas.js'
import { BlobStore } from './blob/store.js'
import { FaultInjector } from './faults.js'
import { RequestLog } from './requestLog.js'
import { EmulatorServer } from './server.js'
import { buildState } from './seed/build.js'
import { resolveSeed } from './seed/load.js'
import { snapshot } from './snapshot.js'
import { BEHAVIOURS, parseBehaviours } from './behaviours.js'
import { registerProductIngestionRoutes, PRODUCT_INGESTION_PREFIX } from './productIngestion/index.js'
import type { EmulatorState } from './state.js'
import {
  DEFAULT_TIMINGS,
  type EmulatorOptions,
  type FaultRule,
  type RequestLogEntry,
  type Timings
} from './types.js'

export * from './types.js'
export { FAULT_PROFILES } from './faults.js'
export { BEHAVIOURS } from './behaviours.js'
export { Router } from './http/router.js'
export type { RequestContext, Handler } from './http/router.js'
export type { EmulatorState } from './state.js'
export type { ClientAssertionValidator } from './entra/token.js'
export {
  GITHUB_OIDC_ISSUER,
  GITHUB_OIDC_REQUEST_TOKEN,
  GITHUB_OIDC_TOKEN_PATH,
  DEFAULT_GITHUB_OIDC_SUBJECT
} from './entra/github-oidc.js'
export type { GitHubOidcSettings } from './entra/github-oidc.js'

export interface RunningEmulator {
  url: string
  authorityHost: string
  ingestionApiUrl: string
  productIngestionApiUrl: string
  requests(): RequestLogEntry[]
  state(): unknown
  setFaults(rules: FaultRule[] | string, latencyMs?: number): void
  /** switches behaviours of the real service on (replacing the set that was on) */
  setBehaviours(names: string[]): void
  reset(): void
  /** GitHub OIDC stand-in: ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN for a run, and its token claims */
  githubOidc: { requestUrl: string; requestToken: string; configure(settings: GitHubOidcSettings): void }
  close(): Promise<void>
}

/** Extension hook: registers extra routes; called at start and after every reset with the fresh state. */
export type EmulatorExtension = (
  router: Router,
  deps: { state: EmulatorState; signer: TokenSigner; clock: Clock }
) => void

export interface StartOptions extends EmulatorOptions {
  extensions?: EmulatorExtension[]
  /** certificate / federated client-assertion validation; default: the emulator's own (entra/assertions.ts) */
  clientAssertionValidator?: ClientAssertionValidator
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const seed = resolveSeed(options.seed)
  const timings: Timings = { ...DEFAULT_TIMINGS, ...options.timings }
  for (const [k, v] of Object.entries(timings)) {
    if (!(typeof v === 'number' && v >= 0)) throw new Error(`timings.${k} must be a number >= 0`)
  }
  const pageSize = options.pageSize ?? 5
  if (!(Number.isInteger(pageSize) && pageSize > 0)) throw new Error('pageSize must be a positive integer')
  const clock = new Clock(options.timeScale ?? 1)
  const config = {
    clock,
    timings,
    pageSize,
    branchConsistencyReads: options.branchConsistencyReads ?? 2,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    behaviours: parseBehaviours([...(seed.behaviours ?? []), ...(options.behaviours ?? [])])
  }
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pc-emulator-'))
  const store = new BlobStore(dataDir)
  const signer = new TokenSigner()
  const sas = new SasSigner()
  const githubOidc = new GitHubOidcIssuer()
  const assertionValidator =
    options.clientAssertionValidator ?? createAssertionValidator({ github: githubOidc })

  let state = buildState(seed, config)
  let router = new Router()
  const build = () => {
    const r = new Router()
    registerEntraRoutes(r, { state, signer, assertionValidator: () => assertionValidator })
    registerGitHubOidcRoutes(r, githubOidc)
    registerIngestionRoutes(r, { state, signer, sas, store })
    registerBlobRoutes(r, {
      store,
      sas,
      maxPutBlobBytes: options.maxPutBlobBytes,
      maxBlockBytes: 4000 * 1024 * 1024
    })
    registerProductIngestionRoutes(r, { state, signer, clock })
    for (const ext of options.extensions ?? []) ext(r, { state, signer, clock })
    return r
  }
  router = build()

  // The set is shared by every state built (reset keeps the switches, as it keeps the faults).
  const setBehaviours = (names: string[]): void => {
    const chosen = parseBehaviours(names)
    config.behaviours.clear()
    for (const name of chosen) config.behaviours.add(name)
  }
  const describeBehaviours = () => ({
    on: [...config.behaviours].sort(),
    known: Object.fromEntries(Object.entries(BEHAVIOURS).sort(([a], [b]) => a.localeCompare(b)))
  })

  const faults = new FaultInjector(options.faults ?? [], options.latencyMs ?? 0)
  const log = new RequestLog()
  const reset = () => {
    state = buildState(seed, config)
    store.clear()
    githubOidc.reset()
    router = build()
    log.clear()
  }
  const server = new EmulatorServer({
    router: () => router,
    faults,
    log,
    quiet: options.quiet ?? false,
    inspect: {
      state: () => snapshot(state),
      reset,
      advanceClock: ms => clock.advance(ms),
      behaviours: names => {
        if (names !== undefined) setBehaviours(names)
        return describeBehaviours()
      },
      githubOidc: settings =>
        settings === undefined ? githubOidc.settings() : githubOidc.configure(settings as GitHubOidcSettings)
    }
  })
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1')

  return {
    url,
    authorityHost: url,
    ingestionApiUrl: `${url}/v1.0/ingestion`,
    productIngestionApiUrl: `${url}${PRODUCT_INGESTION_PREFIX}`,
    requests: () => log.list(),
    state: () => snapshot(state),
    setFaults: (rules, latencyMs) => faults.set(rules, latencyMs),
    setBehaviours: names => setBehaviours(names),
    reset,
    githubOidc: {
      requestUrl: `${url}/_github/oidc/token?api-version=2.0`,
      requestToken: githubOidc.requestToken,
      configure: settings => void githubOidc.configure(settings)
    },
    close: async () => {
      await server.close()
      if (ownDir) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
