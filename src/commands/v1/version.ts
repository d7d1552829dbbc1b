import { InputError } from '../../errors.js'
import { compareVersions, isVersion } from '../../release-version.js'
import type { PlanState } from './plan-state.js'

export { compareVersions }

/** The next patch version after `version` (1.4.0 → 1.4.1): a version the user can actually tag. */
export function nextPatch(version: string): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number)
  return `${major}.${minor}.${patch + 1}`
}

/**
 * The version a plan's new one must be higher than. Partner Center's rule is "higher than the live
 * version"; where the live version could not be read (live-versions.ts), the draft's stands in for it
 * (the two differ only after a release that moved the draft and did not go live).
 */
export interface VersionToBeat {
  version: string
  from: 'live' | 'draft'
}

export function versionToBeat(plan: PlanState, live: ReadonlyMap<string, string>): VersionToBeat | undefined {
  const liveVersion = live.get(plan.planId)
  if (liveVersion) return { version: liveVersion, from: 'live' }
  return plan.version && isVersion(plan.version) ? { version: plan.version, from: 'draft' } : undefined
}

/**
 * Every plan must move forward, checked before any write. A plan that an earlier run of this same
 * release already moved to `version` (`alreadyThere`) is not in the way: the run finishes that release.
 */
export function checkVersionIsHigher(
  version: string,
  plans: PlanState[],
  alreadyThere: (plan: PlanState) => boolean = () => false,
  live: ReadonlyMap<string, string> = new Map()
): void {
  const blocking = plans.flatMap(plan => {
    const current = versionToBeat(plan, live)
    return current && compareVersions(version, current.version) <= 0 && !alreadyThere(plan)
      ? [{ plan, current }]
      : []
  })
  if (blocking.length) {
    const list = blocking
      .map(
        ({ plan, current }) =>
          `'${plan.planId}' is ${current.from === 'live' ? 'live ' : ''}at ${current.version}`
      )
      .join(', ')
    const highest = blocking.map(b => b.current.version).sort(compareVersions)[blocking.length - 1]!
    throw new InputError(
      'version',
      `${version} is not higher than the current version of every plan (${list}).`,
      `Partner Center accepts only a higher technical-configuration version: tag v${nextPatch(highest)} (or higher), or set \`version\`.`
    )
  }
}
