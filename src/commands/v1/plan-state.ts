import type { RunContext } from '../../context.js'
import type { Branch, PackageConfiguration, Variant } from '../../ingestion/types.js'

const BRANCH_READ_ATTEMPTS = 4
const BRANCH_RETRY_DELAY_MS = 2000

export interface PlanState {
  planId: string
  variant: Variant
  /** The plan's Package branch (its draft instance holds the technical configuration). */
  packageBranch?: Branch
  packageConfig?: PackageConfiguration
  version?: string
}

/**
 * Reads each plan of a v1 offer with its draft technical configuration. Independent reads go out in
 * parallel: one branch lookup for all plans, then one configuration read per plan at once.
 */
export async function loadPlanStates(
  ctx: RunContext,
  productId: string,
  options: { waitForBranches?: boolean } = {}
): Promise<PlanState[]> {
  const [variants, firstBranches] = await Promise.all([
    ctx.ingestion.listVariants(productId),
    ctx.ingestion.getBranches(productId, 'Package')
  ])
  let branches = firstBranches
  const plans = variants.filter(v => v.resourceType !== 'AzureTestDriveVariant' && v.externalID)
  // Branches are eventually consistent: right after an offer or plan is created they read empty
  // (docs/partner-center-api.md §1.5). Before writing, read again a few times rather than conclude a plan has no draft.
  for (
    let attempt = 1;
    options.waitForBranches &&
    attempt <= BRANCH_READ_ATTEMPTS &&
    plans.some(v => !branches.some(b => b.variantID === v.id));
    attempt++
  ) {
    await ctx.clock.sleep(BRANCH_RETRY_DELAY_MS * attempt)
    branches = await ctx.ingestion.getBranches(productId, 'Package')
  }
  return Promise.all(
    plans.map(async variant => {
      const packageBranch = branches.find(b => b.variantID === variant.id)
      const packageConfig = packageBranch
        ? await ctx.ingestion.getPackageConfiguration(productId, packageBranch.currentDraftInstanceID)
        : undefined
      return {
        planId: variant.externalID!,
        variant,
        packageBranch,
        packageConfig,
        version: packageConfig?.version || undefined
      }
    })
  )
}

/** Submissions are numbered upwards; the newest has the largest ID (decimal strings of 19+ digits). */
export function newestFirst<T extends { id: string }>(items: T[]): T[] {
  const key = (id: string): bigint => {
    const digits = /(\d+)$/.exec(id)?.[1]
    return digits ? BigInt(digits) : 0n
  }
  return [...items].sort((a, b) => (key(b.id) > key(a.id) ? 1 : key(b.id) < key(a.id) ? -1 : 0))
}
