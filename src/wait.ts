import type { Clock } from './clock.js'
import { ActionError } from './errors.js'

/**
 * Bounded polling for long-running work (package processing, certification, configure jobs).
 *
 * Certification takes hours to days and a Product Ingestion job up to 7 days, so the schedule is
 * economical yet prompt (see `nextPollDelay`): quick polls in the first minutes, when the early steps
 * finish, then at most one a minute, then one every 10 % of the time waited, at most one every
 * 10 minutes. A change is noticed within max(60 s, 10 % of the time waited). Every poll reads a fresh
 * token through the clients, so a wait of days survives token expiry.
 *
 * A heartbeat line says at least every 5 minutes what is being waited for, the current step and the
 * time waited, even while sleeping between polls ten minutes apart. A timeout says where the work
 * stood and how to pick it up.
 */

export interface PollOptions<T> {
  /** What is being waited for, for log lines and the timeout message: "preview to be ready". */
  what: string
  clock: Clock
  /** Epoch ms after which waiting stops. */
  deadline: number
  /** One observation. */
  poll: () => Promise<T>
  /** True when `value` is an end state (success or failure; the caller tells them apart). */
  done: (value: T) => boolean
  /** A short description of a state, e.g. "InProgress/Submitted". A change is logged with its duration. */
  describe: (value: T) => string
  /**
   * The current step of the work ("Certification"), for the heartbeat. Asked at most once per
   * heartbeat and at a change of state, so it may cost a request; a failure only leaves the step out.
   */
  step?: (value: T) => Promise<string | undefined>
  /** How to resume when the deadline passes, e.g. "Run `command: status` with submission-id 123." */
  resumeHint: string
  log: (message: string) => void
  /** The first delay between polls (default 5 s); it grows by `factor` while nothing changes. */
  initialDelayMs?: number
  /** The longest delay between polls (default 10 minutes). Short waits set a lower one. */
  maxDelayMs?: number
  factor?: number
}

export class WaitTimeoutError extends ActionError {
  constructor(
    message: string,
    hint: string,
    readonly lastState: string
  ) {
    super(message, { hint })
    this.name = 'WaitTimeoutError'
  }
}

export const DEFAULT_INITIAL_DELAY_MS = 5_000
/** Polls of a long wait are at most this often once the first minutes have passed. */
export const STEADY_DELAY_MS = 60_000
/** After this long without a change the quick start is over: at most one poll a minute. */
export const QUICK_START_MS = 10 * 60_000
/**
 * The delay is this share of the time since the wait began (or the state last changed): 9 %, so that
 * a late timer or a slow poll still sees a change within 10 % of the time waited.
 */
export const DELAY_SHARE = 0.09
export const DEFAULT_MAX_DELAY_MS = 10 * 60_000
/** A heartbeat line at least this often; lines are due a little earlier so that a late timer stays within. */
export const HEARTBEAT_MS = 5 * 60_000
const HEARTBEAT_DUE_MS = HEARTBEAT_MS - 15_000

export interface DelayPolicy {
  initialDelayMs: number
  maxDelayMs: number
  factor: number
}

/**
 * The delay before the next poll. `quickMs` is the quick-start backoff (initial × factor^n) and
 * `sinceChangeMs` the time since the wait began or the state last changed, `waitedMs` since the
 * wait began. The delay is never above max(60 s, 10 % of `sinceChangeMs`) (so a change is seen
 * within 10 % of the time waited), never above `maxDelayMs`, and, once the wait has lasted
 * 10 minutes, never below 60 s (at most one poll a minute).
 */
export function nextPollDelay(
  quickMs: number,
  sinceChangeMs: number,
  waitedMs: number,
  policy: DelayPolicy
): number {
  const quickStart = quickMs < STEADY_DELAY_MS && waitedMs < QUICK_START_MS
  const delay = quickStart ? quickMs : Math.max(STEADY_DELAY_MS, DELAY_SHARE * sinceChangeMs)
  return Math.min(policy.maxDelayMs, delay)
}

interface CurrentWait {
  what: string
  state: string
  step?: string
  started: number
  clock: Clock
}

