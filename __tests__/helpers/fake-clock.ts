import type { Clock } from '../../src/clock.js'

/** A clock whose sleeps return at once and advance time, recording each wait. */
export function fakeClock(
  start = Date.parse('2026-11-23T12:00:00Z')
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    }
  }
}
