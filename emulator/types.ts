// Public types of the emulator. Kept in one module so the seed format, the options and the
// inspection shapes are documented in one place (see emulator/README.md).

/** Durations (virtual milliseconds, multiplied by 1/timeScale in real time) of the server-side workflows. */
export interface Timings {
  /** PUT package state=Uploaded → Processed|ProcessFailed */
  packageProcessing: number
  /** submission: Submitted → automated validation done */
  automatedValidation: number
  /** submission: preview creation step */
  previewCreation: number
  /** submission: certification step, ends in Published/ReadyToPublish */
  certification: number
  /** promote → Published/InStore */
  goLive: number
}

export const DEFAULT_TIMINGS: Timings = {
  packageProcessing: 3000,
  automatedValidation: 3000,
  previewCreation: 5000,
  certification: 5000,
  goLive: 5000
}

export type FaultAction = 'status' | 'reset' | 'delay' | 'drop-response'

export interface FaultRule {
  method?: string
  /** regular expression tested on path + query (e.g. "/packages$" or "^/v1\\.0/ingestion/") */
  path?: string
  action: FaultAction
  status?: number
  /** seconds; sets Retry-After */
  retryAfter?: number
  body?: unknown
  delayMs?: number
  /** how many times the rule fires; default 1; 0 = unlimited */
  times?: number
  /** let the first N matching requests through */
  after?: number
}

export interface RequestLogEntry {
  seq: number
  time: string
  method: string
  /** path + query, with sig=, client_secret=, client_assertion= values replaced by REDACTED */
  path: string
  /** 0 when no response was sent (reset) */
  status: number
  durationMs: number
  fault?: FaultAction
  write: boolean
}

// ---------------------------------------------------------------------------------------------
// Seed format

export type PartnerCenterRole = 'Manager' | 'Developer' | null

export interface SeedSecret {
  /** the secret's ID (what the portal shows as "Secret ID"); sending it instead of the value fails like Entra */
  id: string
  value: string
  expired?: boolean
}

/** Certificate credential (client assertion), checked by entra/assertions.ts. */
export interface SeedCertificate {
  /** base64url SHA-256 thumbprint of the DER certificate (x5t#S256) */
  thumbprintSha256?: string
  /** base64url SHA-1 thumbprint (legacy x5t) */
  thumbprintSha1?: string
  /** PEM of the certificate (public part); needed to verify signatures */
  pem?: string
  /** treat as expired even within its validity period */
  expired?: boolean
}

/** Federated identity credential (GitHub OIDC); iss/sub/aud are matched exactly by entra/assertions.ts. */
export interface SeedFederatedCredential {
  name?: string
  issuer: string
  subject: string
  audiences: string[]
}

export interface SeedApp {
  clientId: string
  displayName: string
  disabled?: boolean
  partnerCenterRole: PartnerCenterRole
  secrets: SeedSecret[]
  certificates?: SeedCertificate[]
  federatedCredentials?: SeedFederatedCredential[]
}

export interface SeedTenant {
  id: string
  displayName?: string
  domains: string[]
  apps: SeedApp[]
}

export type PlanSubType = 'solution-template' | 'managed-application'

export interface SeedPlan {
  planId: string
  name: string
  /** fixed variant GUID; derived from offer + plan id when omitted */
  variantId?: string
  subType?: PlanSubType
  /** creates a Processed package and a package configuration at this version */
  packageVersion?: string
  /** fixed package GUID for that package */
  packageId?: string
  listing?: Record<string, unknown>
  availability?: Record<string, unknown>
  /** extra fields merged into the package configuration (e.g. managed-app authorizations) */
  packageConfiguration?: Record<string, unknown>
}

export interface SeedSubmission {
  id?: string
  state: 'Published' | 'InProgress'
  substate: 'InStore' | 'ReadyToPublish' | 'Submitted' | 'Failed' | 'FailedInCertification'
}

export interface SeedOffer {
  productId?: string
  resourceType: string
  offerId: string
  name: string
  plans?: SeedPlan[]
  listing?: Record<string, unknown>
  property?: Record<string, unknown>
  availability?: Record<string, unknown>
  resellerConfiguration?: Record<string, unknown>
  setup?: Record<string, unknown>
  submissions?: SeedSubmission[]
  /** make the next submission of this offer fail: in automated validation, or in certification */
  failNextSubmission?: 'validation' | 'certification'
  /** Dynamics 365 Business Central offers (resourceType AzureDynamics365BusinessCentral) */
  businessCentral?: SeedBusinessCentral
}

/** The App element of a Business Central app's manifest. */
export interface SeedBusinessCentralApp {
  id: string
  name: string
  publisher: string
  version: string
}

export interface SeedBusinessCentral {
  /** setup packageType: AddOn (default) or Connect (no package) */
  packageType?: 'AddOn' | 'Connect'
  /** the live appVersion (also the Property draft's, unless `property` says otherwise) */
  appVersion?: string
  /** a Processed main app package, referenced by the package configuration */
  mainApp?: SeedBusinessCentralApp
  /** Processed library apps: one package (.app, or a .zip of several), referenced too */
  libraryApps?: SeedBusinessCentralApp[]
}

export interface Seed {
  identities?: { tenants: SeedTenant[] }
  offers?: SeedOffer[]
  /** add N filler AzureApplication offers (no plans) */
  generate?: { offers?: number }
  /** behaviour switches on from the start (see behaviours.ts) */
  behaviours?: string[]
}

export interface EmulatorOptions {
  host?: string
  port?: number
  seed?: Seed | string
  latencyMs?: number
  faults?: FaultRule[] | string
  timings?: Partial<Timings>
  timeScale?: number
  tokenLifetimeSeconds?: number
  pageSize?: number
  quiet?: boolean
  /** reads of branches/getByModule that answer {value:[]} right after POST /products (recorded eventual consistency); default 2 */
  branchConsistencyReads?: number
  /** largest single Put Blob body in bytes; default Azure's for the request's x-ms-version (5000 MiB from 2019-12-12) */
  maxPutBlobBytes?: number
  /** directory for blob files; default a fresh temp dir removed on close() */
  dataDir?: string
  /** behaviour switches of the real service to switch on (behaviours.ts); added to the seed's */
  behaviours?: string[]
}
