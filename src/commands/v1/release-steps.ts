import type { Clock } from '../../clock.js'
import { log } from '../../log.js'
import type { Section } from '../../report/report.js'
import { formatDuration } from '../../wait.js'
import type { ReleaseStep } from './submissions.js'

/**
 * The named steps of a release: each runs in its own log group and is timed, so that the summary can
 * show where the time went (upload, processing, certification, …).
 */
export class ReleaseSteps {
  private readonly started: number
  private readonly taken: Array<[string, number]> = []

  constructor(private readonly clock: Clock) {
    this.started = clock.now()
  }

  readonly run: ReleaseStep = async (name, fn) => {
    const t0 = this.clock.now()
    const result = await log.group(name, fn)
    this.taken.push([name, this.clock.now() - t0])
    return result
  }

  /** The steps taken so far and the total, as a summary table. */
  section(): Section {
    return {
      heading: 'Steps',
      table: {
        headers: ['Step', 'Took'],
        rows: [
          ...this.taken.map(([name, ms]) => [name, formatDuration(ms)]),
          ['Total', formatDuration(this.clock.now() - this.started)]
        ]
      }
    }
  }
}
