import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'
import { flattenJobErrors, jobErrorTable, JobFailedError } from '../../product-ingestion/job-errors.js'
import type { ConfigureStatus, PiSubmission } from '../../product-ingestion/types.js'
import { code, md, strong, type Outputs, type Report, type Section } from '../../report/report.js'
import { notReady } from '../common/not-ready.js'
import { offerOutputs } from '../common/offer-outputs.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import { jobOutputs, readJobResources, waitForJob } from './jobs.js'
import { checkConflicts, stepReport, submit } from './publish.js'
import {
  describeSubmission,
  hasLiveEntry,
  isInProgress,
  isSucceeded,
  newestFirst,
  newestPreview,
  submissionDurableId,
  submissionOutputs,
  waitForSubmission
} from './submissions.js'

/** go-live, status and cancel for SaaS, VM and container offers (and configure jobs by ID). */

export async function goLiveProductIngestion(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  if (!ctx.inputs.submissionId && !ctx.inputs.jobId) {
    const newest = newestFirst(await ctx.productIngestion.listSubmissions(offer.productId))[0]
    if (newest && isInProgress(newest)) {
      const settled = await settleNewest(ctx, offer, newest)
      if (settled) return settled
    }
  }
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
  if (hasLiveEntry(submissions, from.id)) {
    throw new ActionError(`Submission ${from.id} has already been taken live.`, {
      hint: 'To publish changes, use `command: publish` with `target: live`: it publishes the current draft to preview and takes that live.'
    })
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
      outputs: offerOutputs(offer, submissionOutputs(from)),
      sections: [{ text: md`Dry run: would go live from preview submission ${code(from.id)}.` }]
    }
  }
  return stepReport(offer, await submit(ctx, offer, 'live', submissions, { fromId: from.id }), 'live')
}

/**
 * go-live without `submission-id` acts on the newest submission. Still on its way (a preview in
 * certification, or a live entry going live): with `wait` it is followed to its end, and a preview
 * that ends well is then taken live by the caller (undefined is returned); without `wait` nothing is
 * done and the run says it is not ready yet (common/not-ready.ts).
 */
async function settleNewest(
  ctx: RunContext,
  offer: ResolvedOffer,
  newest: PiSubmission
): Promise<Report | undefined> {
  const where = describeSubmission(newest)
  const target = newest.target?.targetType === 'live' ? 'live' : 'preview'
  if (ctx.inputs.dryRun) {
    const then = target === 'preview' ? ', then take it live' : ''
    return {
      title: `${offer.offerId}: dry run`,
      outputs: offerOutputs(offer, submissionOutputs(newest)),
      sections: [
        {
          text: md`Dry run: submission ${code(newest.id)} (${target}) is ${where}; ${ctx.inputs.wait ? `a real run would wait for it${then}` : 'a real run would stop: it is not ready to go live yet'}.`
        }
      ]
    }
  }
  if (!ctx.inputs.wait) return notReady(ctx, offer, submissionOutputs(newest)!, where)
  log.info(`Submission ${newest.id} (${target}) is ${where}: waiting for it.`)
  const settled = await waitForSubmission(ctx, offer.productId, newest.id, target)
  if (target === 'preview' && isSucceeded(settled)) return undefined
  if (!isSucceeded(settled)) {
    throw new ActionError(
      `Submission ${settled.id} (${target}) completed with result ${settled.result ?? 'unknown'}; nothing went live, and the live offer is unchanged.`,
      { hint: 'Open the offer in Partner Center for the report, fix the draft and publish again.' }
    )
  }
  log.info(`Submission ${settled.id} is live.`)
  return {
    title: `${offer.offerId}: live`,
    outputs: offerOutputs(offer, submissionOutputs(settled)),
    sections: [{ text: md`Submission ${code(settled.id)} was going live; it is live now.` }]
  }
}

export async function statusProductIngestion(
  ctx: RunContext,
  offer: ResolvedOffer | undefined
): Promise<Report> {
  const jobId = ctx.inputs.jobId
  if (jobId) {
    let status = await readJob(ctx, jobId)
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
      { text: md`Configure job ${code(jobId)}: ${strong(status.jobStatus)} / ${status.jobResult}.` }
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
    latest = await waitForSubmission(
      ctx,
      offer.productId,
      latest.id,
      latest.target?.targetType === 'live' ? 'live' : 'preview'
    )
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
  return {
    title: `${offer.offerId}: submissions`,
    outputs: offerOutputs(offer, submissionOutputs(latest)),
    sections
  }
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
  const before = await readJob(ctx, jobId)
  if (before.jobStatus === 'completed') return alreadyCompleted(offer, before)
  if (ctx.inputs.dryRun) {
    return {
      title: `Configure job ${jobId}: dry run`,
      outputs: { ...(offer ? offerOutputs(offer) : {}), ...jobOutputs(before) },
      sections: [
        { text: md`Dry run: configure job ${code(jobId)} (${before.jobStatus}) would be cancelled.` }
      ]
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
        text: md`Configure job ${code(jobId)} was cancelled (${after.jobStatus}/${after.jobResult}); none of its changes were applied.`
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

/** A configure job by `job-id`; one Partner Center does not know is an input error that says what to give. */
async function readJob(ctx: RunContext, jobId: string): Promise<ConfigureStatus> {
  try {
    return await ctx.productIngestion.getJobStatus(jobId)
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      throw new InputError(
        'job-id',
        `configure job ${jobId} was not found in this Partner Center account.`,
        "Give the `job-id` output of the `configure` or `publish` run that started the job (a GUID), from the same tenant; or leave `job-id` out and give `offer-id` to see the state of the offer's latest submission."
      )
    }
    throw error
  }
}
