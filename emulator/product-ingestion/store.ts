// Product Ingestion state of the emulated account, kept in `state.productIngestion.store`. Draft
// resources are indexed by durable ID; configure jobs and submissions advance on the emulator clock
// and are settled lazily when a request arrives (no timers, nothing keeps the process alive).
// Offers the v1 view knows and that Product Ingestion serves (SaaS, VM, container) get their PI
// resources on first touch, under the same product GUID and offer ID, so both APIs agree.
import type { EmulatorState, Product } from '../state.js'
import type { InnerError } from './errors.js'
import { piTypeOfV1 } from './offer-types.js'
import { seedPrivateOffers, seedResources } from './seed.js'

export interface PiResource {
  $schema: string
  id: string
  [field: string]: unknown
}

export interface JobRecord {
  id: string
  createdAt: number
  request: Array<Record<string, unknown>>
  /** When its resources were applied (the job's own work is done). */
  appliedAt?: number
  /** Set when the job completed (succeeded, failed or cancelled). */
  endedAt?: number
  result?: 'succeeded' | 'failed' | 'cancelled'
  errors: InnerError[]
  /** What GET configure/<job> answers: the resources the job created or updated. */
  applied: PiResource[]
  /**
   * The submission phase the job started. With `job-runs-through-certification` the job stays
   * running until that phase ends and takes its result (docs/partner-center-api.md §7.7).
   */
  carries?: { submission: SubmissionRecord; phase: SubmissionPhase }
}

/** One publish of a submission: to preview (certification included), then, with the same id, to live. */
export interface SubmissionPhase {
  targetType: 'preview' | 'live'
  createdAt: number
  endsAt: number
  /** Decided when the phase starts, shown once it has ended. */
  outcome: 'succeeded' | 'failed'
  /** Why it failed, as the job's `errors` show it. */
  errors: InnerError[]
  lifecycleState?: string
}

/**
 * A submission. Going live keeps the preview submission's id (docs/partner-center-api.md §2.6, §7.7):
 * the record gains a live phase, and the submission list shows one entry per phase.
 */
export interface SubmissionRecord {
  id: string
  productGuid: string
  /** The draft as it was when submitted: what resource-tree?targetType=preview|live shows once published. */
  snapshot: PiResource[]
  preview: SubmissionPhase
  live?: SubmissionPhase
}

/** Virtual milliseconds. A job waits, runs, then completes; a submission runs after its job. */
export const PI_TIMINGS = {
  jobQueued: 1_000,
  jobRunning: 2_000,
  previewPublish: 10_000,
  /** Longer than a preview publish: a client that stops at the preview entry of the same id is caught. */
  livePublish: 30_000,
  /** Preview publish with `job-runs-through-certification`: certification takes its time. */
  certification: 20 * 60_000
}

/** The phases of a submission in the order they happened. */
export const phasesOf = (s: SubmissionRecord): SubmissionPhase[] =>
  s.live ? [s.preview, s.live] : [s.preview]

export class PiStore {
  /** lower-cased durable id → resource (draft state). Insertion order = creation order. */
  readonly resources = new Map<string, PiResource>()
  readonly jobs = new Map<string, JobRecord>()
  readonly submissions = new Map<string, SubmissionRecord[]>()
  private readonly seeded = new Set<string>()
  private submissionCounter = 1152921505697800000n

  constructor(readonly state: EmulatorState) {
    for (const offer of seedPrivateOffers(state)) this.put(offer)
  }

  get now(): number {
    return this.state.clock.now()
  }

  nextSubmissionNumber(): string {
    this.submissionCounter += 1n + BigInt(Math.floor(Math.random() * 1000))
    return this.submissionCounter.toString()
  }

  /** Gives a v1-known offer of a PI type its resources, once. */
  ensureProduct(guid: string): boolean {
    const key = guid.toLowerCase()
    if (this.resources.has(`product/${key}`)) return true
    if (this.seeded.has(key)) return false
    const product = this.state.getProduct(key)
    if (!product || !servedByPi(product)) return false
    this.seeded.add(key)
    for (const resource of seedResources(product)) this.put(resource)
    return true
  }

  /** Every product, including v1 offers not touched yet. */
  allProducts(): PiResource[] {
    for (const product of this.state.products.values())
      if (!product.filler && servedByPi(product)) this.ensureProduct(product.id)
    return [...this.resources.values()].filter(r => r.id.startsWith('product/'))
  }

  findProductByExternalId(externalId: string): PiResource | undefined {
    const v1 = this.state.offerIndex.get(externalId.toLowerCase())
    if (v1) this.ensureProduct(v1)
    return [...this.resources.values()].find(
      r =>
        r.id.startsWith('product/') &&
        String((r.identity as { externalId?: string } | undefined)?.externalId ?? '').toLowerCase() ===
          externalId.toLowerCase()
    )
  }

  get(id: string): PiResource | undefined {
    const [type, guid] = id.toLowerCase().split('/')
    if (guid && type !== 'configure') this.ensureProduct(guid)
    return this.resources.get(id.toLowerCase())
  }

  put(resource: PiResource): void {
    this.resources.set(resource.id.toLowerCase(), resource)
  }

  /** Draft resources of a product (the product first). */
  productResources(guid: string): PiResource[] {
    this.ensureProduct(guid)
    const key = guid.toLowerCase()
    return [...this.resources.values()].filter(r => r.id.split('/')[1]?.toLowerCase() === key)
  }

  submissionsOf(guid: string): SubmissionRecord[] {
    this.ensureProduct(guid)
    return this.submissions.get(guid.toLowerCase()) ?? []
  }

  addSubmission(record: SubmissionRecord): void {
    const list = this.submissions.get(record.productGuid.toLowerCase()) ?? []
    list.push(record)
    this.submissions.set(record.productGuid.toLowerCase(), list)
  }

  /** For GET /_emulator/state: counts, not the whole store. */
  toJSON(): Record<string, unknown> {
    return {
      resources: this.resources.size,
      jobs: [...this.jobs.values()].map(j => ({
        id: j.id,
        result: j.result ?? 'pending',
        resources: j.request.length
      })),
      submissions: [...this.submissions.values()]
        .flat()
        .flatMap(s =>
          phasesOf(s).map(p => ({ id: s.id, targetType: p.targetType, done: p.endsAt <= this.now }))
        )
    }
  }
}

export function servedByPi(product: Product): boolean {
  return piTypeOfV1(product.resourceType) !== undefined
}

export function storeOf(state: EmulatorState): PiStore {
  const slot = state.productIngestion as { store?: PiStore }
  slot.store ??= new PiStore(state)
  return slot.store
}
