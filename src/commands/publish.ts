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
  const release = ctx.inputs.vmImage ?? ctx.inputs.containerBundle
  if (offer.api === 'product-ingestion') {
    // A VM image version or a container bundle to release: it changes the plans, then publishes.
    if (release) return (await import('./product-ingestion/release.js')).publishRelease(ctx, offer)
    return publishProductIngestion(ctx, offer)
  }
  if (release) {
    throw new InputError(
      ctx.inputs.containerBundle
        ? 'cnab-bundle'
        : ctx.inputs.vmImage?.source.kind === 'gallery'
          ? 'gallery-image-id'
          : 'os-disk-uri',
      `applies to virtual machine and container offers; '${offer.offerId}' is a ${offer.type} offer.`
    )
  }
  if (offer.type === 'AzureApplication') return publishAzureApplication(ctx, offer)
  if (ctx.inputs.packagePath) {
    throw new InputError(
      'package-path',
      `applies to Azure Application offers; '${offer.offerId}' is a ${offer.type} offer, which has no package. Leave it out to publish the offer's draft.`
    )
  }
  return publishV1Draft(ctx, offer)
}
