import * as core from '@actions/core'
import { redact } from './http/redact.js'

/**
 * The one place that writes to the log. Everything passes through `redact`, so that a secret that
 * slipped into a message (an echoed request body, a URL with a SAS signature) is removed even where
 * the runner's masking does not reach (local runs, the job summary, multi-line values).
 */
export const log = {
  info: (message: string): void => core.info(redact(message)),
  warning: (message: string): void => core.warning(redact(message)),
  debug: (message: string): void => core.debug(redact(message)),
  group: async <T>(name: string, fn: () => Promise<T>): Promise<T> => core.group(redact(name), fn)
}
