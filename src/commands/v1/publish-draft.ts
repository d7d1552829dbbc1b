import type { RunContext } from '../../context.js'
import { log } from '../../log.js'
import { findOfferType } from '../../offer-types.js'
import { code, md, strong, type Report } from '../../report/report.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import { workflowSections } from './lifecycle.js'
import {
  buildSubmissionRequest,
  createSubmissionOnce,
  describeSubmission,
  isLive,
  isPreviewReady,
  releaseStatus,
  resolveConflict,
  waitForSubmission
} from './submissions.js'
import { offerOutputs } from '../common/offer-outputs.js'

/**
 * `publish` for the other offer types of the v1 API (consulting services, Dynamics 365, Power BI, …):
 * they have no package, so publishing submits the current draft, made in Partner Center or by other
 * tools, to preview, and goes live with `target: live`.
 */
export async function publishV1Draft(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const { inputs } = ctx
  const label = findOfferType(offer.type)?.label ?? offer.type
  const base = offerOutputs(offer)
  if (inputs.target === 'draft') {
    return {
      title: `${offer.offerId}: nothing to publish`,
      outputs: base,
      sections: [{ text: md`Target \`draft\`: a ${label} offer has no package; the draft is left as it is.` }]
    }
  }
  const submissions = await ctx.ingestion.listSubmissions(offer.productId)
  const blocking = await resolveConflict(ctx, offer.productId, submissions, inputs.dryRun)
  if (inputs.dryRun) {
    const steps = [
      ...(blocking
        ? [
            inputs.onConflict === 'cancel'
              ? `Cancel submission ${blocking.id}, which is in progress.`
              : `Stop: submission ${blocking.id} is in progress (on-conflict: fail).`
          ]
        : []),
      'Submit the whole draft to preview and wait until the preview is ready.',
      ...(inputs.target === 'live' ? ['Go live and wait until the offer is in the marketplace.'] : [])
    ]
    return {
      title: `${offer.offerId}: dry run`,
      outputs: base,
      sections: [
        { text: 'Dry run: everything was checked; nothing was changed.' },
        { heading: 'What a real run would do', list: steps }
      ]
    }
  }
  const request = await buildSubmissionRequest(
    ctx,
    offer.productId,
    `Published by partner-center-publish${process.env.GITHUB_REPOSITORY ? ` from ${process.env.GITHUB_REPOSITORY}` : ''}.`
  )
  let submission = await createSubmissionOnce(
    ctx,
    offer.productId,
    request,
    new Set(submissions.map(s => s.id))
  )
  log.info(`Submission ${submission.id} created (${describeSubmission(submission)}).`)
  if (inputs.wait) {
    submission = await waitForSubmission(
      ctx,
      offer.productId,
      submission,
      'the preview to be ready',
      isPreviewReady
    )
    if (inputs.target === 'live') {
      const promoted = await ctx.ingestion.promoteSubmission(offer.productId, submission.id)
      submission = await waitForSubmission(
        ctx,
        offer.productId,
        promoted?.id ? promoted : submission,
        'the offer to go live',
        isLive
      )
    }
  }
  const workflow = await ctx.ingestion.getWorkflowDetails(offer.productId, submission.id).catch(() => [])
  return {
    title: `${offer.offerId}: ${isLive(submission) ? 'live' : isPreviewReady(submission) ? 'in preview' : 'submitted'}`,
    outputs: {
      ...base,
      'submission-id': submission.id,
      'submission-state': submission.state,
      'submission-substate': submission.substate,
      'release-status': releaseStatus(submission)
    },
    sections: [
      { text: md`Submission ${code(submission.id)}: ${strong(submission.state)} / ${submission.substate}.` },
      ...workflowSections(workflow)
    ]
  }
}
