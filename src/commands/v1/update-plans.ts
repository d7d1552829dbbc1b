import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import { log } from '../../log.js'
import type { PlanState } from './plan-state.js'
import { buildPackageConfiguration, type ManagedAppSettings } from './technical-configuration.js'

const MAX_CONFLICT_RETRIES = 3

/**
 * Points each plan's draft technical configuration at the new package and version. The PUT carries
 * the configuration's ETag; when someone changed it meanwhile (412), it is read again and retried.
 */
export async function updatePlans(
  ctx: RunContext,
  productId: string,
  plans: PlanState[],
  packageId: string,
  version: string,
  settings?: ManagedAppSettings
): Promise<void> {
  await Promise.all(plans.map(plan => updatePlan(ctx, productId, plan, packageId, version, settings)))
}

async function updatePlan(
  ctx: RunContext,
  productId: string,
  plan: PlanState,
  packageId: string,
  version: string,
  settings?: ManagedAppSettings
): Promise<void> {
  let current = plan.packageConfig
  for (let attempt = 1; ; attempt++) {
    if (!current || !plan.packageBranch) {
      throw new ActionError(`Plan '${plan.planId}' has no technical configuration draft in Partner Center.`, {
        hint: 'Open the plan in Partner Center once (Technical configuration) so that its draft exists, then run again.'
      })
    }
    const etag = current['@odata.etag'] ?? '*'
    const wanted = buildPackageConfiguration(current, packageId, version, settings)
    if (sameConfiguration(wanted, current)) {
      // A re-run of a release whose earlier run already set this plan: nothing to write.
      log.info(`Plan '${plan.planId}': already at version ${version} with package ${packageId}.`)
      return
    }
    try {
      await ctx.ingestion.putPackageConfiguration(productId, wanted, etag)
      log.info(
        `Plan '${plan.planId}': version ${plan.version ?? '(none)'} -> ${version}, package ${packageId}.`
      )
      return
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 412 || attempt > MAX_CONFLICT_RETRIES) throw error
      log.info(
        `Plan '${plan.planId}': the technical configuration changed meanwhile (412); reading it again.`
      )
      current = await ctx.ingestion.getPackageConfiguration(
        productId,
        plan.packageBranch.currentDraftInstanceID
      )
    }
  }
}

/** The same configuration, whatever the order of its keys; the ETag is not part of it. */
function sameConfiguration(a: object, b: object): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) => {
    if (key === '@odata.etag') return undefined
    if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return inner
    return Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
  })
}
