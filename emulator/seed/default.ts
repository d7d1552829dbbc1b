// The default seed: one Entra tenant with the demo app and three apps that fail in known ways, an
// Azure Application offer that is live (two plans with Processed packages at 1.0.0), SaaS, container
// and VM offers, two Azure apps whose next submission fails, Business Central offers (one live with a
// library app, a Connect app, two whose next submission fails), and filler offers so /products pages.
// All ids are fixed so tests, docs and demos can rely on them.
import type { Seed } from '../types.js'

export const DEMO_TENANT_ID = '4a8f0b4e-6c1d-4c6e-9a57-2f3b1e0d9c11'
export const DEMO_TENANT_DOMAIN = 'contoso.onmicrosoft.com'
export { GITHUB_OIDC_REQUEST_TOKEN, DEFAULT_GITHUB_OIDC_SUBJECT } from '../entra/github-oidc.js'

export const DEMO_CREDENTIALS = {
  tenantId: DEMO_TENANT_ID,
  tenantDomain: DEMO_TENANT_DOMAIN,
  clientId: '5b0f8f5e-1c2a-4d3b-8e4f-a1b2c3d4e5f6',
  clientSecret: 'EMU~demo.S3cr3t-value_0123456789abcdef'
} as const

/**
 * Public certificate registered on the demo app (certificate sign-in). It is the certificate of
 * __tests__/fixtures/certificates/valid.pem, whose private key lives only in that test fixture.
 */
export const DEMO_CERTIFICATE_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDLzCCAhegAwIBAgIUZjghq6TTBWsOKq/z97/ZwIl1d2MwDQYJKoZIhvcNAQEL',
  'BQAwJjEkMCIGA1UEAwwbcGFydG5lci1jZW50ZXItcHVibGlzaC10ZXN0MCAXDTI2',
  'MTEyMzE5MzM1NFoYDzIxMjYxMDMwMTkzMzU0WjAmMSQwIgYDVQQDDBtwYXJ0bmVy',
  'LWNlbnRlci1wdWJsaXNoLXRlc3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK',
  'AoIBAQC7yLZ8A65WxLJhQuytPf7AQ+fWG4zVPI+K3Vi4gf6eRnorv8bki8gZbaTZ',
  'xnZ0SrI/wBJOK3XE5FPT3qqkvo6CZayMgtvnYf5tz5/nj936/KkEsnZeTXNDNq/K',
  'sjGqsXVrVA4ZURctOCd3fLSObNjikAGkUCK7LsxLq8r32WtCIGKf8JFZ/B+BBJqf',
  'RbZw9Lqg+/Scs33PEGNZC2BK9xfr1aZeEfPtUi1Z3vp6MKPhj7unnTSFQIbrRJXU',
  'KIDfcLcvv++cnLdYeuJEFbg2OhIPtZj28v04qLmtkQ6D9k2pJUlA1vXxXVWr3VMf',
  'E8Q3+NNOMQ6oZ1ed54m8BDGJApNhAgMBAAGjUzBRMB0GA1UdDgQWBBSqF0HnH2EH',
  'IGD674SMDZugFnInpzAfBgNVHSMEGDAWgBSqF0HnH2EHIGD674SMDZugFnInpzAP',
  'BgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQACyft3dC0LPhJfhhIa',
  'pC4IG+/mDCyZ9zFfjzCpg9Q+5lxvY+UoKAceK97ZEvS8PXlzltGLzpc8rvw5F25t',
  'lqLmBxDVo4uUYoartOZOTfk7HEGPgZVLJDoTLHEUQ6foPcxRtJ47b3GE4b5tgLIf',
  'xZFxy4IIhpmhLqPXgsYzUgugF1O8C543MQtosXymZoQ/JOLu1BClaF77qRGmVWod',
  'TbjaxikAd0lp6gXK26Isnv6YUns1d19EZC1QWTLEmOEc0cfBCHjvc6eO/4e0c5Xb',
  'Ir12s/YTq88Qc4r6mL+92mbn7Upqv8Inzm2GJfdfSbjgGTVqEdmiqkrMLbKzsCh6',
  '82qi',
  '-----END CERTIFICATE-----'
].join('\n')

/** Federated credentials of the demo app: GitHub OIDC tokens with these subjects (and audience) sign in. */
export const DEMO_FEDERATED_ISSUER = 'https://token.actions.githubusercontent.com'
export const DEMO_FEDERATED_AUDIENCE = 'api://AzureADTokenExchange'
export const DEMO_FEDERATED_SUBJECTS = [
  'repo:contoso/contoso-app:ref:refs/tags/v1.2.3',
  'repo:contoso/contoso-app:environment:production'
] as const

