/**
 * Offer types as the two APIs name them. The v1 `resourceType` is the canonical name (it is what
 * `offers[].type` reports); Product Ingestion's `type` and friendly aliases map onto it.
 */

export interface OfferTypeInfo {
  /** v1 resourceType, the canonical name. */
  type: string
  /** Product Ingestion product `type`. */
  piType?: string
  /** Which API publishes this type (docs/partner-center-api.md §2.8: Azure Applications stay on v1). */
  api: 'ingestion' | 'product-ingestion'
  label: string
  aliases: string[]
}

export const OFFER_TYPES: OfferTypeInfo[] = [
  {
    type: 'AzureApplication',
    piType: 'azureApplication',
    api: 'ingestion',
    label: 'Azure Application',
    aliases: ['azure-application', 'application', 'managed-application', 'solution-template']
  },
  {
    type: 'SoftwareAsAService',
    piType: 'softwareAsAService',
    api: 'product-ingestion',
    label: 'SaaS',
    aliases: ['saas']
  },
  {
    type: 'AzureThirdPartyVirtualMachine',
    piType: 'azureVirtualMachine',
    api: 'product-ingestion',
    label: 'Virtual machine',
    aliases: ['vm', 'virtual-machine', 'azure-virtual-machine']
  },
  {
    type: 'AzureContainer',
    piType: 'azureContainer',
    api: 'product-ingestion',
    label: 'Azure Container',
    aliases: ['container', 'azure-container']
  },
  {
    type: 'CoreVirtualMachine',
    piType: 'coreVirtualMachine',
    api: 'product-ingestion',
    label: 'Core virtual machine',
    aliases: ['core-vm', 'core-virtual-machine']
  },
  {
    type: 'ContainerApp',
    piType: 'containerApp',
    api: 'product-ingestion',
    label: 'Container app',
    aliases: ['container-app']
  },
  {
    type: 'AzureConsultingService',
    piType: 'consultingService',
    api: 'ingestion',
    label: 'Consulting service',
    aliases: ['consulting-service']
  },
  {
    type: 'AzureManagedService',
    piType: 'managedService',
    api: 'ingestion',
    label: 'Managed service',
    aliases: ['managed-service']
  },
  {
    type: 'AzureIoTEdgeModule',
    piType: 'iotEdgeModule',
    api: 'ingestion',
    label: 'IoT Edge module',
    aliases: ['iot-edge-module']
  },
  {
    type: 'AzurePowerBIApp',
    piType: 'powerBiApp',
    api: 'ingestion',
    label: 'Power BI app',
    aliases: ['power-bi-app']
  },
  {
    type: 'AzurePowerBIVisual',
    piType: 'powerBiVisual',
    api: 'ingestion',
    label: 'Power BI visual',
    aliases: ['power-bi-visual']
  },
  {
    type: 'AzureDynamics365BusinessCentral',
    piType: 'dynamics365BusinessCentral',
    api: 'ingestion',
    label: 'Dynamics 365 Business Central',
    aliases: ['business-central']
  },
  {
    type: 'AzureDynamics365ForCustomerEngagement',
    piType: 'dynamics365ForCustomerEngagement',
    api: 'ingestion',
    label: 'Dynamics 365 apps on Dataverse and Power Apps',
    aliases: ['dynamics-365-customer-engagement']
  },
  {
    type: 'AzureDynamics365ForOperations',
    piType: 'dynamics365ForOperations',
    api: 'ingestion',
    label: 'Dynamics 365 Operations Apps',
    aliases: ['dynamics-365-operations']
  },
  { type: 'AzureDeveloperService', api: 'ingestion', label: 'Developer service', aliases: [] },
  { type: 'AzureVisualStudioExtension', api: 'ingestion', label: 'Visual Studio extension', aliases: [] }
]

const byName = new Map<string, OfferTypeInfo>()
for (const info of OFFER_TYPES) {
  for (const name of [info.type, info.piType, ...info.aliases]) if (name) byName.set(name.toLowerCase(), info)
}

/** Finds a type by any of its names, case-insensitively. */
export function findOfferType(name: string): OfferTypeInfo | undefined {
  return byName.get(name.trim().toLowerCase())
}

/** The canonical name for a type reported by either API; unknown types pass through unchanged. */
export function canonicalOfferType(name: string): string {
  return findOfferType(name)?.type ?? name
}
