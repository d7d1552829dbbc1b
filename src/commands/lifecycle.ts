import type { RunContext } from '../context.js'
import type { Report } from '../report/report.js'
import {
  cancelAzureApplication,
  goLiveAzureApplication,
  statusAzureApplication
} from './azure-app/lifecycle.js'
import {
  cancelProductIngestion,
  goLiveProductIngestion,
  statusProductIngestion
} from './product-ingestion-publish.js'
import { resolveOffer } from './resolve-offer.js'

/** go-live, status and cancel: routed to the offer's API. */

export async function goLiveCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOffer(ctx)
  return offer.api === 'ingestion' ? goLiveAzureApplication(ctx, offer) : goLiveProductIngestion(ctx, offer)
}

export async function statusCommand(ctx: RunContext): Promise<Report> {
  // A configure job needs no offer: its ID is enough.
  if (ctx.inputs.jobId && !ctx.inputs.offerId && !ctx.inputs.productId)
    return statusProductIngestion(ctx, undefined)
  const offer = await resolveOffer(ctx)
  return offer.api === 'ingestion' && !ctx.inputs.jobId
    ? statusAzureApplication(ctx, offer)
    : statusProductIngestion(ctx, offer)
}

export async function cancelCommand(ctx: RunContext): Promise<Report> {
  if (ctx.inputs.jobId && !ctx.inputs.offerId && !ctx.inputs.productId)
    return cancelProductIngestion(ctx, undefined)
  const offer = await resolveOffer(ctx)
  return offer.api === 'ingestion' && !ctx.inputs.jobId
    ? cancelAzureApplication(ctx, offer)
    : cancelProductIngestion(ctx, offer)
}