let current: CurrentWait | undefined

/**
 * Where the running wait stands, e.g. "waiting for the preview: InProgress/Submitted, step
 * Certification, for 2 h 10 min"; undefined when nothing is being waited for. The cancellation
 * handler reports it when the runner stops the step.
 */
export function describeCurrentWait(): string | undefined {
  const state = currentWaitState()
  return current && state && `waiting for ${current.what}: ${state}`
}

/** The state part alone: "InProgress/Submitted, step Certification, for 2 h 10 min". */
export function currentWaitState(): string | undefined {
  if (!current) return undefined
  return `${current.state}${current.step ? `, step ${current.step}` : ''}, for ${formatDuration(current.clock.now() - current.started)}`
}

export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { clock, what, log } = options
  const policy: DelayPolicy = {
    initialDelayMs: options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    factor: options.factor ?? 1.5
  }
  const started = clock.now()
  const wait: CurrentWait = { what, state: 'not yet checked', started, clock }
  current = wait
  let quick = policy.initialDelayMs
  let last: string | undefined
  let lastChange = started
  let lastBeat = started
  const readStep = async (value: T): Promise<void> => {
    if (!options.step) return
    try {
      wait.step = await options.step(value)
    } catch {
      // The step is a detail of the heartbeat: without it the line still says what and how long.
    }
  }
  const heartbeat = (now: number, nextPoll?: number): void => {
    lastBeat = now
    log(
      `Still waiting for ${what}: ${wait.state}${wait.step ? `, step ${wait.step}` : ''}; waited ${formatDuration(now - started)}${nextPoll === undefined ? '' : `, next check in ${formatDuration(nextPoll)}`}.`
    )
  }
  try {
    for (;;) {
      const pollStarted = clock.now()
      const value = await options.poll()
      const state = options.describe(value)
      let now = clock.now()
      const changed = state !== last
      if (changed) {
        wait.state = state
        if (!options.done(value)) await readStep(value)
        log(
          last === undefined
            ? `Waiting for ${what}: ${state}${wait.step ? `, step ${wait.step}` : ''}`
            : `${last} -> ${state} (after ${formatDuration(now - lastChange)})${wait.step && !options.done(value) ? `, step ${wait.step}` : ''}`
        )
        // A change means progress: look again sooner.
        if (last !== undefined) {
          quick = policy.initialDelayMs
          lastChange = now
        }
        last = state
      }
      if (options.done(value)) {
        log(`Waited ${formatDuration(now - started)} for ${what}: ${state}.`)
        return value
      }
      const remaining = options.deadline - now
      if (remaining <= 0) {
        throw new WaitTimeoutError(
          `Timed out after ${formatDuration(now - started)} waiting for ${what}; the last state was ${state}${wait.step ? ` (step ${wait.step})` : ''}.`,
          `Nothing was cancelled: the work goes on in Partner Center. ${options.resumeHint} Raise \`timeout-minutes\` to wait longer.`,
          state
        )
      }
      const delay = nextPollDelay(quick, now - lastChange, now - started, policy)
      quick = Math.min(STEADY_DELAY_MS, Math.round(quick * policy.factor))
      // Polls start `delay` apart: the time the poll itself took counts towards the wait.
      const wakeAt = Math.min(pollStarted + delay, options.deadline)
      // The step is read at most once per poll, and only when a heartbeat falls before the next one.
      if (!changed && lastBeat + HEARTBEAT_DUE_MS <= wakeAt) {
        await readStep(value)
        now = clock.now()
      }
      if (now - lastBeat >= HEARTBEAT_DUE_MS) heartbeat(now, wakeAt - now)
      // Sleep in stretches that end when a heartbeat is due, so a line comes at least every 5 minutes.
      while (now < wakeAt) {
        await clock.sleep(Math.min(wakeAt, lastBeat + HEARTBEAT_DUE_MS) - now)
        now = clock.now()
        if (now < wakeAt && now - lastBeat >= HEARTBEAT_DUE_MS) heartbeat(now, wakeAt - now)
      }
    }
  } finally {
    if (current === wait) current = undefined
  }
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}
