import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'
import { JobFailedError } from '../../product-ingestion/job-errors.js'
import {
  schemaUri,
  type ConfigureStatus,
  type JobError,
  type PiSubmission
} from '../../product-ingestion/types.js'
import {
  code,
  link,
  md,
  partnerCenterUrl,
  strong,
  type Outputs,
  type Report,
  type Section
} from '../../report/report.js'
import { WaitTimeoutError } from '../../wait.js'
import { offerOutputs } from '../common/offer-outputs.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import { jobOutputs, readJobResources, startJob, statusCommandHint, waitForJob } from './jobs.js'
import {
  describeSubmission,
  entryOf,
  isInProgress,
  isSucceeded,
  newestFirst,
  newPreviewSince,
  submissionOutputs,
  submissionResource,
  waitForSubmission
} from './submissions.js'

/**
 * Publishing SaaS, VM and container offers through Product Ingestion: a configure job whose only
 * resource is a submission (docs/partner-center-api.md §2.6). Preview publishes the whole draft. Live
 * publishes the current draft to preview, waits for that submission, and takes *it* live: an older
 * preview may hold an older draft (there is no way straight to live, §2.6).
 *
 * The job is the publish (§7.7): it may stay running through certification for days, its detail may
 * not name the submission, and certification failures come back as its errors. So the action waits on
 * the job, finds the submission in the list when the detail does not name it, then waits on the
 * submission entry of the right target, all within `timeout-minutes`.
 */

export interface Step {
  job: ConfigureStatus
  submission?: PiSubmission
}

export async function publishProductIngestion(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const { target } = ctx.inputs
  if (target === 'draft') {
    const message = `target: draft - nothing to publish for ${offer.type} offer '${offer.offerId}': Product Ingestion offers change their draft with \`command: configure\`.`
    log.notice(message)
    return {
      title: `${offer.offerId}: nothing to publish`,
      outputs: offerOutputs(offer),
      sections: [{ text: message }]
    }
  }
  const submissions = await checkConflicts(ctx, offer)
  if (ctx.inputs.dryRun) return dryRunPlan(ctx, offer, target)
  if (target === 'preview')
    return stepReport(offer, await submit(ctx, offer, 'preview', submissions), 'preview')

  log.info(
    `Publishing the current draft of '${offer.offerId}' to preview first: only a preview that succeeded can go live.`
  )
  // Going live needs the preview to have succeeded, so this wait happens even with `wait: false`.
  const preview = await submit(ctx, offer, 'preview', submissions, { wait: true, goingLive: true })
  if (!preview.submission) {
    throw new ActionError(
      `Configure job ${preview.job.jobId} published '${offer.offerId}' to preview, but no new preview submission is listed, so there is nothing to take live.`,
      {
        hint: 'Run the action with `command: status` to see the submissions, then `command: go-live` with `submission-id`.'
      }
    )
  }
  const sections: Section[] = [
    {
      text: md`Published to preview first: submission ${code(preview.submission.id)}, job ${code(preview.job.jobId)}.`
    }
  ]
  const live = await submit(ctx, offer, 'live', submissions, { fromId: preview.submission.id })
  return stepReport(offer, live, 'live', sections)
}

/**
 * Before publishing: a submission still in progress blocks a new one (the service fails the job).
 * With `on-conflict: cancel` the configure job named by `job-id` is cancelled when it still runs;
 * a submission that is already publishing cannot be cancelled through this API.
 */
export async function checkConflicts(ctx: RunContext, offer: ResolvedOffer): Promise<PiSubmission[]> {
  const { jobId, onConflict } = ctx.inputs
  if (jobId) {
    const job = await ctx.productIngestion.getJobStatus(jobId)
    if (job.jobStatus !== 'completed') {
      if (onConflict === 'fail') {
        throw new ActionError(`Configure job ${jobId} is still ${job.jobStatus}.`, {
          hint: `Wait for it (\`command: status\`), or set \`on-conflict: cancel\` to cancel it first.`
        })
      }
      log.info(`on-conflict: cancel - cancelling configure job ${jobId} (${job.jobStatus}).`)
      if (!ctx.inputs.dryRun)
        await ctx.productIngestion.cancelJob(jobId).catch(error => {
          if (!(error instanceof HttpError && error.status === 400)) throw error
        })
    }
  }
  const submissions = await ctx.productIngestion.listSubmissions(offer.productId)
  const running = newestFirst(submissions).find(isInProgress)
  if (running) {
    throw new ActionError(
      `Submission ${running.id} of offer '${offer.offerId}' is still in progress (${describeSubmission(running)}).`,
      {
        hint:
          onConflict === 'cancel'
            ? 'A submission that is already publishing cannot be cancelled through the Product Ingestion API; wait for it (`command: status` with `wait: true`) and run again.'
            : 'Wait for it (`command: status` with `wait: true`) and run again.'
      }
    )
  }
  return submissions
}

