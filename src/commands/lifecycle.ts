import type { RunContext } from '../context.js'
import type { Report } from '../report/report.js'
import { cancelV1, goLiveV1, statusV1 } from './v1/lifecycle.js'
import {
  cancelProductIngestion,
  goLiveProductIngestion,
  statusProductIngestion
} from './product-ingestion/lifecycle.js'
import { resolveOfferWithInputs } from './common/applicable-inputs.js'

/** go-live, status and cancel: routed to the offer's API. */

export async function goLiveCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOfferWithInputs(ctx)
  return offer.api === 'ingestion' ? goLiveV1(ctx, offer) : goLiveProductIngestion(ctx, offer)
}

export async function statusCommand(ctx: RunContext): Promise<Report> {
  // A configure job needs no offer: its ID is enough.
  if (ctx.inputs.jobId && !ctx.inputs.offerId && !ctx.inputs.productId)
    return statusProductIngestion(ctx, undefined)
  const offer = await resolveOfferWithInputs(ctx)
  return offer.api === 'ingestion' && !ctx.inputs.jobId
    ? statusV1(ctx, offer)
    : statusProductIngestion(ctx, offer)
}

export async function cancelCommand(ctx: RunContext): Promise<Report> {
  if (ctx.inputs.jobId && !ctx.inputs.offerId && !ctx.inputs.productId)
    return cancelProductIngestion(ctx, undefined)
  const offer = await resolveOfferWithInputs(ctx)
  return offer.api === 'ingestion' && !ctx.inputs.jobId
    ? cancelV1(ctx, offer)
    : cancelProductIngestion(ctx, offer)
}
