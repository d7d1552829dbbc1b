import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import {
  creationFailed,
  type BranchModule,
  type Submission,
  type SubmissionResource,
  type WorkflowDetail
} from '../../ingestion/types.js'
import { log } from '../../log.js'
import { pollUntil } from '../../wait.js'
import { createOnce } from '../common/create-once.js'
import type { ReleaseStatus, ReleaseSubmission } from '../common/offer-outputs.js'
import { newestFirst } from './plan-state.js'

/**
 * Submission states (docs/partner-center-api.md §1.11). A creation that failed may leave the state at
 * InProgress/InDraft and say Failed only in pendingUpdateInfo (§7.1): that is a failure too.
 */
export const isFailed = (s: Submission): boolean =>
  /^Failed/i.test(s.substate) ||
  ['Cancelled', 'Deleted', 'RolledBack'].includes(s.state) ||
  (s.state === 'InProgress' && creationFailed(s))
/** Cancelled by someone: only the service saying so counts, never a submission that could not be read. */
export const isCancelled = (s: Submission): boolean => s.state === 'Cancelled' || s.substate === 'Cancelled'
export const isPreviewReady = (s: Submission): boolean =>
  s.state === 'Published' && ['ReadyToPublish', 'Publishing', 'InStore', 'Published'].includes(s.substate)
export const isLive = (s: Submission): boolean => s.state === 'Published' && s.substate === 'InStore'
/** Blocks a new submission: still moving, and not failed (a failed one may be superseded). */
export const isInProgress = (s: Submission): boolean => s.state === 'InProgress' && !isFailed(s)
export const describeSubmission = (s: Submission): string => `${s.state}/${s.substate}`

/** Where a v1 release stands (docs/partner-center-api.md §1.11): the `release-status` output. */
export function releaseStatus(s: Submission): ReleaseStatus {
  if (isFailed(s)) return 'failed'
  if (isLive(s)) return 'live'
  if (s.state === 'Published' && s.substate === 'ReadyToPublish') return 'ready-to-go-live'
  if (s.state === 'Published') return 'going-live'
  return 'in-progress'
}

/** A submission as the outputs name it. */
export const submissionOutputs = (s: Submission): ReleaseSubmission => ({
  id: s.id,
  state: s.state,
  substate: s.substate,
  release: releaseStatus(s)
})

/**
 * Reads a submission that this run created or saw. A 404 by ID is not the end: the service answered
 * 404 for submissions that had reached preview while still listing them (docs/partner-center-api.md
 * §7.3), so the list is asked too. In neither: an error that says exactly that, never "cancelled".
 */
export async function rereadSubmission(
  ctx: RunContext,
  productId: string,
  submissionId: string
): Promise<Submission> {
  const found = await ctx.ingestion.readSubmission(productId, submissionId)
  if (found) return found
  throw new ActionError(
    `Partner Center no longer returns submission ${submissionId}: reading it answered 404 and it is not in the offer's submissions list.`,
    {
      hint: "Open the offer in Partner Center to see what happened to it; nothing was cancelled by this run. `command: show` lists the offer's latest submission."
    }
  )
}

/**
 * Before anything is written: is a submission already in progress? `fail` stops with its id and
 * state; `cancel` deletes it and waits until it is gone.
 */
export async function resolveConflict(
  ctx: RunContext,
  productId: string,
  submissions: Submission[],
  dryRun: boolean
): Promise<Submission | undefined> {
  const blocking = newestFirst(submissions).find(isInProgress)
  if (!blocking) return undefined
  if (ctx.inputs.onConflict === 'fail' || dryRun) {
    if (dryRun) return blocking
    throw new ActionError(
      `Submission ${blocking.id} of this offer is already in progress (${describeSubmission(blocking)}).`,
      {
        hint: 'Wait for it to finish (`command: status`), cancel it (`command: cancel`), or set `on-conflict: cancel` to cancel it and publish this release.'
      }
    )
  }
  log.info(`Cancelling submission ${blocking.id} (${describeSubmission(blocking)}): on-conflict is cancel.`)
  await ctx.ingestion.deleteSubmission(productId, blocking.id)
  await pollUntil({
    what: `submission ${blocking.id} to be cancelled`,
    clock: ctx.clock,
    deadline: ctx.deadline,
    initialDelayMs: 2_000,
    maxDelayMs: 15_000,
    log: log.info,
    poll: async () =>
      (await ctx.ingestion.getSubmission(productId, blocking.id)) ?? {
        ...blocking,
        state: 'Deleted',
        substate: 'Cancelled'
      },
    done: s => !isInProgress(s),
    describe: describeSubmission,
    resumeHint: `Check submission ${blocking.id} with \`command: status\`.`
  })
  log.notice(
    `on-conflict: cancel - cancelled submission ${blocking.id} (it was ${describeSubmission(blocking)}), so that this release could be submitted.`
  )
  return undefined
}

