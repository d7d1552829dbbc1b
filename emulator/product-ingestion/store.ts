// Product Ingestion state of the emulated account, kept in `state.productIngestion.store`. Draft
// resources are indexed by durable ID; configure jobs and submissions advance on the emulator clock
// and are settled lazily when a request arrives (no timers, nothing keeps the process alive).
// Offers the v1 view knows and that Product Ingestion serves (SaaS, VM, container) get their PI
// resources on first touch, under the same product GUID and offer ID, so both APIs agree.
import type { EmulatorState, Product } from '../state.js'
import { findOfferType } from '../../src/offer-types.js'
import { seedResources } from './seed.js'

export interface PiResource {
  $schema: string
  id: string
  [field: string]: unknown
}

export interface JobRecord {
  id: string
  createdAt: number
  request: Array<Record<string, unknown>>
  /** Set when the job completed (applied, failed or cancelled). */
  endedAt?: number
  result?: 'succeeded' | 'failed' | 'cancelled'
  errors: unknown[]
  /** What GET configure/<job> answers: the resources the job created or updated. */
  applied: PiResource[]
}

export interface SubmissionRecord {
  id: string
  productGuid: string
  targetType: 'preview' | 'live'
  createdAt: number
  endsAt: number
  /** The draft as it was when submitted: what resource-tree?targetType=<target> shows once done. */
  snapshot: PiResource[]
  lifecycleState?: string
}

/** Virtual milliseconds. A job waits, runs, then completes; a submission runs after its job. */
export const PI_TIMINGS = { jobQueued: 1_000, jobRunning: 2_000, previewPublish: 10_000, livePublish: 10_000 }

export class PiStore {
  /** lower-cased durable id → resource (draft state). Insertion order = creation order. */
  readonly resources = new Map<string, PiResource>()
  readonly jobs = new Map<string, JobRecord>()
  readonly submissions = new Map<string, SubmissionRecord[]>()
  private readonly seeded = new Set<string>()
  private submissionCounter = 1152921505697800000n

  constructor(readonly state: EmulatorState) {}

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
        .map(s => ({ id: s.id, targetType: s.targetType, done: s.endsAt <= this.now }))
    }
  }
}

export function servedByPi(product: Product): boolean {
  return findOfferType(product.resourceType)?.api === 'product-ingestion'
}

export function storeOf(state: EmulatorState): PiStore {
  const slot = state.productIngestion as { store?: PiStore }
  slot.store ??= new PiStore(state)
  return slot.store
}
