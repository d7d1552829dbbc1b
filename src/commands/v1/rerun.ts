import type { AzurePackage, Submission } from '../../ingestion/types.js'
import type { PreparedPackage } from '../../package/index.js'
import type { PlanState } from './plan-state.js'
import { newestFirst } from './plan-state.js'
import { isInProgress } from './submissions.js'

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
 * The submission an earlier run of this release made and left in progress: the newest one in progress,
 * when every selected plan's draft was moved by that run and (where the service shows them) its
 * certification notes name this version. Following it is what the earlier run would have done.
 */
export function submissionOfEarlierRun(
  submissions: Submission[],
  plans: PlanState[],
  version: string,
  reused: AzurePackage | undefined
): Submission | undefined {
  if (!plans.length || !plans.every(p => movedByEarlierRun(p, version, reused))) return undefined
  const inProgress = newestFirst(submissions).find(isInProgress)
  if (!inProgress) return undefined
  const notes = inProgress.publishOption?.certificationNotes
  if (typeof notes === 'string' && !notes.startsWith(`Version ${version} `)) return undefined
  return inProgress
}
