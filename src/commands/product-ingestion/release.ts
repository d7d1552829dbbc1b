/**
 * `publish` of a VM or container offer with something to release (an image source, a CNAB bundle): read
 * each plan's technical configuration, check the release against all of them, change them in one
 * configure job, then publish the draft to `target` through the Product Ingestion publish flow. Nothing
 * is written until every check has passed; the user writes no resource file.
 */
import type { RunContext } from '../../context.js'
import { InputError } from '../../errors.js'
import { log } from '../../log.js'
import { jobOutputs } from './jobs.js'
import { schemaUri, type PiResource } from '../../product-ingestion/types.js'
import {
  code,
  link,
  md,
  partnerCenterUrl,
  type Outputs,
  type Report,
  type Section
} from '../../report/report.js'
import { publishProductIngestion } from './publish.js'
import { offerOutputs } from '../common/offer-outputs.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import {
  bundleReference,
  CONTAINER_TECHNICAL_CONFIGURATION,
  containerReleaseSection,
  planContainerBundle
} from './container-bundle.js'
import {
  configurePlans,
  readPlanTechnicalConfigurations,
  refuseWhileSubmissionRuns,
  resourceToSend
} from './plan-technical-configuration.js'
import { planVmImageVersion, VM_TECHNICAL_CONFIGURATION, vmReleaseSection } from './vm-image-version.js'

/** Offer types whose plans take image versions, and those whose plans take CNAB bundles. */
const VM_OFFER_TYPES = ['AzureThirdPartyVirtualMachine']
const CONTAINER_OFFER_TYPES = ['AzureContainer']

interface Plan {
  what: string
  section: Section
  resources: PiResource[]
  outputs: Outputs
}

export async function publishRelease(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  checkOfferType(ctx, offer)
  const plan = await planRelease(ctx, offer)
  await refuseWhileSubmissionRuns(ctx, offer)
  const base: Outputs = { ...offerOutputs(offer), ...plan.outputs }
  if (ctx.inputs.dryRun) {
    const then = ctx.inputs.target === 'draft' ? '' : `, then publish the offer to ${ctx.inputs.target}`
    log.info(`Dry run: would ${plan.what}${then}. Nothing was sent.`)
    return {
      title: `${offer.offerId}: dry run`,
      outputs: base,
      sections: [
        { text: `Dry run: would ${plan.what}${then}. Nothing was sent.` },
        plan.section,
        {
          details: {
            summary: 'Configure request body',
            body: JSON.stringify({ $schema: schemaUri('configure'), resources: plan.resources }, null, 2),
            code: true
          }
        }
      ]
    }
  }
  const job = await configurePlans(ctx, plan.resources, plan.what, base)
  const configured: Section = { text: md`Configure job ${code(job.jobId)} succeeded: ${plan.what}.` }
  if (ctx.inputs.target === 'draft') {
    return {
      title: `${offer.offerId}: draft updated`,
      outputs: { ...base, ...jobOutputs(job) },
      sections: [
        plan.section,
        configured,
        { text: link('Open in Partner Center', partnerCenterUrl(offer.productId)) }
      ]
    }
  }
  const published = await publishProductIngestion(ctx, offer)
  return {
    title: published.title,
    outputs: { ...base, ...published.outputs },
    sections: [plan.section, configured, ...published.sections]
  }
}

function checkOfferType(ctx: RunContext, offer: ResolvedOffer): void {
  const { vmImage, containerBundle } = ctx.inputs
  if (vmImage && !VM_OFFER_TYPES.includes(offer.type)) {
    throw new InputError(
      vmImage.source.kind === 'gallery' ? 'gallery-image-id' : 'os-disk-uri',
      `applies to virtual machine offers; '${offer.offerId}' is a ${offer.type} offer, whose plans have no image versions.`
    )
  }
  if (containerBundle && !CONTAINER_OFFER_TYPES.includes(offer.type)) {
    throw new InputError(
      'cnab-bundle',
      `applies to container (Kubernetes application) offers; '${offer.offerId}' is a ${offer.type} offer, whose plans take no CNAB bundle.`
    )
  }
}

async function planRelease(ctx: RunContext, offer: ResolvedOffer): Promise<Plan> {
  const { vmImage, containerBundle } = ctx.inputs
  if (vmImage) {
    const configurations = await readPlanTechnicalConfigurations(ctx, offer, VM_TECHNICAL_CONFIGURATION)
    const changes = planVmImageVersion(configurations, vmImage, offer)
    return {
      what: `add image version ${vmImage.version} (${vmImage.imageType}) to plan(s) ${changes.map(c => c.plan.planId).join(', ')}`,
      section: vmReleaseSection(vmImage, changes),
      resources: changes.map(c => resourceToSend(c.plan.resource, c.changes)),
      outputs: {
        version: vmImage.version,
        plans: JSON.stringify(
          changes.map(c => ({
            planId: c.plan.planId,
            name: c.plan.name,
            version: vmImage.version,
            previousVersion: c.previousVersion ?? null
          }))
        )
      }
    }
  }
  const release = containerBundle!
  const configurations = await readPlanTechnicalConfigurations(ctx, offer, CONTAINER_TECHNICAL_CONFIGURATION)
  const changes = planContainerBundle(configurations, release, offer)
  return {
    what: `add bundle ${bundleReference(release)} to plan(s) ${changes.map(c => c.plan.planId).join(', ')}`,
    section: containerReleaseSection(release, changes),
    resources: changes.map(c => resourceToSend(c.plan.resource, c.changes)),
    outputs: {
      version: release.bundle.tag,
      plans: JSON.stringify(
        changes.map(c => ({ planId: c.plan.planId, name: c.plan.name, version: release.bundle.tag }))
      )
    }
  }
}
