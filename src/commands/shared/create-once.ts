import type { Clock } from '../../clock.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'

export interface CreateOnceOptions<T> {
  /** "the package", "the submission": for log lines. */
  what: string
  create: () => Promise<T>
  /** Looks for what an unanswered create may have made (a new ID, our file name). */
  findCreated: () => Promise<T | undefined>
  clock: Clock
  maxAttempts?: number
}

/**
 * A create that is never repeated blindly. When its answer is lost (reset, timeout, 5xx), the state
 * is read back: what was created is used; if nothing was, the create is sent again, up to
 * `maxAttempts` in all. So a flaky network neither fails the release nor makes two packages.
 */
export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.create()
    } catch (error) {
      if (!(error instanceof HttpError) || !error.details.outcomeUnknown) throw error
      const answer = error.details.status ? `HTTP ${error.details.status}` : error.details.networkCode
      log.warning(
        `Creating ${options.what} gave no clear answer (${answer}); checking whether it was created.`
      )
      const found = await options.findCreated()
      if (found) {
        log.info(`${capitalise(options.what)} had been created; going on with it.`)
        return found
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
