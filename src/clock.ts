/** Time, injectable so that waits and backoff can be tested without real sleeping. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)))
}

/**
 * A clock that runs `scale` times faster than the wall clock: waits are shorter and time reads
 * further on. It pairs with the emulator's `--time-scale`, so that a rehearsal of a 30-minute
 * certification keeps its shape (the same polls, the same timeout) in 30 seconds.
 */
export function scaledClock(scale: number, base: Clock = systemClock): Clock {
  const origin = base.now()
  return {
    now: () => origin + (base.now() - origin) * scale,
    sleep: ms => base.sleep(ms / scale)
  }
}