/** ID of the demo app's secret: sending it instead of the value fails with AADSTS7000215. */
export const DEMO_SECRET_ID = '9d2c7a41-3b6e-4f80-a5c9-0e1f2d3c4b5a'

/** Registered in Entra but not added to Partner Center: tokens work, the v1 API answers 403. */
export const NO_ROLE_APP = {
  clientId: '6c1e9f6f-2d3b-4e4c-9f50-b2c3d4e5f607',
  clientSecret: 'EMU~norole.S3cr3t-value_0123456789abcdef'
} as const
/** Disabled app: AADSTS7000112. */
export const DISABLED_APP = {
  clientId: '7d2fa070-3e4c-4f5d-a061-c3d4e5f60718',
  clientSecret: 'EMU~disabled.S3cr3t-value_0123456789abcdef'
} as const
/** App whose only secret has expired: AADSTS7000222. */
export const EXPIRED_SECRET_APP = {
  clientId: '8e30b181-4f5d-4a6e-b172-d4e5f6071829',
  clientSecret: 'EMU~expired.S3cr3t-value_0123456789abcdef'
} as const
/** Developer role in Partner Center: reads work, writes answer 403. */
export const DEVELOPER_APP = {
  clientId: '9f41c292-5a6e-4b7f-8283-e5f60718293a',
  clientSecret: 'EMU~developer.S3cr3t-value_0123456789abcdef'
} as const

export const CONTOSO_APP = {
  productId: '0f6d8a3c-2b1e-4c5d-9e8f-1a2b3c4d5e60',
  offerId: 'contoso-app',
  name: 'Contoso App',
  liveSubmissionId: '1152921505697700001',
  plans: {
    standard: {
      planId: 'standard',
      variantId: '1a7e9b4d-3c2f-4d6e-8f90-2b3c4d5e6f71',
      subType: 'solution-template',
      packageId: '3c90bd6f-5e41-4f80-ab12-4d5e6f7a8b93',
      version: '1.0.0'
    },
    managed: {
      planId: 'managed',
      variantId: '2b8fac5e-4d30-4e7f-9a01-3c4d5e6f7a82',
      subType: 'managed-application',
      packageId: '4da1ce70-6f52-4091-bc23-5e6f7a8b9ca4',
      version: '1.0.0'
    }
  }
} as const

export const CONTOSO_SAAS = {
  productId: '5eb2df81-7063-41a2-8d34-6f7a8b9cadb5',
  offerId: 'contoso-saas',
  resourceType: 'SoftwareAsAService'
} as const
export const CONTOSO_CONTAINER = {
  productId: '6fc3e092-8174-42b3-9e45-7a8b9cadbec6',
  offerId: 'contoso-container',
  resourceType: 'AzureContainer'
} as const
export const CONTOSO_VM = {
  productId: '70d4f1a3-9285-43c4-af56-8b9cadbecfd7',
  offerId: 'contoso-vm',
  resourceType: 'AzureThirdPartyVirtualMachine',
  /** Two plans, each with an x64Gen2 SKU and image version 1.0.0 from a compute gallery (seed.ts). */
  plans: ['standard', 'premium'],
  imageVersion: '1.0.0'
} as const

/** Azure app whose next submission fails automated validation. */
export const FAILING_VALIDATION_APP = {
  productId: '81e502b4-a396-44d5-b067-9cadbecfd0e8',
  offerId: 'contoso-app-invalid',
  planId: 'standard',
  variantId: '92f613c5-b4a7-45e6-8178-adbecfd0e1f9',
  packageId: 'a30724d6-c5b8-46f7-9289-becfd0e1f20a'
} as const
/** Azure app whose next submission fails certification. */
export const FAILING_CERTIFICATION_APP = {
  productId: 'b41835e7-d6c9-4708-a39a-cfd0e1f2031b',
  offerId: 'contoso-app-uncertified',
  planId: 'standard',
  variantId: 'c52946f8-e7da-4819-b4ab-d0e1f203142c',
  packageId: 'd63a5709-f8eb-492a-85bc-e1f20314253d'
} as const

/**
 * Business Central offer, live at appVersion 1.0.0.0 with its main app and one library app (Processed
 * packages referenced by the offer's package configuration). Its apps' ids are fixed so that a release
 * can be built for it (examples/business-central/, __tests__/helpers/business-central-app.ts).
 */
