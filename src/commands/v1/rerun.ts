import type { RunContext } from '../../context.js'
import { HttpError } from '../../http/http-error.js'
import type { AzurePackage, PackageConfiguration, Submission } from '../../ingestion/types.js'
import { log } from '../../log.js'
import type { PreparedPackage } from '../../package/index.js'
import type { PlanState } from './plan-state.js'
import { newestFirst } from './plan-state.js'
import { isFailed, isInProgress } from './submissions.js'

/**
 * What an earlier run of the same release left in Partner Center, so that "Re-run failed jobs" finishes
 * the release instead of being refused or doing it twice.
 *
 * The package's SHA-256 is recorded where the service keeps it: in the package's fileName, as
 * `<name>.<first 16 hex digits of the SHA-256>.zip`. Folder zips are built byte-for-byte the same from
 * the same files (package/zip-folder.ts), so the same tag gives the same name on every run.
 */

const DIGEST_CHARS = 16

/** The fileName a package is created with: the input's name plus the start of its SHA-256. */
export function packageFileName(prepared: Pick<PreparedPackage, 'fileName' | 'sha256'>): string {
  const digest = prepared.sha256.slice(0, DIGEST_CHARS).toLowerCase()
  const stem = prepared.fileName.replace(/\.zip$/i, '')
  return `${stem}.${digest}.zip`
}

/** A package of this offer with the same contents that Partner Center has processed: used again. */
export function findProcessedPackage(packages: AzurePackage[], fileName: string): AzurePackage | undefined {
  return packages.find(p => p.fileName === fileName && p.state === 'Processed')
}

/** The package IDs a plan's draft technical configuration points at. */
function draftPackageIds(plan: PlanState): string[] {
  return (plan.packageConfig?.packageReferences ?? [])
    .filter(ref => /package/i.test(ref.type))
    .map(ref => ref.value.toLowerCase())
}

/**
 * A plan whose draft an earlier run of this release already moved: it holds `version` and points at
 * the package with these contents. Such a plan is not "not higher than the current version"; its
 * previous version is no longer in the draft.
 */
export function movedByEarlierRun(
  plan: PlanState,
  version: string,
  reused: AzurePackage | undefined
): boolean {
  return (
    reused !== undefined &&
    plan.version === version &&
    draftPackageIds(plan).includes(reused.id.toLowerCase())
  )
}

/**
 * The submission an earlier run of this release made: the offer's newest submission, when it has not
 * failed and every selected plan's draft was moved by that run. It may still be in progress, have
 * reached preview, be going live or be live: the re-run takes it from where it stands instead of
 * making another (which would be refused while the first is in progress, or certify the same draft
 * again).
 *
 * Whose it is: certification notes that name this version say so (the service does not always return
 * them). Without notes, one in progress is taken as this release's (the draft state decides; a new
 * submission would be refused anyway), but one that has reached preview or gone live could as well be
 * the release before, so it is taken only when `isThisRelease` finds this version and package in what
 * it published (publishedThisRelease below).
 */
export async function submissionOfEarlierRun(
  submissions: Submission[],
  plans: PlanState[],
  version: string,
  reused: AzurePackage | undefined,
  isThisRelease: (submission: Submission) => Promise<boolean> = async () => false
): Promise<Submission | undefined> {
  if (!plans.length || !plans.every(p => movedByEarlierRun(p, version, reused))) return undefined
  const newest = newestFirst(submissions)[0]
  if (!newest || isFailed(newest)) return undefined
  const notes = newest.publishOption?.certificationNotes
  if (typeof notes === 'string') return notes.startsWith(`Version ${version} `) ? newest : undefined
  if (isInProgress(newest)) return newest
  return (await isThisRelease(newest)) ? newest : undefined
}

/**
 * Whether `submission` published `version` with `pkg` for every plan, read from the instances it
 * names. Only where the service keeps them apart from the draft (reading (b) of
 * docs/partner-center-api.md §1.2) does this say anything: an instance that is still the plan's
 * draft, or that cannot be read, proves nothing and gives false.
 */
export async function publishedThisRelease(
  ctx: RunContext,
  productId: string,
  submission: Submission,
  plans: PlanState[],
  version: string,
  pkg: AzurePackage | undefined
): Promise<boolean> {
  if (!pkg) return false
  const checks = await Promise.all(
    plans.map(async plan => {
      const published = await publishedConfiguration(ctx, productId, submission, plan)
      return (
        published?.version === version &&
        (published.packageReferences ?? []).some(ref => ref.value.toLowerCase() === pkg.id.toLowerCase())
      )
    })
  )
  return checks.every(Boolean)
}

/**
 * The technical configuration `submission` published for `plan`, read through the Package instance it
 * names (docs/partner-center-api.md §1.11). Undefined where that says nothing apart from the draft: no
 * such instance, the plan's current draft instance itself (reading (a) of §1.2), or an instance that
 * cannot be read.
 */
export async function publishedConfiguration(
  ctx: RunContext,
  productId: string,
  submission: Submission,
  plan: PlanState
): Promise<PackageConfiguration | undefined> {
  const instance = submission.variantResources
    ?.find(v => v.variantID.toLowerCase() === plan.variant.id.toLowerCase())
    ?.resources.find(r => r.type.toLowerCase() === 'package')?.value
  const draft = plan.packageBranch?.currentDraftInstanceID
  if (!instance || !draft || instance.toLowerCase() === draft.toLowerCase()) return undefined
  return ctx.ingestion.getPackageConfiguration(productId, instance).catch(error => {
    if (!(error instanceof HttpError)) throw error
    log.debug(
      `Plan '${plan.planId}': the technical configuration of submission ${submission.id} could not be read (HTTP ${error.status}).`
    )
    return undefined
  })
}