interface SubmitOptions {
  /** Wait for the job and the submission (default: the `wait` input). */
  wait?: boolean
  /** Going live: the preview submission to take live (its id stays the same). */
  fromId?: string
  /** A preview published on the way to live: a failure says nothing went live. */
  goingLive?: boolean
}

/**
 * One configure job with a submission resource. Waits for the job (which may run through
 * certification), finds the submission it carries, and waits for that submission's entry of this
 * target. Every failure and timeout carries the job's and the submission's outputs.
 */
export async function submit(
  ctx: RunContext,
  offer: ResolvedOffer,
  targetType: 'preview' | 'live',
  before: PiSubmission[],
  options: SubmitOptions = {}
): Promise<Step> {
  const { fromId } = options
  const what =
    targetType === 'preview'
      ? `publish '${offer.offerId}' to preview`
      : `take '${offer.offerId}' live from ${fromId}`
  const started = await startJob(ctx, [submissionResource(offer.productId, targetType, fromId)], what)
  if (!(options.wait ?? ctx.inputs.wait)) return { job: started }
  let job: ConfigureStatus
  try {
    job = await waitForJob(ctx, started.jobId, what, offerOutputs(offer))
  } catch (error) {
    if (error instanceof JobFailedError) {
      const failed = await carriedSubmission(ctx, offer, targetType, before, fromId, error.status.errors)
      if (failed) Object.assign(error.report.outputs, offerOutputs(offer, submissionOutputs(failed)))
    }
    throw error
  }
  const created = await carriedSubmission(ctx, offer, targetType, before, fromId, [], job.jobId)
  if (!created) {
    log.warning(
      `Configure job ${job.jobId} succeeded, but no new ${targetType} submission of '${offer.offerId}' is listed yet. ${statusCommandHint(job.jobId)}`
    )
    return { job }
  }
  let submission: PiSubmission
  try {
    submission = await waitForSubmission(ctx, offer.productId, created.id, targetType)
  } catch (error) {
    if (error instanceof WaitTimeoutError)
      throw withOutputs(error, { ...offerOutputs(offer, submissionOutputs(created)), ...jobOutputs(job) })
    throw error
  }
  if (!isSucceeded(submission)) throw submissionFailed(offer, submission, targetType, job, options.goingLive)
  return { job, submission }
}

/**
 * The submission a publish job carries: live keeps the preview's id; a preview is named by the job's
 * detail, by its errors (`resourceId: submission/…`), or else is the preview entry that was not listed
 * before the job (the detail may document only the product, docs/partner-center-api.md §7.7).
 */
async function carriedSubmission(
  ctx: RunContext,
  offer: ResolvedOffer,
  targetType: 'preview' | 'live',
  before: PiSubmission[],
  fromId: string | undefined,
  errors: JobError[],
  jobId?: string
): Promise<PiSubmission | undefined> {
  const named =
    targetType === 'live'
      ? fromId
      : (submissionIdIn(errors) ??
        (jobId
          ? (await readJobResources(ctx, jobId)).find(
              r => typeof r.id === 'string' && r.id.startsWith('submission/')
            )?.id
          : undefined))
  const after = await ctx.productIngestion.listSubmissions(offer.productId)
  if (named)
    return (
      entryOf(after, named, targetType) ??
      ({ ...submissionResource(offer.productId, targetType), id: named } as PiSubmission)
    )
  return newPreviewSince(before, after)
}