export const CONTOSO_BC = {
  productId: 'e85b4c1a-7d2e-4f3a-9b60-1c2d3e4f5a6b',
  offerId: 'contoso-bc-app',
  name: 'Contoso Sales Tools',
  liveSubmissionId: '1152921505697700031',
  appVersion: '1.0.0.0',
  mainApp: {
    id: '3f1a9c52-8b7d-4e60-a1c4-5d6e7f809a1b',
    name: 'Sales Tools',
    publisher: 'Contoso',
    version: '1.0.0.0'
  },
  libraryApp: {
    id: '4a2b0d63-9c8e-4f71-b2d5-6e7f8091ab2c',
    name: 'Sales Tools Library',
    publisher: 'Contoso',
    version: '1.0.0.0'
  }
} as const
/** Business Central Connect app: no package (setup packageType Connect). */
export const CONTOSO_BC_CONNECT = {
  productId: 'f96c5d2b-8e3f-4a4b-ac71-2d3e4f5a6b7c',
  offerId: 'contoso-bc-connect',
  name: 'Contoso Connect'
} as const
/** Business Central offer whose next submission fails automated validation (AppSourceCop findings). */
export const FAILING_VALIDATION_BC = {
  productId: '0a7d6e3c-9f40-4b5c-bd82-3e4f5a6b7c8d',
  offerId: 'contoso-bc-invalid',
  name: 'Contoso Sales Tools (fails validation)',
  appVersion: '1.0.0.0'
} as const
/** Business Central offer whose next submission fails certification, which runs after go-live is requested. */
export const FAILING_CERTIFICATION_BC = {
  productId: '1b8e7f4d-a051-4c6d-8e93-4f5a6b7c8d9e',
  offerId: 'contoso-bc-uncertified',
  name: 'Contoso Sales Tools (fails certification)',
  appVersion: '1.0.0.0'
} as const

/** Filler offers in the default seed (20 offers in all → 4 pages at page size 5). */
export const DEFAULT_FILLER_OFFERS = 10
export const DEFAULT_PRODUCT_COUNT = 10 + DEFAULT_FILLER_OFFERS

/** Publisher tenant and principal used by the managed plan's authorization. */
export const MANAGED_AUTHORIZATION = {
  tenantId: 'e74b6810-09fc-4a3b-96cd-f20314253647',
  principalId: 'f85c7921-1a0d-4b4c-a7de-031425364758',
  roleDefinitionId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' // Owner
} as const

