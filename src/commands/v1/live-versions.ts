import type { RunContext } from '../../context.js'
import { HttpError } from '../../http/http-error.js'
import type { Submission } from '../../ingestion/types.js'
import { log } from '../../log.js'
import { isVersion } from '../../release-version.js'
import { newestFirst, type PlanState } from './plan-state.js'
import { submittedPackageInstance } from './rerun.js'
import { isLive } from './submissions.js'

/**
 * Each plan's live version, by plan ID: the version of the technical configuration that the live
 * submission published. Partner Center's rule is that a new version is higher than the live one,
 * and the draft is not a safe measure of it: a release that failed or was never taken live has
 * already moved the draft.
 *
 * A submission names the instances it published (docs/partner-center-api.md §1.11). Where the service
 * keeps a submitted instance apart from the draft (reading (b) of §1.2), reading the live
 * submission's instance gives what is live. Where the live submission names the plan's current draft
 * instance (reading (a)), or no package instance of the plan, or the instance cannot be read, the
 * plan is left out and the caller falls back to the draft.
 */
export async function readLiveVersions(
  ctx: RunContext,
  productId: string,
  plans: PlanState[],
  submissions: Submission[]
): Promise<Map<string, string>> {
  const versions = new Map<string, string>()
  const live = newestFirst(submissions).find(isLive)
  if (!live) return versions
  await Promise.all(
    plans.map(async plan => {
      const instance = submittedPackageInstance(live, plan)
      const draft = plan.packageBranch?.currentDraftInstanceID
      if (!instance || !draft || instance.toLowerCase() === draft.toLowerCase()) return
      try {
        const published = await ctx.ingestion.getPackageConfiguration(productId, instance)
        if (published?.version && isVersion(published.version)) versions.set(plan.planId, published.version)
      } catch (error) {
        // Not knowing the live version is not a failure: the draft's version stands in (stricter).
        if (!(error instanceof HttpError)) throw error
        log.debug(
          `Plan '${plan.planId}': the technical configuration of live submission ${live.id} could not be read (HTTP ${error.status}); the draft's version stands in for the live one.`
        )
      }
    })
  )
  return versions
}
