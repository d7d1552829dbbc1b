// Product Ingestion API behaviours of the real service, each behind a named switch (see ../behaviours.ts).
// Facts and sources: docs/partner-center-api.md §7.6 and §7.7.
import type { BehaviourInfo } from '../behaviours.js'

const CLOUDPUB = 'release-engineering/cloudpub (Product Ingestion client); docs/partner-center-api.md §7.7'

export const PRODUCT_INGESTION_BEHAVIOURS: Record<string, BehaviourInfo> = {
  'job-runs-through-certification': {
    description:
      'A configure job that carries a submission stays running until that submission is through (a preview publish includes certification, 20 virtual minutes) and then takes its result and errors.',
    source: `${CLOUDPUB}: the job is polled every 300 s for up to 7 days`
  },
  'job-detail-without-submission': {
    description:
      'GET configure/<job> of a publish job lists only the product resource, not the submission it created.',
    source: `${CLOUDPUB}: the job detail documents only the product resource`
  },
  'certification-failure': {
    description:
      "Every preview publish fails certification: the submission ends completed/failed, and the carrying job's errors name submission/<product>/<id> with inner code invalidState, a message naming Certification and nested details.",
    source: `${CLOUDPUB} (is_certification_error)`
  },
  'deprecated-schema-preview3': {
    description:
      'Private-offer calls (paths under private-offer/, configure requests with private-offer resources) at $version=2022-03-01-preview3 are refused: 400 {"error":{"code":"badRequest","message":"\\"2022-03-01-preview3 is a deprecated schema\\""}}.',
    source: 'release-engineering/cloudpub moved private offers to 2022-07-01; docs/partner-center-api.md §7.6'
  }
}
