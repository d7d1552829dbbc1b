import { InputError } from '../../errors.js'
import type { PlanState } from './plan-state.js'

/** major.minor.patch comparison; Partner Center refuses a version that is not higher than the current one. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}

/** Every plan must move forward, checked before any write. */
export function checkVersionIsHigher(version: string, plans: PlanState[]): void {
  const blocking = plans.filter(
    p => p.version && /^\d+\.\d+\.\d+$/.test(p.version) && compareVersions(version, p.version) <= 0
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
