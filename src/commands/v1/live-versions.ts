import type { RunContext } from '../../context.js'
import type { Submission } from '../../ingestion/types.js'
import { isVersion } from '../../release-version.js'
import { newestFirst, type PlanState } from './plan-state.js'
import { publishedConfiguration } from './rerun.js'
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
      // Not knowing the live version is not a failure: the draft's version stands in (stricter).
      const published = await publishedConfiguration(ctx, productId, live, plan)
      if (published?.version && isVersion(published.version)) versions.set(plan.planId, published.version)
    })
  )
  return versions
}
