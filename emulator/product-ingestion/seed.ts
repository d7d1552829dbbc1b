// The Product Ingestion resources of a seeded SaaS, VM or container offer: product, plans, listing,
// property, price-and-availability (offer and plan), reseller, plan listings and the technical
// configuration of its type. IDs follow the real formats (docs/partner-center-api.md §2.4) and are derived from the
// v1 product, so a run of the same seed always shows the same durable IDs. Schema versions are the
// ones the service answers with for `$version=2022-03-01-preview3`; every resource passes the
// checks of src/product-ingestion (emulator-pi tests verify that).
import { stableGuid } from '../ids.js'
import type { EmulatorState, Product } from '../state.js'
import { piTypeOfV1 } from './offer-types.js'
import type { PiResource } from './store.js'

export const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema'
export const schemaOf = (type: string, version: string): string => `${SCHEMA_HOST}/${type}/${version}`

/** The publisher's Azure side of seeded VM and container plans: the gallery and the container registry. */
export const SEED_PUBLISHER = {
  tenantId: '4a8f0b4e-6c1d-4c6e-9a57-2f3b1e0d9c11',
  subscriptionId: '537d2130-be25-451e-b3ff-c5b469a13e2d',
  resourceGroup: 'contoso-images',
  registryName: 'contosoregistry'
} as const

export function planGuid(productId: string, planId: string): string {
  return stableGuid(productId.toLowerCase(), 'pi-plan', planId)
}

export function seedResources(p: Product): PiResource[] {
  const g = p.id.toLowerCase()
  const offerType = piTypeOfV1(p.resourceType)
  const piType = offerType?.pi ?? 'softwareAsAService'
  const kind = offerType?.kind ?? 'azureSaaS'
  const product = `product/${g}`
  const plans = p.variants.size
    ? [...p.variants.values()].map(v => ({ planId: v.externalID, name: v.friendlyName }))
    : [{ planId: 'standard', name: 'Standard' }]
  const out: PiResource[] = [
    {
      $schema: schemaOf('product', '2022-03-01-preview2'),
      id: product,
      identity: { externalId: p.offerId },
      type: piType,
      alias: p.name
    },
    {
      $schema: schemaOf('listing', '2022-03-01-preview3'),
      id: `listing/${g}/public/main/default/en-us`,
      product,
      kind,
      title: p.name,
      summary: `${p.name} for your Azure subscription`,
      shortDescription: `${p.name}, published with partner-center-publish`,
      description: `<p>${p.name} is a demo offer of the Partner Center emulator.</p>`,
      languageId: 'en-us'
    },
    {
      $schema: schemaOf('property', '2022-03-01-preview3'),
      id: `property/${g}/public/main`,
      product,
      kind,
      termsConditions: 'standardMicrosoft',
      categories:
        piType === 'softwareAsAService'
          ? { 'developer-tools-saas': ['devService'] }
          : { 'developer-tools': ['devService'] }
    },
    {
      $schema: schemaOf('price-and-availability-offer', '2022-03-01-preview3'),
      id: `price-and-availability-offer/${g}`,
      product,
      previewAudiences: []
    },
    {
      $schema: schemaOf('reseller', '2022-03-01-preview2'),
      id: `reseller/${g}`,
      product,
      resellerChannelState: 'none',
      audiences: []
    }
  ]
  if (piType === 'softwareAsAService') {
    out.push({
      $schema: schemaOf('software-as-a-service-technical-configuration', '2022-03-01-preview3'),
      id: `software-as-a-service-technical-configuration/${g}`,
      product,
      landingPageUrl: `https://contoso.example/${p.offerId}/landing`,
      connectionWebhook: `https://contoso.example/${p.offerId}/webhook`,
      azureAdTenantId: '4a8f0b4e-6c1d-4c6e-9a57-2f3b1e0d9c11',
      azureAdAppId: '5b0f8f5e-1c2a-4d3b-8e4f-a1b2c3d4e5f6'
    })
  }
  plans.forEach((plan, rank) => {
    const pl = planGuid(g, plan.planId)
    const planId = `plan/${g}/${pl}`
    out.push(
      {
        $schema: schemaOf('plan', '2022-03-01-preview2'),
        id: planId,
        product,
        identity: { externalId: plan.planId },
        alias: plan.name,
        azureRegions: ['azureGlobal'],
        displayRank: rank
      },
      {
        $schema: schemaOf('plan-listing', '2022-03-01-preview3'),
        id: `plan-listing/${g}/public/main/${pl}/en-us`,
        product,
        plan: planId,
        kind,
        name: plan.name,
        summary: `${plan.name} plan`,
        description: `The ${plan.name} plan of ${p.name}.`,
        languageId: 'en-us'
      },
      {
        $schema: schemaOf('price-and-availability-plan', '2022-03-01-preview3'),
        id: `price-and-availability-plan/${g}/${pl}`,
        product,
        plan: planId,
        visibility: 'visible',
        audience: 'public',
        customerMarkets: 'allMarkets',
        pricing: { licenseModel: piType === 'softwareAsAService' ? 'flatRate' : 'payAsYouGo' }
      }
    )
    if (piType === 'azureVirtualMachine' || piType === 'coreVirtualMachine') {
      out.push({
        $schema: schemaOf('virtual-machine-plan-technical-configuration', '2022-03-01-preview2'),
        id: `virtual-machine-plan-technical-configuration/${g}/${pl}`,
        product,
        plan: planId,
        operatingSystem: { family: 'linux', type: 'ubuntu', friendlyName: 'Ubuntu 22.04 LTS' },
        recommendedVmSizes: ['d2s-standard-v5'],
        skus: [{ imageType: 'x64Gen2', skuId: `${plan.planId}-gen2` }],
        vmProperties: { supportsCloudInit: true, supportsExtensions: true },
        // A plan that has been released before: image version 1.0.0 from the publisher's compute gallery.
        vmImageVersions: [
          {
            versionNumber: '1.0.0',
            vmImages: [
              {
                imageType: 'x64Gen2',
                source: {
                  sourceType: 'sharedImageGallery',
                  sharedImage: {
                    tenantId: SEED_PUBLISHER.tenantId,
                    resourceId: `/subscriptions/${SEED_PUBLISHER.subscriptionId}/resourceGroups/${SEED_PUBLISHER.resourceGroup}/providers/Microsoft.Compute/galleries/contoso_gallery/images/${plan.planId}/versions/1.0.0`
                  }
                }
              }
            ]
          }
        ]
      })
    }
    if (piType === 'azureContainer') {
      out.push({
        $schema: schemaOf('container-plan-technical-configuration', '2022-03-01-preview3'),
        id: `container-plan-technical-configuration/${g}/${pl}`,
        product,
        plan: planId,
        payloadType: 'cnab',
        clusterExtensionType: `contoso.${p.offerId}`,
        cnabReferences: [
          {
            tenantId: SEED_PUBLISHER.tenantId,
            subscriptionId: SEED_PUBLISHER.subscriptionId,
            resourceGroupName: SEED_PUBLISHER.resourceGroup,
            registryName: SEED_PUBLISHER.registryName,
            repositoryName: p.offerId,
            tag: '1.0.0',
            digest: 'sha256:5a3c1b8e7f90d2c4b6a8e0f1d3c5b7a9e1f3d5c7b9a1e3f5d7c9b1a3e5f7d9c1'
          }
        ]
      })
    }
  })
  return out
}