const OFFER_MODULES: BranchModule[] = [
  'Listing',
  'Property',
  'Availability',
  'Package',
  'ResellerConfiguration'
]

/**
 * The submission request: every offer-level and plan-level draft instance, so that what goes to
 * preview is the whole current draft (what the portal's "Review and publish" does).
 */
/** What a submission is made of: the draft instances of the offer's and each plan's modules. */
export interface SubmissionContent {
  resources?: SubmissionResource[]
  variantResources?: Array<{ variantID: string; resources: SubmissionResource[] }>
  [field: string]: unknown
}

export async function buildSubmissionRequest(
  ctx: RunContext,
  productId: string,
  notes: string
): Promise<SubmissionContent> {
  const branchesByModule = await Promise.all(
    OFFER_MODULES.map(async module => {
      try {
        return await ctx.ingestion.getBranches(productId, module)
      } catch (error) {
        // Not every offer has a reseller configuration; the module is then simply left out.
        if (
          module === 'ResellerConfiguration' &&
          error instanceof HttpError &&
          [400, 404].includes(error.status ?? 0)
        )
          return []
        throw error
      }
    })
  )
  const resources: SubmissionResource[] = []
  const byVariant = new Map<string, SubmissionResource[]>()
  for (const branches of branchesByModule) {
    for (const branch of branches) {
      if (branch.type && branch.type !== 'Main') continue
      const resource = { type: branch.module, value: branch.currentDraftInstanceID }
      if (branch.variantID)
        byVariant.set(branch.variantID, [...(byVariant.get(branch.variantID) ?? []), resource])
      else resources.push(resource)
    }
  }
  return {
    resourceType: 'SubmissionCreationRequest',
    targets: [{ type: 'Scope', value: 'preview' }],
    resources,
    variantResources: [...byVariant].map(([variantID, list]) => ({ variantID, resources: list })),
    publishOption: {
      releaseTimeInUtc: new Date(ctx.clock.now()).toISOString(),
      isManualPublish: true,
      isAutoPromote: false,
      certificationNotes: notes
    },
    extendedProperties: []
  }
}

/**
 * POST submissions once. A lost answer is resolved by looking for the submission that appeared
 * since the attempt and is made of the same draft instances as the request: another run's
 * submission of other drafts is never taken for this run's.
 */
export async function createSubmissionOnce(
  ctx: RunContext,
  productId: string,
  request: SubmissionContent,
  knownIds: Set<string>
): Promise<Submission> {
  const wanted = contentKey(request)
  try {
    return await createOnce({
      what: 'the submission',
      clock: ctx.clock,
      create: () => ctx.ingestion.createSubmission(productId, request),
      existingIds: async () =>
        new Set([...knownIds, ...(await ctx.ingestion.listSubmissions(productId)).map(s => s.id)]),
      findCandidates: async existing => {
        const fresh = newestFirst(await ctx.ingestion.listSubmissions(productId)).filter(
          s => !existing.has(s.id)
        )
        // A list entry without its resources is read in full before it is judged.
        const full = await Promise.all(
          fresh.map(async s =>
            s.resources || s.variantResources
              ? s
              : ((await ctx.ingestion.getSubmission(productId, s.id)) ?? s)
          )
        )
        return full.filter(s => contentKey(s) === wanted)
      },
      describe: s => `submission ${s.id}`
    })
  } catch (error) {
    if (error instanceof HttpError && error.status === 409) {
      throw new ActionError(
        `Partner Center refused the submission: another submission is in progress. ${error.message}`,
        {
          hint: 'Wait for it (`command: status`), or set `on-conflict: cancel`.',
          cause: error
        }
      )
    }
    throw error
  }
}

/** The draft instances a submission or request names, in one comparable string. */
function contentKey(content: Pick<SubmissionContent, 'resources' | 'variantResources'>): string {
  const pair = (r: SubmissionResource): string => `${r.type}=${r.value}`.toLowerCase()
  return JSON.stringify([
    (content.resources ?? []).map(pair).sort(),
    (content.variantResources ?? [])
      .map(v => `${v.variantID.toLowerCase()}:${v.resources.map(pair).sort().join(',')}`)
      .sort()
  ])
}

/**
 * The step a submission is at: the first one in progress, else the first not started, with its
 * target when the workflow has several (Preview, Live) (docs/partner-center-api.md §8).
 */
export function currentStep(workflow: WorkflowDetail[]): string | undefined {
  const steps = workflow.flatMap(w =>
    (w.workflowSteps ?? []).map(step => ({ step, target: w.targetEnvironment ?? w.type }))
  )
  const found =
    steps.find(s => s.step.state === 'InProgress') ?? steps.find(s => s.step.state === 'NotStarted')
  if (!found) return undefined
  return workflow.length > 1 && found.target ? `${found.step.name} (${found.target})` : found.step.name
}

