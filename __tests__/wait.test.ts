import { describe, expect, it } from '@jest/globals'
import {
  describeCurrentWait,
  formatDuration,
  HEARTBEAT_MS,
  pollUntil,
  WaitTimeoutError
} from '../src/wait.js'
import { fakeClock } from './helpers/fake-clock.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A wait on a service whose state changes at `readyAfterMs`; records every poll and log line. */
async function certification(readyAfterMs: number, options: { deadlineMs?: number } = {}) {
  const clock = fakeClock()
  const start = clock.now()
  const pollTimes: number[] = []
  const lines: Array<{ at: number; text: string }> = []
  let stepReads = 0
  const result = await pollUntil({
    what: 'the preview',
    clock,
    deadline: start + (options.deadlineMs ?? 80 * HOUR),
    poll: async () => {
      pollTimes.push(clock.now() - start)
      return clock.now() - start >= readyAfterMs ? 'Published/ReadyToPublish' : 'InProgress/Submitted'
    },
    done: v => v.startsWith('Published'),
    describe: v => v,
    step: async () => {
      stepReads++
      return clock.now() - start < 10 * MINUTE ? 'Automated validation' : 'Certification'
    },
    resumeHint: 'resume',
    log: text => void lines.push({ at: clock.now() - start, text })
  })
  const detectedAt = pollTimes[pollTimes.length - 1]!
  return { result, pollTimes, lines, stepReads, detectionDelay: detectedAt - readyAfterMs }
}

describe('pollUntil: the polling schedule', () => {
  it('a 72-hour certification: quick polls first, at most one a minute in the first hour, then at most one every 10 minutes', async () => {
    const { result, pollTimes } = await certification(72 * HOUR)
    expect(result).toBe('Published/ReadyToPublish')
    const gaps = pollTimes.slice(1).map((t, i) => t - pollTimes[i]!)
    // The first minutes: polls seconds apart, for the steps that finish quickly.
    expect(gaps[0]).toBe(5_000)
    // At most 60 polls in the first hour, none closer than a minute once 10 minutes have passed.
    expect(pollTimes.filter(t => t < HOUR).length).toBeLessThanOrEqual(60)
    pollTimes.forEach((t, i) => {
      if (i > 0 && t >= 10 * MINUTE) expect(t - pollTimes[i - 1]!).toBeGreaterThanOrEqual(MINUTE)
    })
    // Never more than 10 minutes apart, and every 10 minutes once the wait is long.
    expect(Math.max(...gaps)).toBe(10 * MINUTE)
    const late = pollTimes.filter(t => t >= 2 * HOUR)
    expect(late.length).toBeLessThanOrEqual(Math.ceil((70 * HOUR) / (10 * MINUTE)) + 1)
    // 72 hours in under 500 polls (polls 55 s apart would have been 4,700).
    expect(pollTimes.length).toBeLessThan(500)
  })

  it('notices a change within max(60 s, 10 % of the time waited), wherever it falls', async () => {
    for (const readyAfter of [
      3_000,
      40_000,
      4 * MINUTE + 1_000,
      17 * MINUTE + 30_000,
      HOUR - 1,
      3 * HOUR + 7 * MINUTE,
      26 * HOUR + 59 * MINUTE,
      71 * HOUR + 55 * MINUTE
    ]) {
      const { detectionDelay } = await certification(readyAfter)
      expect(detectionDelay).toBeGreaterThanOrEqual(0)
      expect(detectionDelay).toBeLessThanOrEqual(Math.max(MINUTE, 0.1 * readyAfter))
    }
  })

  it('looks again sooner after a change, but not more than once a minute late in a wait', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const pollTimes: number[] = []
    await pollUntil({
      what: 'the release',
      clock,
      deadline: start + 20 * HOUR,
      poll: async () => {
        pollTimes.push(clock.now() - start)
        const t = clock.now() - start
        return t < 5 * HOUR ? 'certification' : t < 5 * HOUR + 20 * MINUTE ? 'publishing' : 'live'
      },
      done: v => v === 'live',
      describe: v => v,
      resumeHint: '',
      log: () => undefined
    })
    const afterChange = pollTimes.filter(t => t >= 5 * HOUR)
    const gaps = afterChange.slice(1).map((t, i) => t - afterChange[i]!)
    expect(gaps[0]).toBe(MINUTE)
    // "publishing" lasted 20 minutes and was seen to end within 10 % of the 20 minutes (or a minute).
    expect(afterChange[afterChange.length - 1]! - (5 * HOUR + 20 * MINUTE)).toBeLessThanOrEqual(2 * MINUTE)
  })

  it('keeps the caps of a short wait (package processing: 2 s to 15 s)', async () => {
    const clock = fakeClock()
    let polls = 0
    await pollUntil({
      what: 'the package',
      clock,
      deadline: clock.now() + HOUR,
      poll: async () => ++polls,
      done: n => n === 12,
      describe: n => (n < 12 ? 'Processing' : 'Processed'),
      resumeHint: '',
      log: () => undefined,
      initialDelayMs: 2_000,
      maxDelayMs: 15_000
    })
    expect(clock.sleeps.slice(0, 4)).toEqual([2_000, 3_000, 4_500, 6_750])
    expect(Math.max(...clock.sleeps)).toBe(15_000)
  })

  it('counts the time a poll takes towards the wait', async () => {
    const clock = fakeClock()
    let polls = 0
    await pollUntil({
      what: 'x',
      clock,
      deadline: clock.now() + 3_600_000,
      poll: async () => {
        clock.advance(2_000) // a slow poll: 2 s
        return ++polls
      },
      done: n => n === 4,
      describe: n => String(n),
      resumeHint: '',
      log: () => undefined,
      initialDelayMs: 10_000,
      factor: 1
    })
    expect(clock.sleeps).toEqual([8_000, 8_000, 8_000])
  })
})

