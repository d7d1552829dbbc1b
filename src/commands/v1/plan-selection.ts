import { InputError } from '../../errors.js'
import type { PlanState } from './plan-state.js'

/** The plans named by `plan-id`, or every Azure Application plan when none is named. */
export function selectPlans(all: PlanState[], planIds: string[]): PlanState[] {
  if (!all.length) {
    throw new InputError('plan-id', 'the offer has no plans yet. Create a plan in Partner Center first.')
  }
  if (!planIds.length) return all
  const known = new Map(all.map(p => [p.planId.toLowerCase(), p]))
  const unknown = planIds.filter(id => !known.has(id.toLowerCase()))
  if (unknown.length) {
    throw new InputError(
      'plan-id',
      `${unknown.map(id => `'${id}'`).join(', ')} ${unknown.length === 1 ? 'is not a plan' : 'are not plans'} of this offer. Its plans: ${all.map(p => p.planId).join(', ')}.`
    )
  }
  return planIds.map(id => known.get(id.toLowerCase())!)
}