/** Waits until `done`; a failed submission is explained with its validations and workflow steps. */
export async function waitForSubmission(
  ctx: RunContext,
  productId: string,
  submission: Submission,
  what: string,
  done: (s: Submission) => boolean
): Promise<Submission> {
  ctx.progress.describe = () => `waiting for ${what} (submission ${submission.id} of product ${productId})`
  const final = await pollUntil({
    what,
    clock: ctx.clock,
    deadline: ctx.deadline,
    log: log.info,
    poll: () => rereadSubmission(ctx, productId, submission.id),
    done: s => done(s) || isFailed(s),
    describe: describeSubmission,
    // The heartbeat names the step (Automated validation, Certification, …): one read per heartbeat.
    step: async () => currentStep(await ctx.ingestion.getWorkflowDetails(productId, submission.id)),
    resumeHint: `Run the action with \`command: status\`, \`offer-id\` and \`submission-id: ${submission.id}\` (and \`wait: true\`) to follow it.`
  })
  if (isFailed(final)) throw await submissionFailure(ctx, productId, final)
  return final
}

export async function submissionFailure(
  ctx: RunContext,
  productId: string,
  submission: Submission
): Promise<ActionError> {
  // Every finding, wherever the service says they are (pendingUpdateInfo.href for a failed creation).
  const [validations, workflow] = await Promise.all([
    ctx.ingestion.getValidations(productId, submission).catch(() => []),
    ctx.ingestion.getWorkflowDetails(productId, submission.id).catch(() => [])
  ])
  const problems = validations.map(
    v =>
      `${v.severity ?? 'Error'}${v.errorCode ? ` ${v.errorCode}` : ''}: ${v.message ?? ''}${v.resource ? ` (${v.resource})` : ''}`
  )
  const failedSteps = workflow
    .flatMap(w => w.workflowSteps ?? [])
    .filter(step => !['NotStarted', 'InProgress', 'Success'].includes(step.state))
  // The state says nothing when a creation failed (§7.1): the service's reason then goes with it.
  const reason =
    creationFailed(submission) && !/^Failed/i.test(submission.substate)
      ? submission.pendingUpdateInfo?.failureReason
      : undefined
  const parts = [
    `Submission ${submission.id} ${isCancelled(submission) ? 'was cancelled' : 'failed'} (${describeSubmission(submission)}${reason ? `: ${reason}` : ''}).`,
    failedSteps.length ? `Failed step: ${failedSteps.map(s => `${s.name} (${s.state})`).join(', ')}.` : '',
    problems.length ? `Validation: ${problems.join('; ')}` : ''
  ]
  return new ActionError(parts.filter(Boolean).join(' '), {
    hint: "Fix what the validation says in the offer or the package, then tag a new release. The certification report is in Partner Center under the offer's Offer overview."
  })
}

/** Runs one named step of a release (timed for the summary). */
export type ReleaseStep = <T>(name: string, fn: () => Promise<T>) => Promise<T>

/**
 * After the submission is created: wait for its preview and, with `target: live`, request go-live and
 * wait until it is live. Without `wait` the run returns at once (a later `go-live` takes it on).
 */
export async function followSubmission(
  ctx: RunContext,
  productId: string,
  created: Submission,
  step: ReleaseStep,
  live: { step: string; waitingFor: string } = { step: 'Go live', waitingFor: 'the offer to go live' }
): Promise<Submission> {
  const { inputs } = ctx
  if (!inputs.wait) {
    if (inputs.target === 'live')
      log.warning(
        'wait is false: the submission was made to preview; run `command: go-live` once the preview is ready.'
      )
    return created
  }
  const ready = await step('Wait for the preview', () =>
    waitForSubmission(ctx, productId, created, 'the preview to be ready', isPreviewReady)
  )
  if (inputs.target !== 'live') return ready
  return step(live.step, async () => {
    // A submission already going live (or live) was promoted before, by an earlier run of the release.
    const promoted =
      ready.substate === 'Publishing' || isLive(ready)
        ? undefined
        : await ctx.ingestion.promoteSubmission(productId, ready.id)
    return waitForSubmission(ctx, productId, promoted?.id ? promoted : ready, live.waitingFor, isLive)
  })
}

/** What a dry run says about a submission already in progress, by `on-conflict`. */
export function conflictPlan(blockingId: string | undefined, onConflict: 'fail' | 'cancel'): string[] {
  if (!blockingId) return []
  return [
    onConflict === 'cancel'
      ? `Cancel submission ${blockingId}, which is in progress.`
      : `Stop: submission ${blockingId} is in progress (on-conflict: fail).`
  ]
}
