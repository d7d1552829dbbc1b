import { InputError } from '../../errors.js'
import { compareVersions, isVersion } from '../../release-version.js'
import type { PlanState } from './plan-state.js'

export { compareVersions }

/** Every plan must move forward, checked before any write. */
export function checkVersionIsHigher(version: string, plans: PlanState[]): void {
  const blocking = plans.filter(
    p => p.version && isVersion(p.version) && compareVersions(version, p.version) <= 0
  )
  if (blocking.length) {
    const list = blocking.map(p => `'${p.planId}' is at ${p.version}`).join(', ')
    throw new InputError(
      'version',
      `${version} is not higher than the current version of every plan (${list}).`,
      'Partner Center accepts only a higher technical-configuration version: tag a new release (v1.2.4) or set `version`.'
    )
  }
}
