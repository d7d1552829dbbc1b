import { RESOURCES } from './auth/token-provider.js'
import { COMMAND_HANDLERS } from './commands/index.js'
import { checkInputsForCommand } from './commands/common/applicable-inputs.js'
import { createContext, type ContextOverrides, type RunContext } from './context.js'
import { ActionError, CancelledError, InputError, errorMessage } from './errors.js'
import { redact } from './http/redact.js'
import { isLoopback } from './http/url-policy.js'
import { readInputs, type ActionInputs, type InputReader } from './inputs.js'
import { log } from './log.js'
import type { Report } from './report/report.js'
import { writeReport } from './report/write.js'
import { currentWaitState, describeCurrentWait } from './wait.js'

export interface RunOptions extends ContextOverrides {
  getInput?: InputReader
  env?: NodeJS.ProcessEnv
}

/**
 * The entry: parse inputs, run the command, report; every failure becomes one `::error` that says
 * what failed, why, and what to do, and a non-zero exit code.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  let inputs: ActionInputs | undefined
  let ctx: RunContext | undefined
  const stopSignals = watchForCancellation(
    () => ctx,
    () => inputs
  )
  try {
    inputs = readInputs(options.getInput, options.env)
    checkInputsForCommand(inputs.command, inputs.given)
    ctx = createContext(inputs, {
      timeScale: rehearsalTimeScale(inputs, options.env ?? process.env),
      ...options
    })
    // Every command but `configure` (and a bare configure-job `status`/`cancel`) starts with the
    // Partner Center API; its token request goes out while the command's code loads.
    const graphFirst =
      inputs.command === 'configure' || (!!inputs.jobId && !inputs.offerId && !inputs.productId)
    ctx.tokens.prefetch(graphFirst ? RESOURCES.graph : RESOURCES.partnerCenter)
    const report = await COMMAND_HANDLERS[inputs.command](ctx)
    await writeReport(report)
  } catch (error) {
    await fail(error, inputs)
  } finally {
    stopSignals()
  }
}

/** Environment variable: run waits faster, to match an emulator started with `--time-scale`. */
export const TIME_SCALE_VARIABLE = 'PARTNER_CENTER_PUBLISH_TIME_SCALE'

/**
 * Honoured only when every service URL is a loopback address: a rehearsal against the emulator
 * may compress time; a run against Partner Center never does.
 */
function rehearsalTimeScale(inputs: ActionInputs, env: NodeJS.ProcessEnv): number | undefined {
  const value = env[TIME_SCALE_VARIABLE]
  if (!value) return undefined
  const scale = Number(value)
  const local = [inputs.authorityHost, inputs.ingestionApiUrl, inputs.productIngestionApiUrl].every(url =>
    isLoopback(new URL(url).hostname)
  )
  if (!local || !Number.isFinite(scale) || scale < 1 || scale > 10_000) {
    log.warning(
      `${TIME_SCALE_VARIABLE} is ignored: it applies only to services on a loopback address, with a scale from 1 to 10000.`
    )
    return undefined
  }
  log.info(`Rehearsal: waits and timeouts run ${scale} times faster (${TIME_SCALE_VARIABLE}).`)
  return scale
}

async function fail(error: unknown, inputs: ActionInputs | undefined): Promise<void> {
  const message = redact(errorMessage(error))
  const hint = error instanceof ActionError && error.hint ? redact(error.hint) : undefined
  if (!(error instanceof ActionError) && error instanceof Error && error.stack) log.debug(error.stack)
  const title =
    error instanceof InputError
      ? 'Invalid input'
      : inputs
        ? `${offerLabel(inputs)}${inputs.command} failed`
        : 'partner-center-publish failed'
  // A failure may carry what is known so far (a failed job's outputs and its error table).
  const partial = (error as { report?: Report }).report
  const report: Report = { title, outputs: partial?.outputs ?? {}, sections: partial?.sections ?? [] }
  try {
    await writeReport(report, { message, hint })
  } catch (writeError) {
    log.debug(`Could not write the job summary: ${errorMessage(writeError)}`)
  }
  log.fail(hint ? `${message}\nWhat to do: ${hint}` : message)
}

/** "contoso-app: " when the run names an offer, so that a failure heading says which one. */
function offerLabel(inputs: ActionInputs): string {
  const offer = inputs.offerId ?? inputs.productId
  return offer ? `${offer}: ` : 'partner-center-publish '
}

/**
 * When the runner cancels the step it sends SIGINT, then SIGTERM; say where the release stood (what
 * was being waited for, its state and step, for how long) and how to pick it up, in the log and in
 * the job summary, so that a cancelled release is not a mystery.
 */
function watchForCancellation(
  getContext: () => RunContext | undefined,
  getInputs: () => ActionInputs | undefined
): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    // The command says what it was doing (with the IDs), the wait how it stood and for how long.
    const doing = getContext()?.progress.describe?.()
    const where = doing ? [doing, currentWaitState()].filter(Boolean).join(': ') : describeCurrentWait()
    const error = new CancelledError(
      `The run was cancelled (${signal})${where ? ` while ${where}` : ''}.`,
      where
        ? 'Nothing was rolled back: what was submitted goes on in Partner Center. Check it with `command: status`, and continue with `go-live` or `cancel`.'
        : undefined
    )
    const message = redact(error.message)
    const hint = error.hint && redact(error.hint)
    log.fail(hint ? `${message}\nWhat to do: ${hint}` : message)
    const inputs = getInputs()
    const report: Report = {
      title: inputs ? `${offerLabel(inputs)}${inputs.command} cancelled` : 'partner-center-publish cancelled',
      outputs: {},
      sections: []
    }
    // The runner kills the process a few seconds after the signal: the summary gets one second.
    setTimeout(() => process.exit(130), 1_000).unref()
    writeReport(report, { message, hint })
      .catch(() => undefined)
      .finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
