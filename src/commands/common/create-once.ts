import type { Clock } from '../../clock.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'

export interface CreateOnceOptions<T> {
  /** "the package", "the submission": for log lines. */
  what: string
  create: () => Promise<T>
  /**
   * The IDs of the objects of this kind that exist, read right before each attempt: only an object
   * that appears after it can be the one the attempt made.
   */
  existingIds: () => Promise<Set<string>>
  /**
   * The objects an unanswered create may have made: not among `existing`, and matching what this
   * run asked for (its file name, its resources). A concurrent run's object matches neither test
   * when it existed before the attempt, and fails the second when it asked for something else.
   */
  findCandidates: (existing: Set<string>) => Promise<T[]>
  /** For messages: how to name one candidate. */
  describe: (candidate: T) => string
  clock: Clock
  maxAttempts?: number
}

/**
 * A create that is never repeated blindly. When its answer is lost (reset, timeout, 5xx), the state
 * is read back: the one object that appeared since the attempt and matches the request is this
 * run's, and is used; if none did, the create is sent again, up to `maxAttempts` in all. Two or more
 * matching objects mean another run is creating the same thing at the same time: the run stops
 * rather than adopt an object that may be the other run's. So a flaky network neither fails the
 * release nor makes two packages, and a concurrent run never has its object taken over.
 */
export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3
  for (let attempt = 1; ; attempt++) {
    const existing = await options.existingIds()
    try {
      return await options.create()
    } catch (error) {
      if (!(error instanceof HttpError) || !error.details.outcomeUnknown) throw error
      const answer = error.details.status ? `HTTP ${error.details.status}` : error.details.networkCode
      log.warning(
        `Creating ${options.what} gave no clear answer (${answer}); checking whether it was created.`
      )
      const candidates = await options.findCandidates(existing)
      if (candidates.length === 1) {
        log.info(
          `${capitalise(options.what)} had been created; going on with it (${options.describe(candidates[0])}).`
        )
        return candidates[0]
      }
      if (candidates.length > 1) {
        throw new ActionError(
          `Creating ${options.what} gave no clear answer, and ${candidates.length} matching ones appeared meanwhile (${candidates.map(options.describe).join(', ')}): another run is publishing the same offer, and which one is this run's cannot be told.`,
          {
            hint: 'Let one run publish an offer at a time (a `concurrency` group on the job), then run again.',
            cause: error
          }
        )
      }
      if (attempt >= maxAttempts) throw error
      const delay = 2000 * attempt
      log.info(`${capitalise(options.what)} was not created; sending the request again in ${delay / 1000} s.`)
      await options.clock.sleep(delay)
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
