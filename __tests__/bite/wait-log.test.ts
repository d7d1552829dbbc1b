// What a wait tells the user in the log: where it started, each change of state, and at the end how long
// it waited and the state it ended in (the line a user looks for in a long release log).
import { expect, it } from '@jest/globals'
import { pollUntil } from '../../src/wait.js'
import { fakeClock } from '../helpers/fake-clock.js'

it('a wait logs its start, each change, and how long it took to reach the end state', async () => {
  const clock = fakeClock()
  const start = clock.now()
  const states = (): string =>
    clock.now() - start < 20_000 ? 'Uploaded' : clock.now() - start < 200_000 ? 'InProcessing' : 'Processed'
  const logs: string[] = []
  const result = await pollUntil({
    what: 'the package to be processed',
    clock,
    deadline: start + 60 * 60_000,
    poll: async () => states(),
    done: state => state === 'Processed',
    describe: state => state,
    resumeHint: 'Run again.',
    log: message => void logs.push(message)
  })
  expect(result).toBe('Processed')
  expect(logs[0]).toBe('Waiting for the package to be processed: Uploaded')
  expect(logs.filter(l => l.includes(' -> '))).toEqual([
    expect.stringMatching(/^Uploaded -> InProcessing \(after \d+ s\)$/),
    expect.stringMatching(/^InProcessing -> Processed \(after \d+ min \d+ s\)$/)
  ])
  const waited = Math.round((clock.now() - start) / 1000)
  expect(logs.at(-1)).toBe(
    `Waited ${Math.floor(waited / 60)} min ${waited % 60} s for the package to be processed: Processed.`
  )
})

it('a wait of hours (certification) says how many hours and minutes it took', async () => {
  const clock = fakeClock()
  const start = clock.now()
  const readyAt = start + (3 * 60 + 25) * 60_000
  const logs: string[] = []
  await pollUntil({
    what: 'certification',
    clock,
    deadline: start + 6 * 60 * 60_000,
    poll: async () => (clock.now() >= readyAt ? 'ready' : 'running'),
    done: state => state === 'ready',
    describe: state => state,
    resumeHint: 'Run again.',
    log: message => void logs.push(message)
  })
  // However the polls were spaced, the wait is told in hours and minutes, as long as it took.
  const minutes = Math.floor(Math.round((clock.now() - start) / 1000) / 60)
  expect(minutes).toBeGreaterThanOrEqual(3 * 60 + 25)
  const took = `${Math.floor(minutes / 60)} h ${minutes % 60} min`
  expect(logs.at(-1)).toBe(`Waited ${took} for certification: ready.`)
  expect(logs).toContain(`running -> ready (after ${took})`)
})
