/** JSON shapes of the Product Ingestion API (docs/partner-center-api.md §2). Keys are read case-insensitively where the docs disagree. */

export const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema'

/** `$version` sent on every call: the newest schema version the service may answer with. */
export const API_VERSION = '2022-03-01-preview3'

export const schemaUri = (type: string, version = '2022-03-01-preview2'): string =>
  `${SCHEMA_HOST}/${type}/${version}`

export interface PiResource {
  $schema: string
  id?: string
  resourceName?: string
  [field: string]: unknown
}

export interface PiProduct extends PiResource {
  id: string
  identity: { externalId: string }
  type: string
  alias: string
}

export interface PiPlan extends PiResource {
  id: string
  product: string
  identity: { externalId: string }
  alias: string
  subtype?: string
}

export interface PiSubmission extends PiResource {
  id: string
  product: string
  target: { targetType: string; targetId?: string }
  status?: string
  result?: string
  created?: string
  lifecycleState?: string
}

export interface PiList<T> {
  value: T[]
  '@nextLink'?: string
  nextLink?: string
}

export interface ResourceTree {
  $schema: string
  root: string
  target: { targetType: string }
  resources: PiResource[]
}

export interface JobError {
  code?: string
  message?: string
  resourceId?: string
  details?: JobError[]
}

export interface ConfigureStatus {
  $schema?: string
  jobId: string
  jobStatus: 'notStarted' | 'running' | 'completed' | string
  jobResult: 'pending' | 'succeeded' | 'failed' | 'cancelled' | string
  jobStart?: string
  jobEnd?: string
  errors: JobError[]
  resourceUri?: string
}

export interface ConfigureDetail {
  $schema?: string
  jobId?: string
  resources: PiResource[]
}

/** `jobId` or `jobID` (docs disagree; docs/partner-center-api.md §2.5). */
export function normalizeStatus(raw: Record<string, unknown>): ConfigureStatus {
  const jobId = String(raw.jobId ?? raw.jobID ?? raw.JobId ?? '')
  return {
    ...(raw as object),
    jobId,
    jobStatus: String(raw.jobStatus ?? ''),
    jobResult: String(raw.jobResult ?? ''),
    errors: Array.isArray(raw.errors) ? (raw.errors as JobError[]) : []
  } as ConfigureStatus
}

/** The GUID part of a durable ID such as `product/<guid>`. */
export function guidOf(durableId: string): string {
  return durableId.split('/')[1] ?? durableId
}
