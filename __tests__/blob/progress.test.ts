import { describe, expect, it } from '@jest/globals'
import { Progress } from '../../src/blob/progress.js'

describe('upload progress', () => {
  it('counts a retried part from zero: a failed attempt does not make the upload look further along', () => {
    const reports: number[] = []
    const progress = new Progress(100, sent => reports.push(sent))
    const first = progress.attempt(0)
    first(50)
    const retry = progress.attempt(0)
    retry(30) // 30 bytes of the retry: behind the 50 already reported, so nothing new to say
    retry(30)
    progress.complete(0, 100)
    progress.finish()
    expect(reports).toEqual([50, 60, 99, 100])
  })

  it('a counter of a replaced attempt, or of a part already complete, counts nothing', () => {
    const reports: number[] = []
    const progress = new Progress(100, sent => reports.push(sent))
    const stale = progress.attempt(0)
    const retry = progress.attempt(0)
    const other = progress.attempt(1)
    stale(40) // the replaced attempt's socket still draining
    retry(20)
    progress.complete(0, 50)
    retry(30) // after its part completed
    other(10)
    expect(reports).toEqual([20, 50, 60])
  })

  it('reports the total once, however often the upload is finished', () => {
    const reports: Array<[number, number]> = []
    const progress = new Progress(10, (sent, total) => reports.push([sent, total]))
    progress.attempt(0)(10)
    progress.complete(0, 10)
    progress.finish()
    progress.finish()
    expect(reports).toEqual([
      [9, 10],
      [10, 10]
    ])
  })
})
