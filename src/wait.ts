import type { Clock } from './clock.js'
import { ActionError } from './errors.js'

/**
 * Bounded polling for long-running work (package processing, certification, configure jobs). Polls
 * start a few seconds apart and back off to a minute; every poll reads a fresh token through the
 * clients, so a wait of hours survives token expiry. Polls start at most 55 s apart, so a change is
 * noticed within a minute. A timeout says where the work stood and how to
 * pick it up.
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
  /** How to resume when the deadline passes, e.g. "Run `command: status` with submission-id 123." */
  resumeHint: string
  log: (message: string) => void
  initialDelayMs?: number
  maxDelayMs?: number
  /** The delay may grow after this many polls without change. */
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
/** Under a minute, so that a change is seen within a minute even counting the poll's own time. */
export const DEFAULT_MAX_DELAY_MS = 55_000

export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { clock, what, log } = options
  const initial = options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS
  const factor = options.factor ?? 1.5
  const started = clock.now()
  let delay = initial
  let last: string | undefined
  let lastChange = started
  for (;;) {
    const pollStarted = clock.now()
    const value = await options.poll()
    const state = options.describe(value)
    const now = clock.now()
    if (state !== last) {
      log(
        last === undefined
          ? `Waiting for ${what}: ${state}`
          : `${last} -> ${state} (after ${formatDuration(now - lastChange)})`
      )
      // A change means progress: look again sooner.
      if (last !== undefined) delay = initial
      last = state
      lastChange = now
    }
    if (options.done(value)) {
      log(`Waited ${formatDuration(now - started)} for ${what}: ${state}.`)
      return value
    }
    const remaining = options.deadline - now
    if (remaining <= 0) {
      throw new WaitTimeoutError(
        `Timed out after ${formatDuration(now - started)} waiting for ${what}; the last state was ${state}.`,
        `Nothing was cancelled: the work goes on in Partner Center. ${options.resumeHint} Raise \`timeout-minutes\` to wait longer.`,
        state
      )
    }
    // Polls start `delay` apart: the time the poll itself took counts towards the wait.
    await clock.sleep(Math.max(0, Math.min(delay - (now - pollStarted), remaining)))
    delay = Math.min(max, Math.round(delay * factor))
  }
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
