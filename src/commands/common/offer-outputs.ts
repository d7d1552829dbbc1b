import { partnerCenterUrl, type Outputs } from '../../report/report.js'
import type { ResolvedOffer } from './resolve-offer.js'

/** A submission as the outputs name it, whichever API it came from. */
export interface SubmissionOutputs {
  id: string
  /** v1 `state`; Product Ingestion `status`. */
  state?: string
  /** v1 `substate`; Product Ingestion `result`. */
  substate?: string
  /** Where the release stands, in the same words for both APIs. */
  release?: ReleaseStatus
}

/** A submission read in a release: where the release stands is always known. */
export type ReleaseSubmission = SubmissionOutputs & { release: ReleaseStatus }

/**
 * The `release-status` output: in-progress (validation, certification: not time to go live yet),
 * ready-to-go-live (the preview is ready), going-live, live, failed (or cancelled).
 */
export type ReleaseStatus = 'in-progress' | 'ready-to-go-live' | 'going-live' | 'live' | 'failed'

/** The outputs every command that acts on an offer sets: the offer, and the submission when there is one. */
export function offerOutputs(offer: ResolvedOffer, submission?: SubmissionOutputs): Outputs {
  return {
    'product-id': offer.productId,
    'offer-id': offer.offerId,
    'offer-type': offer.type,
    'partner-center-url': partnerCenterUrl(offer.productId),
    ...(submission
      ? {
          'submission-id': submission.id,
          'submission-state': submission.state ?? '',
          'submission-substate': submission.substate ?? '',
          ...(submission.release ? { 'release-status': submission.release } : {})
        }
      : {})
  }
}
