import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'
import type { ConfigureStatus, PiSubmission } from '../../product-ingestion/types.js'
import { partnerCenterUrl, type Report, type Section } from '../../report/report.js'
import { offerOutputs } from '../shared/offer-outputs.js'
import type { ResolvedOffer } from '../shared/resolve-offer.js'
import { jobOutputs, readJobResources, startJob, statusCommandHint, waitForJob } from './jobs.js'
import {
  describeSubmission,
  isInProgress,
  isSucceeded,
  newestFirst,
  newestPreview,
  submissionOutputs,
  submissionResource,
  waitForSubmission
} from './submissions.js'

/**
 * Publishing SaaS, VM and container offers through Product Ingestion: a configure job whose only
 * resource is a submission (docs/partner-center-api.md §2.6). Preview publishes the whole draft; live promotes the
 * newest preview submission (there is no way straight to live).
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
  const preview = newestPreview(submissions)
  if (ctx.inputs.dryRun) {
    const plan =
      target === 'preview'
        ? 'publish the draft to preview'
        : preview
          ? `go live from preview submission ${preview.id}`
          : 'publish the draft to preview, wait for it, then go live'
    return {
      title: `${offer.offerId}: dry run`,
      outputs: offerOutputs(offer),
      sections: [{ text: `Dry run: would ${plan}. Nothing was sent.` }]
    }
  }
  if (target === 'preview') return stepReport(offer, await submit(ctx, offer, 'preview'), 'preview')

  let from = preview
  const sections: Section[] = []
  if (!from || !isSucceeded(from)) {
    if (from && from.status === 'completed')
      log.info(
        `The newest preview submission ${from.id} ended ${from.result}; publishing to preview again first.`
      )
    else log.info(`Offer '${offer.offerId}' has no preview yet; publishing to preview first.`)
    // Going live needs a completed preview, so this wait happens even with `wait: false`.
    const step = await submit(ctx, offer, 'preview', true)
    from = step.submission
    sections.push({
      text: `Published to preview first: submission \`${from?.id}\`, job \`${step.job.jobId}\`.`
    })
  }
  return stepReport(offer, await submit(ctx, offer, 'live', ctx.inputs.wait, from!.id), 'live', sections)
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

/** One configure job with a submission resource; waits for the job, then (if asked) for the submission. */
export async function submit(
  ctx: RunContext,
  offer: ResolvedOffer,
  targetType: 'preview' | 'live',
  wait = ctx.inputs.wait,
  fromId?: string
): Promise<Step> {
  const what =
    targetType === 'preview'
      ? `publish '${offer.offerId}' to preview`
      : `take '${offer.offerId}' live from ${fromId}`
  const started = await startJob(ctx, [submissionResource(offer.productId, targetType, fromId)], what)
  if (!wait) return { job: started }
  const job = await waitForJob(ctx, started.jobId, what, offerOutputs(offer))
  const created = (await readJobResources(ctx, job.jobId)).find(
    r => typeof r.id === 'string' && r.id.startsWith('submission/')
  ) as PiSubmission | undefined
  if (!created) return { job }
  const submission = await waitForSubmission(ctx, offer.productId, created.id)
  if (!isSucceeded(submission)) {
    throw new ActionError(
      `Submission ${submission.id} (${targetType}) ended ${submission.result ?? 'without a result'}.`,
      {
        hint: `Open the offer in Partner Center (${partnerCenterUrl(offer.productId)}) for the certification report, fix the draft and publish again.`
      }
    )
  }
  return { job, submission }
}

export function stepReport(
  offer: ResolvedOffer,
  step: Step,
  targetType: 'preview' | 'live',
  sections: Section[] = []
): Report {
  const { job, submission } = step
  const text = submission
    ? `Submission \`${submission.id}\` (${targetType}): **${submission.status}** / ${submission.result}.`
    : `Configure job \`${job.jobId}\` accepted (${targetType}). ${statusCommandHint(job.jobId)}`
  log.info(text.replace(/[`*]/g, ''))
  return {
    title: `${offer.offerId}: ${submission ? (targetType === 'live' ? 'live' : 'published to preview') : `${targetType} submission started`}`,
    outputs: { ...offerOutputs(offer, submissionOutputs(submission)), ...jobOutputs(job) },
    sections: [
      ...sections,
      { text },
      { text: `[Open in Partner Center](${partnerCenterUrl(offer.productId)})` }
    ]
  }
}