export function defaultSeed(): Seed {
  const secret = (id: string, value: string, expired = false) => ({ id, value, expired })
  return {
    identities: {
      tenants: [
        {
          id: DEMO_TENANT_ID,
          displayName: 'Contoso',
          domains: [DEMO_TENANT_DOMAIN],
          apps: [
            {
              clientId: DEMO_CREDENTIALS.clientId,
              displayName: 'partner-center-publish-demo',
              partnerCenterRole: 'Manager',
              secrets: [secret(DEMO_SECRET_ID, DEMO_CREDENTIALS.clientSecret)],
              certificates: [{ pem: DEMO_CERTIFICATE_PEM }],
              federatedCredentials: DEMO_FEDERATED_SUBJECTS.map((subject, i) => ({
                name: ['release-tags', 'production-environment'][i],
                issuer: DEMO_FEDERATED_ISSUER,
                subject,
                audiences: [DEMO_FEDERATED_AUDIENCE]
              }))
            },
            {
              clientId: NO_ROLE_APP.clientId,
              displayName: 'not-in-partner-center',
              partnerCenterRole: null,
              secrets: [secret('1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a00', NO_ROLE_APP.clientSecret)]
            },
            {
              clientId: DISABLED_APP.clientId,
              displayName: 'disabled-app',
              disabled: true,
              partnerCenterRole: 'Manager',
              secrets: [secret('2f3e4d5c-6b7a-4899-ab7c-6d5e4f3a2b11', DISABLED_APP.clientSecret)]
            },
            {
              clientId: EXPIRED_SECRET_APP.clientId,
              displayName: 'expired-secret-app',
              partnerCenterRole: 'Manager',
              secrets: [secret('3a4f5e6d-7c8b-49aa-bc8d-7e6f5a4b3c22', EXPIRED_SECRET_APP.clientSecret, true)]
            },
            {
              clientId: DEVELOPER_APP.clientId,
              displayName: 'developer-role-app',
              partnerCenterRole: 'Developer',
              secrets: [secret('4b5a6f7e-8d9c-4abb-8d9e-8f7a6b5c4d33', DEVELOPER_APP.clientSecret)]
            }
          ]
        }
      ]
    },
    offers: [
      {
        productId: CONTOSO_APP.productId,
        resourceType: 'AzureApplication',
        offerId: CONTOSO_APP.offerId,
        name: CONTOSO_APP.name,
        listing: {
          title: 'Contoso App',
          summary: 'Deploy Contoso to your subscription',
          shortDescription: 'Contoso, as an Azure Application',
          description: '<p>Contoso App deploys the Contoso stack.</p>',
          publisherName: 'Contoso'
        },
        plans: [
          {
            planId: 'standard',
            name: 'Standard',
            variantId: CONTOSO_APP.plans.standard.variantId,
            subType: 'solution-template',
            packageVersion: '1.0.0',
            packageId: CONTOSO_APP.plans.standard.packageId
          },
          {
            planId: 'managed',
            name: 'Managed',
            variantId: CONTOSO_APP.plans.managed.variantId,
            subType: 'managed-application',
            packageVersion: '1.0.0',
            packageId: CONTOSO_APP.plans.managed.packageId,
            packageConfiguration: {
              publicAzureTenantID: MANAGED_AUTHORIZATION.tenantId,
              publicAzureAuthorizations: [
                {
                  principalID: MANAGED_AUTHORIZATION.principalId,
                  roleDefinitionID: MANAGED_AUTHORIZATION.roleDefinitionId
                }
              ]
            }
          }
        ],
        submissions: [{ id: CONTOSO_APP.liveSubmissionId, state: 'Published', substate: 'InStore' }]
      },
      {
        productId: CONTOSO_SAAS.productId,
        resourceType: 'SoftwareAsAService',
        offerId: CONTOSO_SAAS.offerId,
        name: 'Contoso SaaS'
      },
      {
        productId: CONTOSO_CONTAINER.productId,
        resourceType: 'AzureContainer',
        offerId: CONTOSO_CONTAINER.offerId,
        name: 'Contoso Container'
      },
      {
        productId: CONTOSO_VM.productId,
        resourceType: 'AzureThirdPartyVirtualMachine',
        offerId: CONTOSO_VM.offerId,
        name: 'Contoso VM',
        plans: [
          { planId: 'standard', name: 'Standard' },
          { planId: 'premium', name: 'Premium' }
        ]
      },
      {
        productId: FAILING_VALIDATION_APP.productId,
        resourceType: 'AzureApplication',
        offerId: FAILING_VALIDATION_APP.offerId,
        name: 'Contoso App (fails validation)',
        failNextSubmission: 'validation',
        plans: [
          {
            planId: 'standard',
            name: 'Standard',
            variantId: FAILING_VALIDATION_APP.variantId,
            packageVersion: '1.0.0',
            packageId: FAILING_VALIDATION_APP.packageId
          }
        ]
      },
      {
        productId: FAILING_CERTIFICATION_APP.productId,
        resourceType: 'AzureApplication',
        offerId: FAILING_CERTIFICATION_APP.offerId,
        name: 'Contoso App (fails certification)',
        failNextSubmission: 'certification',
        plans: [
          {
            planId: 'standard',
            name: 'Standard',
            variantId: FAILING_CERTIFICATION_APP.variantId,
            packageVersion: '1.0.0',
            packageId: FAILING_CERTIFICATION_APP.packageId
          }
        ]
      },
      {
        productId: CONTOSO_BC.productId,
        resourceType: 'AzureDynamics365BusinessCentral',
        offerId: CONTOSO_BC.offerId,
        name: CONTOSO_BC.name,
        businessCentral: {
          appVersion: CONTOSO_BC.appVersion,
          mainApp: { ...CONTOSO_BC.mainApp },
          libraryApps: [{ ...CONTOSO_BC.libraryApp }]
        },
        submissions: [{ id: CONTOSO_BC.liveSubmissionId, state: 'Published', substate: 'InStore' }]
      },
      {
        productId: CONTOSO_BC_CONNECT.productId,
        resourceType: 'AzureDynamics365BusinessCentral',
        offerId: CONTOSO_BC_CONNECT.offerId,
        name: CONTOSO_BC_CONNECT.name,
        businessCentral: { packageType: 'Connect' }
      },
      ...[FAILING_VALIDATION_BC, FAILING_CERTIFICATION_BC].map(offer => ({
        productId: offer.productId,
        resourceType: 'AzureDynamics365BusinessCentral',
        offerId: offer.offerId,
        name: offer.name,
        failNextSubmission: (offer === FAILING_VALIDATION_BC ? 'validation' : 'certification') as
          'validation' | 'certification',
        businessCentral: {
          appVersion: offer.appVersion,
          mainApp: { ...CONTOSO_BC.mainApp }
        }
      }))
    ],
    generate: { offers: DEFAULT_FILLER_OFFERS }
  }
}
