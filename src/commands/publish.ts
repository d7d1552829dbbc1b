import type { RunContext } from '../context.js'
import type { Report } from '../report/report.js'
import { publishAzureApplication } from './azure-app/publish.js'
import { publishProductIngestion } from './product-ingestion-publish.js'
import { resolveOffer } from './resolve-offer.js'

/** `publish`: the offer's type decides the API; the user never has to. */
export async function publishCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOffer(ctx)
  return offer.api === 'ingestion' ? publishAzureApplication(ctx, offer) : publishProductIngestion(ctx, offer)
}
