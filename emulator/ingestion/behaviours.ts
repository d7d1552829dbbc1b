// v1 ingestion API behaviours of the real service, each behind a named switch (see ../behaviours.ts).
// Sources are the public issue threads collected in docs/partner-center-api.md §7.
import type { BehaviourInfo } from '../behaviours.js'

export const V1_BEHAVIOURS: Record<string, BehaviourInfo> = {
  'indraft-failure': {
    description:
      'A submission whose creation fails (failNextSubmission: validation) never says Failed: it stays InProgress/InDraft with pendingUpdateInfo {updateType: Create, status: Running, then Failed, failureReason: "Active validation errors"} and the reasons at pendingUpdateInfo.href, a relative path v1.0/ingestion/products/<p>/submissions/<s>/validations.',
    source: 'docs/partner-center-api.md §7.1 (microsoft/navcontainerhelper#3536)'
  },
  'unfiltered-list-400': {
    description:
      "GET /products without $filter answers 400 ICH50400 `ProductTypeFilter[0]: The field is invalid (value 'Application')`; with $filter=resourceType eq '<type>' (or the offer-id filter) it works.",
    source:
      'docs/partner-center-api.md §7.2 (microsoft/navcontainerhelper#4126, PR #4146; ALOps#961), from 2026-04-22'
  },
  'unfiltered-list-sparse': {
    description:
      'GET /products without $filter answers 200 with the first offer only and no nextLink; filtered lists are complete.',
    source: 'docs/partner-center-api.md §7.2 (microsoft/navcontainerhelper#4090), February 2026'
  },
  'submission-404-after-preview': {
    description:
      'GET /products/<p>/submissions/<s> answers 404 once the submission has reached preview (state Published); the submissions list still shows it, and promote still works.',
    source: 'docs/partner-center-api.md §7.3 (navcontainerhelper#4126 comments, ALOps#989), June 2026'
  },
  'publisher-id-required': {
    description:
      'Every v1 call without an x-ms-publisherId header holding a positive number answers 400 "PublisherId is a required header, and must be a positive number."',
    source:
      'docs/partner-center-api.md §7.4 (microsoft/AL-Go#2278, navcontainerhelper#4126, ALOps#992), one week of June 2026'
  },
  'plain-text-errors': {
    description:
      'v1 error bodies are plain text (text/plain: the service\'s sentences, e.g. "The API you have called is not applicable for this product") instead of the ICH JSON string literal.',
    source: 'docs/partner-center-api.md §7.9 (ALOps#993)'
  },
  'nextlink-404-once': {
    description:
      'The first request for a /products nextLink page ($skipToken) answers 404; asking again for the same page works.',
    source: 'docs/partner-center-api.md §7.8 (microsoft/navcontainerhelper#3151)'
  },
  'ignore-offer-filter': {
    description:
      'GET /products ignores the externalIDs/Any(…AzureOfferId…) clause of $filter and lists every offer (paged), so a client that takes the first product writes into another offer.',
    source:
      'docs/partner-center-api.md §7.2 (the unfiltered list problems: the filter is not always applied as asked)'
  },
  'front-door-sas': {
    description:
      'Packages get a fileSasUri on another host in the Azure Front Door shape (/<token>/pkgfile-<id>?<sas>), where one Put Blob works and Put Block / Put Block List are refused with 400.',
    source:
      'docs/partner-center-api.md §7.5 (from 2026-08-28; navcontainerhelper#4191 and PR #4192, ALOps#1010)'
  },
  'draft-instance-per-submission': {
    description:
      "POST submissions keeps what it published under the instances it named, and each module's branch moves to a new currentDraftInstanceID: getByInstanceID of a submission's instance then shows what that submission published (the live technical configuration, for the live one), while the draft goes on under the new instance. Off: instance ids stay the same for the life of the offer.",
    source:
      'docs/partner-center-api.md §1.2 (the name currentDraftInstanceID; no recording shows whether it changes after a submission, so both readings are modelled)'
  }
}
