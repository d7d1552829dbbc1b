import { log } from '../../log.js'
import { code, md, type Report } from '../../report/report.js'
import { offerOutputs, type SubmissionOutputs } from './offer-outputs.js'
import type { ResolvedOffer } from './resolve-offer.js'

/**
 * `go-live` before the preview is ready: nothing is done and the run succeeds, so that a scheduled
 * go-live (the second half of a release that outlasts a runner job) can simply run again later.
 * `release-status: in-progress` says it was not time yet; a failed submission fails the run instead.
 */
export function notReadyReport(offer: ResolvedOffer, submission: SubmissionOutputs, where: string): Report {
  const message = `${offer.offerId}: not ready to go live yet - submission ${submission.id} is ${where}. Nothing was done; run go-live again later.`
  log.notice(message)
  return {
    title: `${offer.offerId}: not ready to go live`,
    outputs: offerOutputs(offer, submission),
    sections: [
      {
        text: md`Submission ${code(submission.id)} is ${where}: not ready to go live yet. Nothing was done; ${code('release-status')} is ${code(submission.release ?? 'in-progress')}. A scheduled ${code('go-live')} tries again at its next run.`
      }
    ]
  }
}
