import * as core from '@actions/core'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import { HttpError } from '../http/http-error.js'
import { log } from '../log.js'
import { flattenJobErrors, jobErrorTable, JobFailedError } from '../product-ingestion/job-errors.js'
import {
  jobOutputs,
  readJobResources,
  startJob,
  statusCommandHint,
  waitForJob
} from '../product-ingestion/jobs.js'
import {
  describeSubmission,
  isInProgress,
  isSucceeded,
  newestFirst,
  newestPreview,
  submissionDurableId,
  submissionResource,
  waitForSubmission
} from '../product-ingestion/submissions.js'
import type { ConfigureStatus, PiSubmission } from '../product-ingestion/types.js'
import { partnerCenterUrl, type Outputs, type Report, type Section } from '../report/report.js'
import type { ResolvedOffer } from './resolve-offer.js'

/**
 * Publishing SaaS, VM and container offers through Product Ingestion: a configure job whose only
 * resource is a submission (api README §2.6). Preview publishes the whole draft; live promotes the
 * newest preview submission (there is no way straight to live).
 */

interface Step {
  job: ConfigureStatus
  submission?: PiSubmission
}

export async function publishProductIngestion(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const { target } = ctx.inputs
  if (target === 'draft') {
    const message = `target: draft - nothing to publish for ${offer.type} offer '${offer.offerId}': Product Ingestion offers change their draft with \`command: configure\`.`
    core.notice(message)
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

export async function goLiveProductIngestion(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const submissions = await checkConflicts(ctx, offer)
  const from = ctx.inputs.submissionId
    ? submissions.find(
        s => s.id.toLowerCase() === submissionDurableId(offer.productId, ctx.inputs.submissionId!)
      )
    : newestPreview(submissions)
  if (!from) {
    throw new ActionError(
      ctx.inputs.submissionId
        ? `Offer '${offer.offerId}' has no submission ${ctx.inputs.submissionId}.`
        : `Offer '${offer.offerId}' has no preview submission to take live.`,
      {
        hint: 'Publish to preview first (`command: publish`, `target: preview`), or use `target: live`, which does both.'
      }
    )
  }
  if (from.target?.targetType !== 'preview' || !isSucceeded(from)) {
    throw new ActionError(
      `Submission ${from.id} is ${describeSubmission(from)}; only a preview submission that succeeded can go live.`,
      {
        hint: 'Publish to preview again and go live when it has succeeded.'
      }
    )
  }
  if (ctx.inputs.dryRun) {
    return {
      title: `${offer.offerId}: dry run`,
      outputs: offerOutputs(offer, from),
      sections: [{ text: `Dry run: would go live from preview submission \`${from.id}\`.` }]
    }
  }
  return stepReport(offer, await submit(ctx, offer, 'live', ctx.inputs.wait, from.id), 'live')
}

export async function statusProductIngestion(
  ctx: RunContext,
  offer: ResolvedOffer | undefined
): Promise<Report> {
  const jobId = ctx.inputs.jobId
  if (jobId) {
    let status = await ctx.productIngestion.getJobStatus(jobId)
    if (ctx.inputs.wait && status.jobStatus !== 'completed') {
      try {
        status = await waitForJob(ctx, jobId, 'status')
      } catch (error) {
        // A job that ends badly is reported, not raised: `status` observes, it does not fail the workflow.
        if (!(error instanceof JobFailedError)) throw error
        status = error.status
      }
    }
    const rows = flattenJobErrors(status.errors)
    if (status.jobStatus === 'completed' && status.jobResult !== 'succeeded')
      log.warning(`Configure job ${jobId} ${status.jobResult}.`)
    const sections: Section[] = [
      { text: `Configure job \`${jobId}\`: **${status.jobStatus}** / ${status.jobResult}.` }
    ]
    if (rows.length) sections.push({ heading: 'Errors', table: jobErrorTable(rows) })
    const outputs: Outputs = { ...(offer ? offerOutputs(offer) : {}), ...jobOutputs(status) }
    if (status.jobResult === 'succeeded') {
      const ids = (await readJobResources(ctx, jobId))
        .map(r => r.id)
        .filter((id): id is string => typeof id === 'string')
      outputs['resource-ids'] = JSON.stringify(ids)
    }
    return { title: `Configure job ${jobId}`, outputs, sections }
  }
  if (!offer) throw new ActionError('`command: status` needs `job-id`, `offer-id` or `product-id`.')
  let submissions = newestFirst(await ctx.productIngestion.listSubmissions(offer.productId))
  let latest = submissions[0]
  if (latest && ctx.inputs.wait && isInProgress(latest)) {
    latest = await waitForSubmission(ctx, offer.productId, latest.id)
    submissions = [latest, ...submissions.slice(1)]
  }
  const sections: Section[] = [
    {
      heading: 'Submissions',
      text: submissions.length ? undefined : `Offer '${offer.offerId}' has no submission yet.`,
      table: submissions.length
        ? {
            headers: ['Submission', 'Target', 'Status', 'Result', 'Created'],
            rows: submissions
              .slice(0, 20)
              .map(s => [s.id, s.target?.targetType ?? '', s.status ?? '', s.result ?? '', s.created ?? ''])
          }
        : undefined
    }
  ]
  return { title: `${offer.offerId}: submissions`, outputs: offerOutputs(offer, latest), sections }
}

export async function cancelProductIngestion(
  ctx: RunContext,
  offer: ResolvedOffer | undefined
): Promise<Report> {
  const jobId = ctx.inputs.jobId
  if (!jobId) {
    throw new ActionError(
      'Product Ingestion can cancel a configure job, not a submission: give `job-id` (the job-id output of publish or configure).',
      {
        hint: offer
          ? `Run \`command: status\` for offer '${offer.offerId}' to see its submissions.`
          : undefined
      }
    )
  }
  const before = await ctx.productIngestion.getJobStatus(jobId)
  if (before.jobStatus === 'completed') return alreadyCompleted(offer, before)
  if (ctx.inputs.dryRun) {
    return {
      title: `Configure job ${jobId}: dry run`,
      outputs: { ...(offer ? offerOutputs(offer) : {}), ...jobOutputs(before) },
      sections: [{ text: `Dry run: configure job \`${jobId}\` (${before.jobStatus}) would be cancelled.` }]
    }
  }
  let after: ConfigureStatus
  try {
    after = await ctx.productIngestion.cancelJob(jobId)
  } catch (error) {
    // It may complete between the read and the cancel: the service then refuses with 400.
    if (error instanceof HttpError && error.status === 400 && /already completed/i.test(error.message)) {
      return alreadyCompleted(offer, await ctx.productIngestion.getJobStatus(jobId))
    }
    throw error
  }
  if (!after.jobId) after = await ctx.productIngestion.getJobStatus(jobId)
  log.info(`Configure job ${jobId}: ${after.jobStatus}/${after.jobResult}.`)
  return {
    title: `Configure job ${jobId} cancelled`,
    outputs: { ...(offer ? offerOutputs(offer) : {}), ...jobOutputs(after) },
    sections: [
      {
        text: `Configure job \`${jobId}\` was cancelled (${after.jobStatus}/${after.jobResult}); none of its changes were applied.`
      }
    ]
  }
}

function alreadyCompleted(offer: ResolvedOffer | undefined, status: ConfigureStatus): Report {
  const message = `Configure job ${status.jobId} had already completed (${status.jobResult}); there was nothing to cancel.`
  log.info(message)
  return {
    title: `Configure job ${status.jobId}`,
    outputs: { ...(offer ? offerOutputs(offer) : {}), ...jobOutputs(status) },
    sections: [{ text: message }]
  }
}

/**
 * Before publishing: a submission still in progress blocks a new one (the service fails the job).
 * With `on-conflict: cancel` the configure job named by `job-id` is cancelled when it still runs;
 * a submission that is already publishing cannot be cancelled through this API.
 */
async function checkConflicts(ctx: RunContext, offer: ResolvedOffer): Promise<PiSubmission[]> {
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
async function submit(
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

function stepReport(
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
    outputs: { ...offerOutputs(offer, submission), ...jobOutputs(job) },
    sections: [
      ...sections,
      { text },
      { text: `[Open in Partner Center](${partnerCenterUrl(offer.productId)})` }
    ]
  }
}

function offerOutputs(offer: ResolvedOffer, submission?: PiSubmission): Outputs {
  return {
    'product-id': offer.productId,
    'offer-id': offer.offerId,
    'offer-type': offer.type,
    'partner-center-url': partnerCenterUrl(offer.productId),
    ...(submission
      ? {
          'submission-id': submission.id,
          'submission-state': submission.status ?? '',
          'submission-substate': submission.result ?? ''
        }
      : {})
  }
}
