/**
 * Errors that reach the user. Every failure the action reports is one of these, so that main.ts can
 * turn it into one `::error` annotation that says what failed, why, and what to do.
 */

/** A failure with a cause the user can act on. `hint` says what to do about it. */
export class ActionError extends Error {
  readonly hint?: string
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'ActionError'
    this.hint = options.hint
  }
}

/** Bad input: raised before anything is written, and always names the input. */
export class InputError extends ActionError {
  readonly input: string
  constructor(input: string, message: string, hint?: string) {
    super(`Input '${input}': ${message}`, { hint })
    this.name = 'InputError'
    this.input = input
  }
}

/** The run was cancelled (SIGINT/SIGTERM from the runner, or an AbortSignal). */
export class CancelledError extends ActionError {
  constructor(message = 'The run was cancelled.', hint?: string) {
    super(message, { hint })
    this.name = 'CancelledError'
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
