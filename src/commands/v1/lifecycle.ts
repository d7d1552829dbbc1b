import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import type { Submission, WorkflowDetail } from '../../ingestion/types.js'
import { log } from '../../log.js'
import { code, md, strong, type Report, type Section } from '../../report/report.js'
import { newestFirst } from './plan-state.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
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
import { notReady } from '../common/not-ready.js'
import { offerOutputs } from '../common/offer-outputs.js'

/** go-live, status and cancel for v1 offers: act on `submission-id`, or on the newest fitting one. */

async function pickSubmission(
  ctx: RunContext,
  offer: ResolvedOffer,
  fits: (s: Submission) => boolean,
  none: string
): Promise<Submission> {
  const id = ctx.inputs.submissionId
  if (id) {
    // Through the list too: a submission in preview has answered 404 by ID (§7.3).
    const found = await ctx.ingestion.readSubmission(offer.productId, id)
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

/**
 * go-live: `submission-id`, or else the offer's newest submission. Already live: said so. In preview:
 * promoted. Still on its way to preview: with `wait` it is followed until ready and then promoted,
 * without `wait` nothing is done and the run says it is not ready yet (common/not-ready.ts). Failed:
 * the reasons.
 */
export async function goLiveV1(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  let candidate = await pickSubmission(
    ctx,
    offer,
    () => true,
    `Offer '${offer.offerId}' has no submission to go live with; publish to preview first.`
  )
  if (isLive(candidate)) {
    log.info(`Submission ${candidate.id} is already live.`)
    return {
      title: `${offer.offerId}: already live`,
      outputs: outputs(offer, candidate),
      sections: [
        { text: md`Submission ${code(candidate.id)} is already live (${describeSubmission(candidate)}).` }
      ]
    }
  }
  if (isFailed(candidate)) throw await submissionFailure(ctx, offer.productId, candidate)
  if (!isPreviewReady(candidate)) {
    if (ctx.inputs.dryRun) {
      return {
        title: `${offer.offerId}: dry run`,
        outputs: outputs(offer, candidate),
        sections: [
          {
            text: md`Dry run: submission ${code(candidate.id)} is ${describeSubmission(candidate)}; ${ctx.inputs.wait ? 'a real run would wait for the preview, then go live' : 'a real run would stop: it is not ready to go live yet'}.`
          }
        ]
      }
    }
    if (!ctx.inputs.wait) {
      // Not yet time (still in validation or preview creation): nothing is written; the step fails, or
      // with `when-not-ready: skip` succeeds so that a scheduled go-live runs again later.
      const step = currentStep(
        await ctx.ingestion.getWorkflowDetails(offer.productId, candidate.id).catch(() => [])
      )
      return notReady(
        ctx,
        offer,
        submissionOutputs(candidate),
        `${describeSubmission(candidate)}${step ? `, step ${step}` : ''}`
      )
    }
    log.info(`Submission ${candidate.id} is ${describeSubmission(candidate)}: waiting for the preview.`)
    candidate = await waitForSubmission(
      ctx,
      offer.productId,
      candidate,
      'the preview to be ready',
      isPreviewReady
    )
    if (isLive(candidate)) {
      return {
        title: `${offer.offerId}: live`,
        outputs: outputs(offer, candidate),
        sections: [{ text: md`Submission ${code(candidate.id)} went live meanwhile.` }]
      }
    }
  }
  if (ctx.inputs.dryRun) {
    return {
      title: `${offer.offerId}: dry run`,
      outputs: outputs(offer, candidate),
      sections: [{ text: md`Dry run: submission ${code(candidate.id)} would go live.` }]
    }
  }
  let submission = candidate
  // Promote only what is waiting for sign-off; a submission already Publishing needs only the wait.
  if (candidate.substate === 'ReadyToPublish') {
    const promoted = await ctx.ingestion.promoteSubmission(offer.productId, candidate.id)
    if (promoted?.id) submission = promoted
    log.info(`Submission ${submission.id}: go-live requested.`)
  }
  if (ctx.inputs.wait)
    submission = await waitForSubmission(ctx, offer.productId, submission, 'the offer to go live', isLive)
  return {
    title: `${offer.offerId}: ${isLive(submission) ? 'live' : 'going live'}`,
    outputs: outputs(offer, submission),
    sections: [
      { text: md`Submission ${code(submission.id)}: ${strong(submission.state)} / ${submission.substate}.` }
    ]
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
      { text: md`Submission ${code(submission.id)}: ${strong(submission.state)} / ${submission.substate}.` },
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
      sections: [{ text: md`Dry run: submission ${code(submission.id)} would be cancelled.` }]
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
    sections: [{ text: md`Submission ${code(submission.id)} was cancelled; the draft is unchanged.` }]
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
