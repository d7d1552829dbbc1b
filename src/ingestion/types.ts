/** JSON shapes of the v1 ingestion API, as recorded (docs/partner-center-api.md §1). Only the fields we use. */

export interface Collection<T> {
  value: T[]
  nextLink?: string
  '@odata.nextLink'?: string
}

export interface ExternalId {
  type: string
  value: string
}

export interface Product {
  resourceType: string
  id: string
  name?: string
  externalIDs?: ExternalId[]
  isModularPublishing?: boolean
}

export interface Variant {
  resourceType: string
  id: string
  externalID?: string
  friendlyName?: string
  subType?: string
  state?: string
  '@odata.etag'?: string
}

export type BranchModule = 'Listing' | 'Property' | 'Availability' | 'Package' | 'ResellerConfiguration'

export interface Branch {
  resourceType?: string
  friendlyName?: string
  type?: string
  module: string
  currentDraftInstanceID: string
  variantID?: string
}

export interface PackageReference {
  type: string
  value: string
}

export interface PackageConfiguration {
  resourceType: string
  id: string
  version?: string
  packageReferences?: PackageReference[]
  '@odata.etag'?: string
  [field: string]: unknown
}

export interface ProductSetup {
  resourceType?: string
  /** Business Central offers: `AddOn` (an app is uploaded) or `Connect` (no package). */
  packageType?: string
  [field: string]: unknown
}

/** The Property module's entity; full replace on PUT, so every field read is sent back. */
export interface Property {
  resourceType: string
  id: string
  /** Business Central offers: the app's four-part version. */
  appVersion?: string
  '@odata.etag'?: string
  [field: string]: unknown
}

export interface ValidationItem {
  errorCode?: string
  severity?: string
  message?: string
  resource?: string
}

export interface AzurePackage {
  resourceType: string
  id: string
  fileName?: string
  fileSasUri?: string
  state: 'PendingUpload' | 'Uploaded' | 'InProcessing' | 'Processed' | 'ProcessFailed' | string
  validationItems?: ValidationItem[]
  '@odata.etag'?: string
  [field: string]: unknown
}

export interface SubmissionResource {
  type: string
  value: string
}

export interface Submission {
  resourceType?: string
  id: string
  state: string
  substate: string
  targets?: Array<{ type: string; value: string }>
  resources?: SubmissionResource[]
  variantResources?: Array<{ variantID: string; resources: SubmissionResource[] }>
  releaseNumber?: number
  friendlyName?: string
  publishedTimeInUtc?: string
  pendingUpdateInfo?: { updateType?: string; status?: string; href?: string; failureReason?: string }
  /** Present on reads of the real service only sometimes (`$expand=PublishOption`). */
  publishOption?: { certificationNotes?: string; isAutoPromote?: boolean; isManualPublish?: boolean }
  areResourcesReady?: boolean
}

export interface WorkflowStep {
  name: string
  state: string
  startDateTimeInUtc?: string
  completeDateTimeInUtc?: string
}

export interface WorkflowDetail {
  type?: string
  state?: string
  targetEnvironment?: string
  workflowSteps?: WorkflowStep[]
  startDateTimeInUtc?: string
  completeDateTimeInUtc?: string
}

/** The publisher's offer ID from a product's external IDs. */
export function offerIdOf(product: Product): string | undefined {
  return product.externalIDs?.find(id => id.type.toLowerCase() === 'azureofferid')?.value
}

/**
 * A submission whose creation failed. The service may leave it `InProgress/InDraft` and say so only in
 * `pendingUpdateInfo` (docs/partner-center-api.md §7.1); waiting for its state to change never ends.
 */
export function creationFailed(s: Submission): boolean {
  return s.pendingUpdateInfo?.status?.toLowerCase() === 'failed'
}
