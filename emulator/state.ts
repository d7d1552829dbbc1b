// In-memory model of one Partner Center account (v1 view) plus the Entra directory.
// Products are indexed by id and by offer id, and kept in an append-only order array so that
// /products paging is O(page) even with 10,000 offers (deleted products are tombstoned).
import type { Clock } from './clock.js'
import type { SeedTenant, Timings, PlanSubType } from './types.js'

export type ModuleName = 'Listing' | 'Property' | 'Availability' | 'Package' | 'ResellerConfiguration'
export const MODULES: ModuleName[] = [
  'Listing',
  'Property',
  'Availability',
  'Package',
  'ResellerConfiguration'
]
/** Modules that also exist per plan (branch carries variantID). */
export const PLAN_MODULES: ModuleName[] = ['Listing', 'Availability', 'Package']

export type EntityKind =
  | 'listing'
  | 'property'
  | 'productAvailability'
  | 'featureAvailability'
  | 'packageConfiguration'
  | 'resellerConfiguration'

/** A module's draft entity, reachable by its id and by its draft instance id. */
export interface Entity {
  id: string
  kind: EntityKind
  module: ModuleName
  instanceId: string
  variantId?: string
  etag: string
  /** full JSON body except id / @odata.etag, which are added when serialised */
  body: Record<string, unknown>
  /** what a submission published (draft-instance-per-submission): readable by its instance, never written */
  submittedBy?: string
}

export interface Branch {
  module: ModuleName
  variantId?: string
  instanceId: string
}

export interface Variant {
  id: string
  externalID: string
  friendlyName: string
  subType?: PlanSubType
  state: 'Active' | 'Inactive'
  etag: string
  /** other fields the client sent (kept on full replace) */
  extra: Record<string, unknown>
  /** technical configuration currently live (version + package ids), for the "version must increase" rule */
  live?: { version: string; packageIds: string[] }
}

export interface ValidationItem {
  errorCode: string
  severity: 'Error' | 'Warning' | 'Informational'
  message: string
  resource: string
}

export type PackageState = 'PendingUpload' | 'Uploaded' | 'InProcessing' | 'Processed' | 'ProcessFailed'

export interface PackageRecord {
  id: string
  resourceType: string
  fileName: string
  blobName: string
  etag: string
  /** state set by requests; InProcessing→Processed/ProcessFailed is derived from uploadedAt + timings */
  state: PackageState
  uploadedAt?: number
  /** outcome of the zip inspection, revealed once processing time has elapsed */
  outcome?: { state: 'Processed' | 'ProcessFailed'; validationItems: ValidationItem[]; fileSize: number }
  fileSize?: number
  /** Business Central packages: the apps read from the file when it was processed */
  apps?: BusinessCentralAppFacts[]
}

/** The App element of a Business Central app's NavxManifest.xml, as the emulator read it. */
export interface BusinessCentralAppFacts {
  id: string
  name: string
  publisher: string
  version: string
}

export interface SubmissionRecord {
  id: string
  productId: string
  releaseNumber: number
  etag: string
  createdAt: number
  targets: Array<{ type: string; value: string }>
  resources: Array<{ type: string; value: string }>
  variantResources: Array<{ variantID: string; resources: Array<{ type: string; value: string }> }>
  publishOption: Record<string, unknown>
  failure?: 'validation' | 'certification'
  validations: ValidationItem[]
  promotedAt?: number
  cancelledAt?: number
  /** a newer submission reached InStore */
  archived?: boolean
  /** side effects of reaching InStore were applied */
  wentLive?: boolean
  /** package configurations at submission time, per variant */
  snapshot: Record<string, { version: string; packageIds: string[] }>
  /** Business Central: the property draft's appVersion when submitted (the live one once InStore) */
  appVersion?: string
  /** Business Central's workflow: certification runs after the publisher's sign-off (go live) */
  flow?: 'business-central'
  /** seeded submissions: fixed phase regardless of the clock */
  fixed?: { state: string; substate: string }
}