/** The first `submission/…` an error tree names. */
function submissionIdIn(errors: JobError[]): string | undefined {
  for (const error of errors) {
    const id =
      typeof error.resourceId === 'string' && error.resourceId.startsWith('submission/')
        ? error.resourceId
        : submissionIdIn(error.details ?? [])
    if (id) return id
  }
  return undefined
}

function submissionFailed(
  offer: ResolvedOffer,
  submission: PiSubmission,
  targetType: 'preview' | 'live',
  job: ConfigureStatus,
  goingLive = false
): ActionError {
  const message = `Submission ${submission.id} (${targetType}) completed with result ${submission.result ?? 'unknown'}${goingLive ? '; it was not taken live, and the live offer is unchanged' : ''}.`
  return withOutputs(
    new ActionError(message, {
      hint: `Open the offer in Partner Center (${partnerCenterUrl(offer.productId)}) for the certification report, fix the draft and publish again.`
    }),
    { ...offerOutputs(offer, submissionOutputs(submission)), ...jobOutputs(job) }
  )
}

/** Gives a failure the outputs known so far (main.ts writes a failure's `report`). */
function withOutputs<E extends Error>(error: E, outputs: Outputs): E {
  const carrier = error as E & { report?: Report }
  carrier.report = {
    title: carrier.report?.title ?? error.message,
    outputs: { ...carrier.report?.outputs, ...outputs },
    sections: carrier.report?.sections ?? []
  }
  return error
}

export function stepReport(
  offer: ResolvedOffer,
  step: Step,
  targetType: 'preview' | 'live',
  sections: Section[] = []
): Report {
  const { job, submission } = step
  const text = submission
    ? md`Submission ${code(submission.id)} (${targetType}): ${strong(submission.status ?? '')} / ${submission.result ?? ''}.`
    : md`Configure job ${code(job.jobId)} accepted (${targetType}). ${statusCommandHint(job.jobId)}`
  log.info(
    submission
      ? `Submission ${submission.id} (${targetType}): ${submission.status} / ${submission.result}.`
      : `Configure job ${job.jobId} accepted (${targetType}). ${statusCommandHint(job.jobId)}`
  )
  return {
    title: `${offer.offerId}: ${submission ? (targetType === 'live' ? 'live' : 'published to preview') : `${targetType} submission started`}`,
    outputs: { ...offerOutputs(offer, submissionOutputs(submission)), ...jobOutputs(job) },
    sections: [
      ...sections,
      { text },
      { text: md`${link('Open in Partner Center', partnerCenterUrl(offer.productId))}` }
    ]
  }
}

/** The dry run of a publish: every step a real run would take, and the configure requests it would send. */
function dryRunPlan(ctx: RunContext, offer: ResolvedOffer, target: 'preview' | 'live'): Report {
  const waitText = ctx.inputs.wait
    ? 'wait for the job and the submission (certification can take days; bounded by `timeout-minutes`)'
    : 'return once the job is accepted (`wait: false`)'
  const steps = [
    'Checked: no submission of the offer is in progress.',
    `Send a configure job whose one resource is a submission of the current draft to preview; ${target === 'live' ? 'wait for it, certification included (only a preview that succeeded can go live)' : waitText}.`,
    ...(target === 'live'
      ? [`Send a configure job that takes that preview submission live; ${waitText}.`]
      : [])
  ]
  const bodies = [
    submissionResource(offer.productId, 'preview'),
    ...(target === 'live'
      ? [submissionResource(offer.productId, 'live', '<the new preview submission>')]
      : [])
  ].map(resource => ({ $schema: schemaUri('configure'), resources: [resource] }))
  log.info(`Dry run: nothing was sent. Would:\n${steps.map(step => `  - ${step}`).join('\n')}`)
  return {
    title: `${offer.offerId}: dry run`,
    outputs: offerOutputs(offer),
    sections: [
      { text: 'Dry run: everything was checked; nothing was sent to Partner Center.' },
      { heading: 'What a real run would do', list: steps },
      {
        details: {
          summary: bodies.length > 1 ? 'Configure requests' : 'Configure request',
          body: bodies.map(body => JSON.stringify(body, null, 2)).join('\n'),
          code: true
        }
      }
    ]
  }
}
