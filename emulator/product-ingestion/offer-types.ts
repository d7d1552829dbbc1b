// The emulator's own table of the offer types Product Ingestion serves (docs/partner-center-api.md
// §2.7, §2.8): v1 `resourceType` ↔ PI product `type`, and the listing/property `kind`. Kept apart from
// src/offer-types.ts on purpose: the emulator plays the service, and the service does not share the
// action's tables (a mistake in one must be able to show up as a disagreement with the other).

export interface PiOfferType {
  /** v1 `resourceType`. */
  v1: string
  /** Product Ingestion product `type`. */
  pi: string
  /** Listing and property `kind`. */
  kind: string
}

export const PI_OFFER_TYPES: readonly PiOfferType[] = [
  { v1: 'SoftwareAsAService', pi: 'softwareAsAService', kind: 'azureSaaS' },
  { v1: 'AzureThirdPartyVirtualMachine', pi: 'azureVirtualMachine', kind: 'azureVM' },
  { v1: 'CoreVirtualMachine', pi: 'coreVirtualMachine', kind: 'azureVM' },
  { v1: 'AzureContainer', pi: 'azureContainer', kind: 'azureContainer' },
  { v1: 'ContainerApp', pi: 'containerApp', kind: 'azureContainer' }
]

/** The PI type of a v1 offer, when Product Ingestion serves it (Azure Applications and the rest stay on v1). */
export function piTypeOfV1(resourceType: string): PiOfferType | undefined {
  const key = resourceType.toLowerCase()
  return PI_OFFER_TYPES.find(t => t.v1.toLowerCase() === key)
}

/** The v1 `resourceType` a product created through configure shows in the v1 list. */
export function v1TypeOfPi(piType: unknown): string {
  return PI_OFFER_TYPES.find(t => t.pi === piType)?.v1 ?? 'SoftwareAsAService'
}
