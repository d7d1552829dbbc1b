/**
 * Configure jobs: start one (never blindly twice), wait for it with pollUntil, read what it did.
 * Every PI command that changes something goes through here, so outcome-unknown handling, polling
 * cadence and failure reporting are the same for `configure`, `publish` and `go-live`.
 */
import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'
import type { Outputs } from '../../report/report.js'
import { pollUntil, WaitTimeoutError } from '../../wait.js'
import { JobFailedError } from '../../product-ingestion/job-errors.js'
import type { ConfigureDetail, ConfigureStatus, PiResource } from '../../product-ingestion/types.js'

/**
 * Job status polls start 5 s apart and back off to once a minute: private-offer jobs must not be
 * polled more than once a minute (docs/partner-center-api.md §2.5), and most jobs finish within the first minute.
 */
/** Jobs and submissions run for minutes to days: the long-wait schedule of wait.ts (up to 10 min apart). */
export const JOB_POLL = { initialDelayMs: 5_000 }

export const statusCommandHint = (jobId: string): string =>
  `Run the action with \`command: status\` and \`job-id: ${jobId}\` to follow it.`

/** POST configure. A lost answer is reported as such: the job may exist, and a second POST would run it twice. */
export async function startJob(
  ctx: RunContext,
  resources: PiResource[],
  what: string
): Promise<ConfigureStatus> {
  let status: ConfigureStatus
  try {
    status = await ctx.productIngestion.configure(resources)
  } catch (error) {
    if (error instanceof HttpError && error.details.outcomeUnknown) {
      throw new ActionError(
        `The configure request (${what}) may or may not have been accepted: ${error.message}`,
        {
          hint: 'It was not sent again, because a second request could apply the changes twice. Check the offer with `command: status` (its submissions) or `command: show` before running this again.',
          cause: error
        }
      )
    }
    throw error
  }
  if (!status.jobId)
    throw new ActionError(`The configure request (${what}) was accepted but the answer named no job ID.`)
  log.info(`Configure job ${status.jobId} started (${what}): ${status.jobStatus}/${status.jobResult}.`)
  return status
}

/** Polls until the job completes; throws JobFailedError unless it succeeded. */
export async function waitForJob(
  ctx: RunContext,
  jobId: string,
  what: string,
  outputs: Outputs = {}
): Promise<ConfigureStatus> {
  ctx.progress.describe = () => `configure job ${jobId} (${what}) was running`
  let last: ConfigureStatus | undefined
  const status = await pollUntil({
    what: `configure job ${jobId} (${what})`,
    clock: ctx.clock,
    deadline: ctx.deadline,
    poll: async () => (last = await ctx.productIngestion.getJobStatus(jobId)),
    done: value => value.jobStatus === 'completed',
    describe: value => `${value.jobStatus || 'unknown'}/${value.jobResult || 'unknown'}`,
    resumeHint: statusCommandHint(jobId),
    log: log.info,
    ...JOB_POLL
  }).catch((error: unknown) => {
    // A publish job may run through certification for days (docs/partner-center-api.md §7.7): a
    // timeout still names the job, so the next step can follow it.
    if (error instanceof WaitTimeoutError && last) {
      Object.assign(error, {
        report: { title: error.message, outputs: { ...outputs, ...jobOutputs(last) }, sections: [] }
      })
    }
    throw error
  })
  return checkJob(status, what, outputs)
}

/** A completed job that did not succeed becomes a JobFailedError (with the table of its errors). */
export function checkJob(status: ConfigureStatus, what: string, outputs: Outputs = {}): ConfigureStatus {
  if (status.jobStatus === 'completed' && status.jobResult !== 'succeeded')
    throw new JobFailedError(status, what, outputs)
  return status
}

/** The resources a succeeded job created or updated, with their durable IDs. */
export async function readJobResources(ctx: RunContext, jobId: string): Promise<PiResource[]> {
  const detail: ConfigureDetail | undefined = await ctx.productIngestion.getJobDetail(jobId)
  return detail?.resources ?? []
}

export function jobOutputs(status: ConfigureStatus): Outputs {
  return { 'job-id': status.jobId, 'job-status': status.jobStatus, 'job-result': status.jobResult }
}

/** The product GUID the resources belong to, when they name exactly one. */
export function productGuidOf(resources: unknown[]): string | undefined {
  const guids = new Set<string>()
  for (const resource of resources) {
    if (!resource || typeof resource !== 'object') continue
    const r = resource as Record<string, unknown>
    for (const value of [r.id, r.product, r.root]) {
      if (typeof value !== 'string') continue
      // Every product-scoped durable ID carries the product GUID first; private offers are not product-scoped.
      if (value.startsWith('private-offer/')) continue
      const match = /^[a-z-]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i.exec(
        value
      )
      if (match) guids.add(match[1].toLowerCase())
    }
  }
  return guids.size === 1 ? [...guids][0] : undefined
}
