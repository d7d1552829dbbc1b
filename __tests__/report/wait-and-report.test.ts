import { describe, expect, it } from '@jest/globals'
import { renderMarkdown, SUMMARY_BYTE_LIMIT } from '../../src/report/markdown.js'
import { pollUntil, WaitTimeoutError } from '../../src/wait.js'
import { fakeClock } from '../helpers/fake-clock.js'

describe('pollUntil', () => {
  it('backs off from 5 s to 55 s: a 30-minute wait takes at most 40 polls and notices a change within a minute', async () => {
    const clock = fakeClock()
    const start = clock.now()
    const readyAt = start + 30 * 60_000
    let polls = 0
    const logs: string[] = []
    const result = await pollUntil({
      what: 'certification',
      clock,
      deadline: start + 60 * 60_000,
      poll: async () => (++polls, clock.now() >= readyAt ? 'ready' : 'running'),
      done: v => v === 'ready',
      describe: v => v,
      resumeHint: 'resume',
      log: m => void logs.push(m)
    })
    expect(result).toBe('ready')
    expect(polls).toBeLessThanOrEqual(40)
    expect(clock.now() - readyAt).toBeLessThanOrEqual(60_000)
    expect(Math.max(...clock.sleeps)).toBe(55_000)
    expect(logs.some(l => l.includes('running -> ready'))).toBe(true)
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

  it('stops at the deadline, saying where it stood and how to resume', async () => {
    const clock = fakeClock()
    const error = (await pollUntil({
      what: 'the preview',
      clock,
      deadline: clock.now() + 10 * 60_000,
      poll: async () => 'InProgress/Submitted',
      done: () => false,
      describe: v => v,
      resumeHint: 'Run `command: status` with submission-id 42.',
      log: () => undefined
    }).catch(e => e)) as WaitTimeoutError
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.message).toContain(
      'Timed out after 10 min 0 s waiting for the preview; the last state was InProgress/Submitted.'
    )
    expect(error.hint).toContain('submission-id 42')
    expect(error.hint).toContain('timeout-minutes')
  })
})

describe('renderMarkdown', () => {
  it('cuts long tables and stays under the summary limit for any number of offers', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [
      { text: `offer-${i}`, href: `https://partner.microsoft.com/x/${i}` },
      `Name ${i} | with pipe`,
      'SaaS',
      `${i}`
    ])
    const text = renderMarkdown({
      title: 'Offers',
      outputs: {},
      sections: [{ table: { headers: ['Offer', 'Name', 'Type', 'ID'], rows } }]
    })
    expect(Buffer.byteLength(text)).toBeLessThan(SUMMARY_BYTE_LIMIT + 1024)
    expect(text).toContain('19500 more rows not shown')
    expect(text).toContain('Name 1 \\| with pipe')
  })

  it('shows a failure with its fix, and redacts SAS signatures', () => {
    const text = renderMarkdown(
      {
        title: 'Publish',
        outputs: {},
        sections: [{ text: 'upload https://x.blob/p?sv=1&sig=abcdef123456&sp=rwl' }]
      },
      { message: 'It broke', hint: 'Do this' }
    )
    expect(text).toContain('> It broke')
    expect(text).toContain('**What to do:** Do this')
    expect(text).not.toContain('abcdef123456')
  })
})