export interface Product {
  id: string
  resourceType: string
  name: string
  offerId: string
  externalIDs: Array<{ type: string; value: string }>
  isModularPublishing: boolean
  filler: boolean
  setup: Record<string, unknown>
  variants: Map<string, Variant>
  /** null until first touched (filler offers stay cheap) */
  branches: Branch[] | null
  entities: Map<string, Entity>
  instances: Map<string, string>
  packages: Map<string, PackageRecord>
  submissions: Map<string, SubmissionRecord>
  /** getByModule answers {value:[]} this many more times (eventual consistency after create) */
  branchReadsPending: number
  failNextSubmission?: 'validation' | 'certification'
  releaseCounter: number
  /** Business Central: the appVersion of the live submission */
  liveAppVersion?: string
  /** seed data used to build the lazily created modules */
  seedModules?: Partial<
    Record<'listing' | 'property' | 'availability' | 'resellerConfiguration', Record<string, unknown>>
  >
}

export interface BlobRef {
  productId: string
  packageId: string
}

export interface StateConfig {
  clock: Clock
  timings: Timings
  pageSize: number
  branchConsistencyReads: number
  tokenLifetimeSeconds: number
  /** behaviour switches that are on (behaviours.ts); shared with the server, so a change applies at once */
  behaviours: Set<string>
}

export class EmulatorState {
  tenants: SeedTenant[] = []
  readonly products = new Map<string, Product>()
  /** insertion order of product ids; deleted ones stay as tombstones (O(page) paging) */
  readonly productOrder: string[] = []
  readonly productPos = new Map<string, number>()
  /** lower-cased offer id → product id */
  readonly offerIndex = new Map<string, string>()
  /** blob name → package that owns it */
  readonly blobs = new Map<string, BlobRef>()
  /** one-shot behaviours already played (e.g. 'nextlink-404-once'); a reset starts a new state */
  readonly played = new Set<string>()
  /** slot for the Product Ingestion (Graph) emulation, added by another module */
  productIngestion: Record<string, unknown> = {}

  constructor(readonly config: StateConfig) {}

  /** Whether the real-service behaviour `name` (behaviours.ts) is switched on. */
  behaves(name: string): boolean {
    return this.config.behaviours.has(name)
  }

  /** True the first time it is asked for `name` while that behaviour is on (one-shot behaviours). */
  behavesOnce(name: string): boolean {
    if (!this.behaves(name) || this.played.has(name)) return false
    this.played.add(name)
    return true
  }

  get clock(): Clock {
    return this.config.clock
  }

  addProduct(p: Product): void {
    this.products.set(p.id.toLowerCase(), p)
    this.productPos.set(p.id.toLowerCase(), this.productOrder.length)
    this.productOrder.push(p.id.toLowerCase())
    this.offerIndex.set(p.offerId.toLowerCase(), p.id.toLowerCase())
  }

  removeProduct(id: string): void {
    const p = this.products.get(id.toLowerCase())
    if (!p) return
    this.products.delete(id.toLowerCase())
    this.offerIndex.delete(p.offerId.toLowerCase())
    for (const pkg of p.packages.values()) this.blobs.delete(pkg.blobName)
  }

  getProduct(id: string): Product | undefined {
    return this.products.get(id.toLowerCase())
  }

  findTenant(idOrDomain: string): SeedTenant | undefined {
    const key = idOrDomain.toLowerCase()
    return this.tenants.find(t => t.id.toLowerCase() === key || t.domains.some(d => d.toLowerCase() === key))
  }
}

export function newProduct(init: {
  id: string
  resourceType: string
  name: string
  offerId: string
  filler?: boolean
  branchReadsPending?: number
}): Product {
  return {
    id: init.id,
    resourceType: init.resourceType,
    name: init.name,
    offerId: init.offerId,
    externalIDs: [{ type: 'AzureOfferId', value: init.offerId }],
    isModularPublishing: true,
    filler: init.filler ?? false,
    setup: {
      resourceType: 'AzureProductSetup',
      sellingOption: 'ListAndSell',
      trialUri: '',
      enableTestDrive: false,
      channelStates: [{ type: 'Reseller', value: 'Disabled' }]
    },
    variants: new Map(),
    branches: null,
    entities: new Map(),
    instances: new Map(),
    packages: new Map(),
    submissions: new Map(),
    branchReadsPending: init.branchReadsPending ?? 0,
    releaseCounter: 0
  }
}
