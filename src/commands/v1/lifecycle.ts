import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import type { Submission, WorkflowDetail } from '../../ingestion/types.js'
import { log } from '../../log.js'
import type { Report, Section } from '../../report/report.js'
import { newestFirst } from './plan-state.js'
import type { ResolvedOffer } from '../shared/resolve-offer.js'
import {
  currentStep,
  describeSubmission,
  isFailed,
  isInProgress,
  isLive,
  isPreviewReady,
  submissionFailure,
  submissionOutputs,
  waitForSubmission
} from './submissions.js'
import { notReadyReport } from '../shared/not-ready.js'
import { offerOutputs } from '../shared/offer-outputs.js'

/** go-live, status and cancel for v1 offers: act on `submission-id`, or on the newest fitting one. */

async function pickSubmission(
  ctx: RunContext,
  offer: ResolvedOffer,
  fits: (s: Submission) => boolean,
  none: string
): Promise<Submission> {
  const id = ctx.inputs.submissionId
  if (id) {
    const found = await ctx.ingestion.getSubmission(offer.productId, id)
    if (!found)
      throw new InputError('submission-id', `submission ${id} does not exist for offer '${offer.offerId}'.`)
    return found
  }
  const found = newestFirst(await ctx.ingestion.listSubmissions(offer.productId)).find(fits)
  if (!found)
    throw new ActionError(none, {
      hint: 'Run `command: show` to see the latest submission, or give `submission-id`.'
    })
  return found
}

const outputs = (offer: ResolvedOffer, s: Submission): Report['outputs'] =>
  offerOutputs(offer, submissionOutputs(s))

export async function goLiveV1(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  // Not yet time (the newest submission is still in validation or certification): nothing to do,
  // and no failure, so that a scheduled go-live simply runs again later.
  if (!ctx.inputs.submissionId) {
    const newest = newestFirst(await ctx.ingestion.listSubmissions(offer.productId))[0]
    if (newest && isInProgress(newest)) {
      const step = currentStep(
        await ctx.ingestion.getWorkflowDetails(offer.productId, newest.id).catch(() => [])
      )
      return notReadyReport(
        offer,
        submissionOutputs(newest),
        `${describeSubmission(newest)}${step ? `, step ${step}` : ''}`
      )
    }
  }
  const candidate = await pickSubmission(
    ctx,
    offer,
    isPreviewReady,
    `Offer '${offer.offerId}' has no submission ready to go live (Published/ReadyToPublish).`
  )
  if (!isPreviewReady(candidate) && isInProgress(candidate)) {
    return notReadyReport(offer, submissionOutputs(candidate), describeSubmission(candidate))
  }
  if (isLive(candidate)) {
    log.info(`Submission ${candidate.id} is already live.`)
    return {
      title: `${offer.offerId}: already live`,
      outputs: outputs(offer, candidate),
      sections: [
        { text: `Submission \`${candidate.id}\` is already live (${describeSubmission(candidate)}).` }
      ]
    }
  }
  if (!isPreviewReady(candidate)) {
    throw new ActionError(
      `Submission ${candidate.id} cannot go live: it is ${describeSubmission(candidate)}, not ready to publish.`,
      {
        hint: 'Wait for the preview (`command: status` with `wait: true`), then run go-live again.'
      }
    )
  }
  if (ctx.inputs.dryRun) {
    return {
      title: `${offer.offerId}: dry run`,
      outputs: outputs(offer, candidate),
      sections: [{ text: `Dry run: submission \`${candidate.id}\` would go live.` }]
    }
  }
  const promoted = await ctx.ingestion.promoteSubmission(offer.productId, candidate.id)
  let submission: Submission = promoted?.id ? promoted : candidate
  log.info(`Submission ${submission.id}: go-live requested.`)
  if (ctx.inputs.wait)
    submission = await waitForSubmission(ctx, offer.productId, submission, 'the offer to go live', isLive)
  return {
    title: `${offer.offerId}: ${isLive(submission) ? 'live' : 'going live'}`,
    outputs: outputs(offer, submission),
    sections: [{ text: `Submission \`${submission.id}\`: **${submission.state}** / ${submission.substate}.` }]
  }
}

export async function statusV1(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  let submission = await pickSubmission(
    ctx,
    offer,
    () => true,
    `Offer '${offer.offerId}' has no submission yet.`
  )
  if (ctx.inputs.wait && isInProgress(submission)) {
    submission = await waitForSubmission(
      ctx,
      offer.productId,
      submission,
      'the submission to finish',
      s => !isInProgress(s) || isPreviewReady(s)
    )
  }
  const workflow = await ctx.ingestion.getWorkflowDetails(offer.productId, submission.id)
  if (isFailed(submission)) {
    const failure = await submissionFailure(ctx, offer.productId, submission)
    log.warning(failure.message)
  }
  log.info(`Submission ${submission.id}: ${describeSubmission(submission)}.`)
  return {
    title: `${offer.offerId}: submission ${submission.id}`,
    outputs: outputs(offer, submission),
    sections: [
      { text: `Submission \`${submission.id}\`: **${submission.state}** / ${submission.substate}.` },
      ...workflowSections(workflow)
    ]
  }
}

export async function cancelV1(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const submission = await pickSubmission(
    ctx,
    offer,
    isInProgress,
    `Offer '${offer.offerId}' has no submission in progress to cancel.`
  )
  if (!isInProgress(submission)) {
    throw new ActionError(
      `Submission ${submission.id} is ${describeSubmission(submission)}; only a submission in progress can be cancelled.`
    )
  }
  if (ctx.inputs.dryRun) {
    return {
      title: `${offer.offerId}: dry run`,
      outputs: outputs(offer, submission),
      sections: [{ text: `Dry run: submission \`${submission.id}\` would be cancelled.` }]
    }
  }
  await ctx.ingestion.deleteSubmission(offer.productId, submission.id)
  const after = (await ctx.ingestion.getSubmission(offer.productId, submission.id)) ?? {
    ...submission,
    state: 'Cancelled',
    substate: 'Cancelled'
  }
  log.info(`Submission ${submission.id} cancelled (${describeSubmission(after)}).`)
  return {
    title: `${offer.offerId}: submission ${submission.id} cancelled`,
    outputs: outputs(offer, after),
    sections: [{ text: `Submission \`${submission.id}\` was cancelled; the draft is unchanged.` }]
  }
}

/** The submission's workflow steps (validation, preview creation, certification, publish) as a table. */
export function workflowSections(workflow: WorkflowDetail[]): Section[] {
  const steps = workflow.flatMap(w =>
    (w.workflowSteps ?? []).map(step => [
      w.targetEnvironment ?? w.type ?? '',
      step.name,
      step.state,
      step.startDateTimeInUtc ?? '',
      step.completeDateTimeInUtc ?? ''
    ])
  )
  if (!steps.length) return []
  return [
    {
      heading: 'Workflow',
      table: { headers: ['Target', 'Step', 'State', 'Started', 'Completed'], rows: steps }
    }
  ]
}
