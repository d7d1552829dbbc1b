import type { RunContext } from '../context.js'
import { InputError } from '../errors.js'
import type { Report } from '../report/report.js'
import { publishV1Draft } from './v1/publish-draft.js'
import { publishAzureApplication } from './v1/azure-application.js'
import { publishProductIngestion } from './product-ingestion/publish.js'
import { resolveOfferWithInputs } from './common/applicable-inputs.js'
import { publishBusinessCentral } from './v1/business-central.js'

/**
 * `publish`: the offer's type decides the API; the user never has to. Inputs that do not apply to
 * the offer (a `package-path` for a consulting offer) are refused as it is resolved.
 */
export async function publishCommand(ctx: RunContext): Promise<Report> {
  const offer = await resolveOfferWithInputs(ctx)
  if (offer.api === 'product-ingestion') {
    // A VM image version or a container bundle to release: it changes the plans, then publishes.
    const release = ctx.inputs.vmImage ?? ctx.inputs.containerBundle
    if (release) return (await import('./product-ingestion/release.js')).publishRelease(ctx, offer)
    return publishProductIngestion(ctx, offer)
  }
  const fourPart = ctx.inputs.versionSource === 'input' && ctx.inputs.version?.split('.').length === 4
  if (offer.type === 'AzureDynamics365BusinessCentral') {
    // With an app: upload it and submit; without: submit the draft as it is, like other v1 types.
    if (ctx.inputs.packagePath) return publishBusinessCentral(ctx, offer)
    if (ctx.inputs.libraryPaths.length) {
      throw new InputError(
        'library-path',
        'is given without `package-path`: library apps are released with their main app.',
        'Give the main .app in `package-path` too.'
      )
    }
    return publishV1Draft(ctx, offer)
  }
  if (fourPart) {
    throw new InputError(
      'version',
      `'${ctx.inputs.version}' has four parts, the form of a Business Central app version; '${offer.offerId}' is a ${offer.type} offer, whose versions are major.minor.patch.`
    )
  }
  if (offer.type === 'AzureApplication') return publishAzureApplication(ctx, offer)
  return publishV1Draft(ctx, offer)
}
