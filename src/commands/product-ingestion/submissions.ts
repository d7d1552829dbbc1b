/**
 * Product Ingestion submissions (docs/partner-center-api.md §2.6): the draft handle `submission/<guid>/0`, preview
 * and live submissions `submission/<guid>/<n>` with `status` (notStarted|running|completed) and
 * `result` (pending|succeeded|failed). Publishing is a configure job with one submission resource.
 * Going live keeps the preview submission's id (§7.7): the list may hold a preview entry and a live
 * entry with the same id, so an entry is named by its id *and* its target.
 */
import type { ReleaseStatus, ReleaseSubmission } from '../common/offer-outputs.js'
import type { RunContext } from '../../context.js'
import { log } from '../../log.js'
import { pollUntil } from '../../wait.js'
import { JOB_POLL } from './jobs.js'
import { schemaUri, type PiResource, type PiSubmission } from '../../product-ingestion/types.js'

export const isDraftHandle = (s: PiSubmission): boolean =>
  s.target?.targetType === 'draft' || /\/0$/.test(s.id)
export const isInProgress = (s: PiSubmission): boolean =>
  !isDraftHandle(s) && s.status !== undefined && s.status !== 'completed'
export const isSucceeded = (s: PiSubmission): boolean => s.status === 'completed' && s.result === 'succeeded'

/** The number at the end of the id orders submissions when `created` is missing. */
function sequence(s: PiSubmission): bigint {
  const tail = s.id.split('/').pop() ?? '0'
  return /^\d+$/.test(tail) ? BigInt(tail) : 0n
}

export function newestFirst(submissions: PiSubmission[]): PiSubmission[] {
  return submissions
    .filter(s => !isDraftHandle(s))
    .sort(
      (a, b) =>
        (b.created ?? '').localeCompare(a.created ?? '') ||
        (sequence(b) > sequence(a) ? 1 : sequence(b) < sequence(a) ? -1 : 0)
    )
}

export function newestPreview(submissions: PiSubmission[]): PiSubmission | undefined {
  return newestFirst(submissions).find(s => s.target?.targetType === 'preview')
}

/** The entry of submission `id` for `targetType` (preview and live share the id). */
export function entryOf(
  submissions: PiSubmission[],
  id: string,
  targetType: string
): PiSubmission | undefined {
  return submissions.find(s => s.id.toLowerCase() === id.toLowerCase() && s.target?.targetType === targetType)
}

/** Whether submission `id` has gone live (or is going live): it then has a live entry of its own. */
export const hasLiveEntry = (submissions: PiSubmission[], id: string): boolean =>
  entryOf(submissions, id, 'live') !== undefined

/**
 * The preview submission a publish job created, when the job's detail does not name it (the real
 * detail documented only the product, docs/partner-center-api.md §7.7): the newest preview entry whose
 * id was not listed before the job started.
 */
export function newPreviewSince(before: PiSubmission[], after: PiSubmission[]): PiSubmission | undefined {
  const known = new Set(before.map(s => s.id.toLowerCase()))
  return newestFirst(after).find(s => s.target?.targetType === 'preview' && !known.has(s.id.toLowerCase()))
}

/** `submission-id` as given (a number, or the whole durable ID) to the durable ID. */
export function submissionDurableId(productGuid: string, input: string): string {
  return input.startsWith('submission/')
    ? input.toLowerCase()
    : `submission/${productGuid.toLowerCase()}/${input}`
}

export function submissionResource(
  productGuid: string,
  targetType: 'preview' | 'live',
  fromId?: string
): PiResource {
  return {
    $schema: schemaUri('submission'),
    ...(fromId ? { id: fromId } : {}),
    product: `product/${productGuid.toLowerCase()}`,
    target: { targetType }
  }
}

export const describeSubmission = (s: PiSubmission): string =>
  `${s.target?.targetType ?? '?'} ${s.status ?? 'unknown'}/${s.result ?? 'unknown'}`

/**
 * Waits until the `targetType` entry of submission `id` completes. Matching the target matters: once a
 * submission goes live, its preview entry (completed long ago) and its live entry share the id, and
 * stopping at the first would report "live" while the live publish is still running.
 */
export async function waitForSubmission(
  ctx: RunContext,
  productGuid: string,
  id: string,
  targetType: 'preview' | 'live'
): Promise<PiSubmission> {
  ctx.progress.describe = () => `submission ${id} was being published to ${targetType}`
  return pollUntil({
    what: `submission ${id} (${targetType})`,
    clock: ctx.clock,
    deadline: ctx.deadline,
    poll: async () =>
      entryOf(await ctx.productIngestion.listSubmissions(productGuid), id, targetType) ??
      // Not listed yet: the service has not started it.
      ({
        id,
        product: `product/${productGuid}`,
        target: { targetType },
        $schema: '',
        status: 'notStarted',
        result: 'pending'
      } as PiSubmission),
    done: s => s.status === 'completed',
    describe: s => `${s.status ?? 'unknown'}/${s.result ?? 'unknown'}`,
    resumeHint: `Run the action with \`command: status\` to follow submission ${id}.`,
    log: log.info,
    ...JOB_POLL
  })
}

/** A submission as the outputs name it (status and result stand for the v1 state and substate). */
export const submissionOutputs = (s: PiSubmission | undefined): ReleaseSubmission | undefined =>
  s && { id: s.id, state: s.status, substate: s.result, release: releaseStatus(s) }

/** Where a Product Ingestion release stands: the `release-status` output. */
export function releaseStatus(s: PiSubmission): ReleaseStatus {
  const live = s.target?.targetType === 'live'
  if (s.result === 'failed') return 'failed'
  if (s.status === 'completed' && s.result === 'succeeded') return live ? 'live' : 'ready-to-go-live'
  return live ? 'going-live' : 'in-progress'
}
