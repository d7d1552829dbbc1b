import type { RunContext } from '../context.js'
import { log } from '../log.js'
import { findOfferType } from '../offer-types.js'
import { partnerCenterUrl, type Report, type Section } from '../report/report.js'
import { loadPlanStates, newestFirst } from './v1/plan-state.js'
import { resolveOfferWithInputs } from './common/applicable-inputs.js'
import type { ResolvedOffer } from './common/resolve-offer.js'
import { offerOutputs } from './common/offer-outputs.js'

export interface PlanSummary {
  planId: string
  variantId: string
  name: string
  subType?: string
  version?: string
}

interface SubmissionSummary {
  id: string
  state: string
  substate: string
  target?: string
}

/** `show`: one offer, its plans with their current versions, and its latest submission. */
export async function showCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOfferWithInputs(ctx)
  const { plans, submission } =
    offer.api === 'ingestion' ? await readV1(ctx, offer) : await readProductIngestion(ctx, offer)
  log.info(`Offer '${offer.offerId}' (${offer.type}, product ${offer.productId}): ${plans.length} plan(s).`)

  const url = partnerCenterUrl(offer.productId)
  const sections: Section[] = [
    {
      table: {
        headers: ['Offer ID', 'Name', 'Type', 'Product ID'],
        rows: [
          [
            { text: offer.offerId, href: url },
            offer.name,
            findOfferType(offer.type)?.label ?? offer.type,
            offer.productId
          ]
        ]
      }
    },
    {
      heading: 'Plans',
      text: plans.length ? undefined : 'This offer has no plans yet.',
      table: plans.length
        ? {
            headers: ['Plan ID', 'Name', 'Kind', 'Version'],
            rows: plans.map(p => [p.planId, p.name, p.subType ?? '', p.version ?? ''])
          }
        : undefined
    },
    {
      heading: 'Latest submission',
      text: submission
        ? `Submission \`${submission.id}\`${submission.target ? ` (${submission.target})` : ''}: **${submission.state}** / ${submission.substate}`
        : 'No submission yet.'
    }
  ]
  return {
    title: `Offer ${offer.offerId}`,
    outputs: {
      ...offerOutputs(offer, submission ?? { id: '' }),
      plans: JSON.stringify(plans)
    },
    sections
  }
}

async function readV1(
  ctx: RunContext,
  offer: ResolvedOffer
): Promise<{ plans: PlanSummary[]; submission?: SubmissionSummary }> {
  const [states, submissions] = await Promise.all([
    loadPlanStates(ctx, offer.productId),
    ctx.ingestion.listSubmissions(offer.productId)
  ])
  const plans = states.map(s => ({
    planId: s.planId,
    variantId: s.variant.id,
    name: s.variant.friendlyName ?? s.planId,
    subType: s.variant.subType,
    version: s.version
  }))
  const latest = newestFirst(submissions)[0]
  const submission = latest
    ? {
        id: latest.id,
        state: latest.state,
        substate: latest.substate,
        target: latest.targets?.map(t => t.value).join(', ')
      }
    : undefined
  return { plans, submission }
}

async function readProductIngestion(
  ctx: RunContext,
  offer: ResolvedOffer
): Promise<{ plans: PlanSummary[]; submission?: SubmissionSummary }> {
  const [piPlans, submissions] = await Promise.all([
    ctx.productIngestion.listPlans(offer.productId),
    ctx.productIngestion.listSubmissions(offer.productId)
  ])
  const plans = piPlans.map(p => ({
    planId: p.identity?.externalId ?? '',
    variantId: p.id.split('/').pop() ?? p.id,
    name: p.alias,
    subType: p.subtype
  }))
  // The draft reference (`submission/<guid>/0`) is not a submission; the newest real one is.
  const latest = newestFirst(submissions.filter(s => s.target?.targetType !== 'draft'))[0]
  const submission = latest
    ? {
        id: latest.id,
        state: latest.status ?? '',
        substate: latest.result ?? '',
        target: latest.target?.targetType
      }
    : undefined
  return { plans, submission }
}
