import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { log } from '../../log.js'
import { code, md, type Report } from '../../report/report.js'
import { offerOutputs, type ReleaseSubmission } from './offer-outputs.js'
import type { ResolvedOffer } from './resolve-offer.js'

/**
 * `go-live` with `wait: false` before the submission is ready for it: nothing is written either way.
 * By default the step fails, saying it is not ready yet, so that a go-live run by hand never looks
 * like a release. A scheduled go-live (the second half of a release that outlasts a runner job) sets
 * `when-not-ready: skip`: the step succeeds and tries again at its next run. In both cases the
 * outputs say where the release stands (`release-status: in-progress`).
 */
export class NotReadyError extends ActionError {
  readonly report: Report
  constructor(message: string, hint: string, report: Report) {
    super(message, { hint })
    this.name = 'NotReadyError'
    this.report = report
  }
}

export function notReady(
  ctx: RunContext,
  offer: ResolvedOffer,
  submission: ReleaseSubmission,
  where: string
): Report {
  const message = `${offer.offerId}: not ready to go live yet - submission ${submission.id} is ${where}. Nothing was done.`
  if (ctx.inputs.whenNotReady === 'skip') {
    log.notice(`${message} when-not-ready: skip - the next run tries again.`)
    return {
      title: `${offer.offerId}: not ready to go live`,
      outputs: offerOutputs(offer, submission),
      sections: [
        {
          text: md`Submission ${code(submission.id)} is ${where}: not ready to go live yet. Nothing was done; ${code('release-status')} is ${code(submission.release)}. ${code('when-not-ready: skip')}: a scheduled ${code('go-live')} tries again at its next run.`
        }
      ]
    }
  }
  throw new NotReadyError(
    message,
    'Run go-live with `wait: true` to wait for it and then go live, or run it again later. A scheduled go-live that should succeed while the release is not ready sets `when-not-ready: skip`.',
    {
      title: `${offer.offerId}: not ready to go live`,
      outputs: offerOutputs(offer, submission),
      sections: []
    }
  )
}
