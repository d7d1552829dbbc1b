/**
 * What a VM or container release changes: the technical configuration of each chosen plan, read whole,
 * changed in one list (image versions, bundle references) and sent back whole in one configure job
 * (docs/partner-center-api.md §9). Reading every plan before writing anything is what lets a release
 * refuse a duplicate version or an unknown plan with nothing changed.
 */
import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import { log } from '../../log.js'
import { jobOutputs, startJob, waitForJob } from './jobs.js'
import { checkConflicts } from './publish.js'
import type { ConfigureStatus, PiPlan, PiResource } from '../../product-ingestion/types.js'
import type { Outputs } from '../../report/report.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'

export type TechnicalConfigurationType =
  'virtual-machine-plan-technical-configuration' | 'container-plan-technical-configuration'

export interface PlanTechnicalConfiguration {
  /** The plan's ID in Partner Center (its externalId). */
  planId: string
  name: string
  resource: PiResource
}

/** The plans `plan-id` names (default: every plan), each with its technical configuration. */
export async function readPlanTechnicalConfigurations(
  ctx: RunContext,
  offer: ResolvedOffer,
  type: TechnicalConfigurationType
): Promise<PlanTechnicalConfiguration[]> {
  const productGuid = offer.productId.toLowerCase()
  const plans = (await ctx.productIngestion.listPlans(productGuid)).filter(
    plan => plan.lifecycleState !== 'deleted'
  )
  const planId = (plan: PiPlan): string => plan.identity?.externalId ?? plan.id.split('/')[2]
  if (plans.length === 0) {
    throw new ActionError(`Offer '${offer.offerId}' has no plans.`, {
      hint: 'Create a plan in Partner Center (or with `command: configure`) before releasing to it.'
    })
  }
  const wanted = ctx.inputs.planIds
  for (const id of wanted) {
    if (!plans.some(plan => planId(plan).toLowerCase() === id.toLowerCase())) {
      throw new InputError(
        'plan-id',
        `'${id}' is not a plan of offer '${offer.offerId}'. Its plans: ${plans.map(planId).join(', ')}.`
      )
    }
  }
  const chosen = wanted.length
    ? plans.filter(plan => wanted.some(id => id.toLowerCase() === planId(plan).toLowerCase()))
    : plans
  const configurations: PlanTechnicalConfiguration[] = []
  for (const plan of chosen) {
    const durableId = `${type}/${productGuid}/${plan.id.split('/')[2]}`
    const resource = await ctx.productIngestion.getResource(durableId)
    if (!resource) {
      throw new ActionError(
        `Plan '${planId(plan)}' of offer '${offer.offerId}' has no technical configuration yet (${durableId}).`,
        {
          hint: "Set up the plan's technical configuration once in Partner Center (or with `command: configure`); releases then add to it."
        }
      )
    }
    configurations.push({ planId: planId(plan), name: plan.alias ?? planId(plan), resource })
  }
  return configurations
}

/**
 * A submission in progress would make the publish after the configure job fail, leaving a changed draft
 * behind: the publish flow's own conflict check (submissions, and `job-id` with `on-conflict`) runs
 * before anything is written. A release to the draft only publishes nothing and needs no check.
 */
export async function refuseWhileSubmissionRuns(ctx: RunContext, offer: ResolvedOffer): Promise<void> {
  if (ctx.inputs.target !== 'draft') await checkConflicts(ctx, offer)
}

/** The resource as it is sent back: whole, minus what the service reports and refuses on input. */
export function resourceToSend(resource: PiResource, changes: Record<string, unknown>): PiResource {
  const { validations: _validations, ...rest } = resource
  void _validations
  return { ...rest, ...changes }
}

/**
 * One configure job for all plans, waited for even with `wait: false`: a submission publishes the
 * draft as it is when it starts, so publishing before the job has completed would publish the old one.
 */
export async function configurePlans(
  ctx: RunContext,
  resources: PiResource[],
  what: string,
  outputs: Outputs
): Promise<ConfigureStatus> {
  const started = await startJob(ctx, resources, what)
  const status = await waitForJob(ctx, started.jobId, what, { ...outputs, ...jobOutputs(started) })
  log.info(`Configure job ${status.jobId} succeeded: ${what}.`)
  return status
}
