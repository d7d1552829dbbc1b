import * as core from '@actions/core'
import { redact } from './http/redact.js'

/** Where an annotation points: a file of the repository, and a line in it. */
export interface AnnotationPlace {
  title?: string
  file?: string
  line?: number
  column?: number
}

/**
 * Text as log lines the runner reads as text only. The runner takes a line as a workflow command
 * when it starts with `::` once leading white space is trimmed (`::error::`, `::add-mask::`,
 * `::stop-commands::`), and, in the legacy form, when it holds `##[` anywhere. Offer names, IDs,
 * states and error bodies come from a server and may hold a newline followed by either; so every
 * line (split where the runner splits: `\n`, `\r`, `\r\n`) gets a zero-width space inside the
 * marker. A reader sees the same text; the runner sees no command. Annotations and the failure need
 * none of this: @actions/core escapes their newlines (`%0A`) and `%` itself, so they stay one line.
 */
export function neutralise(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(line => line.replace(/^([\s\u0085]*):(?=:)/, '$1:\u200b').replace(/##\[/g, '##\u200b['))
    .join('\n')
}

/**
 * The one place that writes to the runner's log: lines, annotations, masks and the failure. Every
 * text passes through `redact`, so that a secret that slipped into a message (an echoed request
 * body, a URL with a SAS signature) is removed even where the runner's masking does not reach
 * (local runs, the job summary, multi-line values); plain lines pass through `neutralise` too.
 */
export const log = {
  info: (message: string): void => core.info(neutralise(redact(message))),
  warning: (message: string): void => core.warning(redact(message)),
  notice: (message: string): void => core.notice(redact(message)),
  debug: (message: string): void => core.debug(redact(message)),
  group: async <T>(name: string, fn: () => Promise<T>): Promise<T> => core.group(redact(name), fn),
  /** An `::error` annotation on a file and line, besides the one error the run reports. */
  annotate: (message: string, place: AnnotationPlace): void =>
    core.error(redact(message), {
      title: place.title,
      file: place.file,
      startLine: place.line,
      startColumn: place.column
    }),
  /** Tells the runner to mask `secret` in every later line of the log. */
  mask: (secret: string): void => core.setSecret(secret),
  /** The run's one failure: an `::error` and a failing exit code. */
  fail: (message: string): void => core.setFailed(redact(message))
}