/** Private offers use their own schema family (docs/partner-center-api.md §2.2, §7.6). */
export const PRIVATE_OFFER_VERSION = '2023-07-15'

/**
 * One customer private offer (a draft) on the account's first SaaS offer, shaped like the examples of
 * Microsoft's private-offer docs (po2023-* in docs/partner-center-api.md §4), so that reads and
 * `$version` handling of the private-offer family can be exercised.
 */
export function seedPrivateOffers(state: EmulatorState): PiResource[] {
  const saas = [...state.products.values()].find(p => !p.filler && p.resourceType === 'SoftwareAsAService')
  if (!saas) return []
  const g = saas.id.toLowerCase()
  const plan = saas.variants.size ? [...saas.variants.values()][0].externalID : 'standard'
  return [
    {
      $schema: schemaOf('private-offer', PRIVATE_OFFER_VERSION),
      id: `private-offer/${stableGuid(g, 'private-offer', 'seed')}`,
      name: `${saas.offerId}-customer-discount`,
      privateOfferType: 'customerPromotion',
      offerPricingType: 'editExistingOfferPricingOnly',
      state: 'draft',
      variableStartDate: true,
      end: '2027-12-31',
      acceptBy: '2027-06-30',
      preparedBy: 'publisher@contoso.example',
      notificationContacts: ['publisher@contoso.example'],
      beneficiaries: [],
      pricing: [
        {
          product: `product/${g}`,
          plan: `plan/${g}/${planGuid(g, plan)}`,
          discountType: 'percentage',
          discountPercentage: 10
        }
      ]
    }
  ]
}
