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
 * Every plan must move forward, checked before any write. A plan that an earlier run of this same
 * release already moved to `version` (`alreadyThere`) is not in the way: the run finishes that release.
 */
export function checkVersionIsHigher(
  version: string,
  plans: PlanState[],
  alreadyThere: (plan: PlanState) => boolean = () => false
): void {
  const blocking = plans.filter(
    p => p.version && isVersion(p.version) && compareVersions(version, p.version) <= 0 && !alreadyThere(p)
  )
  if (blocking.length) {
    const list = blocking.map(p => `'${p.planId}' is at ${p.version}`).join(', ')
    const highest = blocking.map(p => p.version!).sort(compareVersions)[blocking.length - 1]!
    throw new InputError(
      'version',
      `${version} is not higher than the current version of every plan (${list}).`,
      `Partner Center accepts only a higher technical-configuration version: tag v${nextPatch(highest)} (or higher), or set \`version\`.`
    )
  }
}
