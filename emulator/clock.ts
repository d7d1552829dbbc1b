// Virtual clock. Server-side workflows (package processing, certification, go-live) are modelled
// as durations on this clock; timeScale compresses them so a rehearsal of a 30-minute certification
// can run in seconds. State is derived lazily from timestamps when read, so no timers are needed
// and nothing keeps the process alive.

export class Clock {
  private readonly realStart = Date.now()
  private offsetMs = 0

  constructor(readonly timeScale: number = 1) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0 (got ${timeScale})`)
  }

  /** Virtual now, in epoch milliseconds. */
  now(): number {
    return this.realStart + (Date.now() - this.realStart) * this.timeScale + this.offsetMs
  }

  /** Move virtual time forward (tests, `POST /_emulator/clock`). */
  advance(ms: number): void {
    this.offsetMs += ms
  }

  iso(ms: number = this.now()): string {
    return new Date(ms).toISOString()
  }
}
