import type { RunContext } from '../context.js'
import type { Report } from '../report/report.js'
import { InputError } from '../errors.js'
import { publishV1Draft } from './v1/publish-draft.js'
import { publishAzureApplication } from './v1/azure-application.js'
import { publishProductIngestion } from './product-ingestion/publish.js'
import { resolveOffer } from './shared/resolve-offer.js'

/** `publish`: the offer's type decides the API; the user never has to. */
export async function publishCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOffer(ctx)
  if (offer.api === 'product-ingestion') return publishProductIngestion(ctx, offer)
  if (offer.type === 'AzureApplication') return publishAzureApplication(ctx, offer)
  if (ctx.inputs.packagePath) {
    throw new InputError(
      'package-path',
      `applies to Azure Application offers; '${offer.offerId}' is a ${offer.type} offer, which has no package. Leave it out to publish the offer's draft.`
    )
  }
  return publishV1Draft(ctx, offer)
}