describe('pollUntil: the heartbeat', () => {
  it('logs what is waited for, the step and the time waited at least every 5 minutes, between polls 10 minutes apart too', async () => {
    const { lines, pollTimes, stepReads } = await certification(6 * HOUR)
    const beats = lines.filter(l => /^(Waiting for|Still waiting for) the preview: /.test(l.text))
    expect(beats[0]!.at).toBe(0)
    // No more often than needed: nothing is repeated during the quick polls of the first minutes.
    expect(lines.filter(l => l.text.startsWith('Still waiting') && l.at < 4 * MINUTE)).toEqual([])
    // The first line already says the step; the end says no step (nothing is running any more).
    expect(beats[0]!.text).toBe('Waiting for the preview: InProgress/Submitted, step Automated validation')
    expect(lines.find(l => l.text.startsWith('InProgress/Submitted -> '))?.text).toMatch(
      /^InProgress\/Submitted -> Published\/ReadyToPublish \(after 6 h \d+ min\)$/
    )
    const times = [...beats.map(b => b.at), 6 * HOUR]
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_MS)
    const late = beats.find(b => b.at > 3 * HOUR)!
    expect(late.text).toMatch(
      /^Still waiting for the preview: InProgress\/Submitted, step Certification; waited 3 h \d+ min, next check in \d+ min \d+ s\.$/
    )
    expect(beats.find(b => b.at > 0 && b.at < 10 * MINUTE)?.text).toContain('step Automated validation')
    // The step costs a request: asked only at polls with a heartbeat due before the next one.
    expect(stepReads).toBeLessThanOrEqual(beats.length)
    expect(stepReads).toBeLessThan(pollTimes.length)
  })

  it('says the step in the timeout message and where the wait stood while it ran', async () => {
    const clock = fakeClock()
    let during: string | undefined
    const error = (await pollUntil({
      what: 'the preview',
      clock,
      deadline: clock.now() + 2 * HOUR,
      poll: async () => {
        during = describeCurrentWait()
        return 'InProgress/Submitted'
      },
      done: () => false,
      describe: v => v,
      step: async () => 'Certification',
      resumeHint: 'Run `command: status` with submission-id 42.',
      log: () => undefined
    }).catch(e => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.message).toBe(
      'Timed out after 2 h 0 min waiting for the preview; the last state was InProgress/Submitted (step Certification).'
    )
    expect(error.hint).toContain('submission-id 42')
    expect(error.hint).toContain('timeout-minutes')
    expect(during).toMatch(
      /^waiting for the preview: InProgress\/Submitted, step Certification, for 2 h 0 min$/
    )
    expect(describeCurrentWait()).toBeUndefined()
  })

  it('leaves the step out when reading it fails, and goes on waiting', async () => {
    const clock = fakeClock()
    const lines: string[] = []
    let polls = 0
    await pollUntil({
      what: 'the job',
      clock,
      deadline: clock.now() + HOUR,
      poll: async () => ++polls,
      done: n => n > 30,
      describe: n => (n > 30 ? 'completed' : 'running'),
      step: async () => {
        throw new Error('workflowdetails: 500')
      },
      resumeHint: '',
      log: l => void lines.push(l)
    })
    expect(lines.some(l => /^Still waiting for the job: running; waited \d+ min/.test(l))).toBe(true)
  })
})

describe('formatDuration', () => {
  it('reads naturally from seconds to days', () => {
    expect(formatDuration(42_000)).toBe('42 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(3 * HOUR + 4 * MINUTE)).toBe('3 h 4 min')
    expect(formatDuration(72 * HOUR + 30 * MINUTE)).toBe('3 d 0 h')
  })
})
