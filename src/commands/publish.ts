import type { RunContext } from '../context.js'
import type { Report } from '../report/report.js'
import { publishV1Draft } from './v1/publish-draft.js'
import { publishAzureApplication } from './v1/azure-application.js'
import { publishProductIngestion } from './product-ingestion/publish.js'
import { resolveOfferWithInputs } from './shared/applicable-inputs.js'

/**
 * `publish`: the offer's type decides the API; the user never has to. Inputs that do not apply to
 * the offer (a `package-path` for a consulting offer) are refused as it is resolved.
 */
export async function publishCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOfferWithInputs(ctx)
  if (offer.api === 'product-ingestion') return publishProductIngestion(ctx, offer)
  if (offer.type === 'AzureApplication') return publishAzureApplication(ctx, offer)
  return publishV1Draft(ctx, offer)
}
