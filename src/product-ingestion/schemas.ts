/**
 * Microsoft's Product Ingestion JSON schemas (version 2022-03-01-preview2 as Microsoft published them, imported as JSON so
 * that they are bundled), the formats of docs/partner-center-api.md §2.2 and §2.4, and the lookup from a resource's
 * `$schema` URI to the local schema that checks it.
 */
import { SchemaSet } from '../files/json-schema.js'
import customerLeads from './schemas/customer-leads.json' with { type: 'json' }
import listingAsset from './schemas/listing-asset.json' with { type: 'json' }
import listingTrailer from './schemas/listing-trailer.json' with { type: 'json' }
import listing from './schemas/listing.json' with { type: 'json' }
import planListing from './schemas/plan-listing.json' with { type: 'json' }
import plan from './schemas/plan.json' with { type: 'json' }
import priceAndAvailabilityOffer from './schemas/price-and-availability-offer.json' with { type: 'json' }
import priceAndAvailabilityPlan from './schemas/price-and-availability-plan.json' with { type: 'json' }
import product from './schemas/product.json' with { type: 'json' }
import property from './schemas/property.json' with { type: 'json' }
import reseller from './schemas/reseller.json' with { type: 'json' }
import submission from './schemas/submission.json' with { type: 'json' }
import testDrive from './schemas/test-drive.json' with { type: 'json' }
import vmTechnicalConfiguration from './schemas/virtual-machine-plan-technical-configuration.json' with { type: 'json' }

/** Both schema hosts are accepted by the service (docs/partner-center-api.md §2.2; the schema files allow only the older). */
export const SCHEMA_URI =
  /^https:\/\/(schema\.mp\.microsoft\.com|product-ingestion\.azureedge\.net)\/schema\/([a-z][a-z0-9]+(?:-[a-z0-9]+)*)\/(\d{4}-\d\d-\d\d(?:-dev|-preview\d+)?)$/

/**
 * Durable IDs (docs/partner-center-api.md §2.4). The schemas' own pattern, `^[a-z](-?[a-z0-9]+)*\/[a-z0-9-]+(\/?[a-z0-9-])*$`,
 * backtracks exponentially on a long id with a typo in it; this one accepts exactly the same strings
 * in linear time.
 */
export const DURABLE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\/[a-z0-9-]+(?:\/[a-z0-9-]+)*$/
export const EXTERNAL_ID = /^[a-z0-9][a-z0-9-_]{2,49}$/
export const RESOURCE_NAME = /^[a-zA-Z0-9-_]{1,50}$/

const SHARED = 'https://product-ingestion.azureedge.net/schema'
/** The one version of Microsoft's schemas the action holds (docs/partner-center-api.md §2.7). */
export const LOCAL_VERSION = '2022-03-01-preview2'

const documents = [
  customerLeads,
  listingAsset,
  listingTrailer,
  listing,
  planListing,
  plan,
  priceAndAvailabilityOffer,
  priceAndAvailabilityPlan,
  product,
  property,
  reseller,
  submission,
  testDrive,
  vmTechnicalConfiguration
] as unknown as Array<Record<string, unknown>>

let schemaSet: SchemaSet | undefined

/** Built on first use: most runs never validate anything. */
export function schemas(): SchemaSet {
  schemaSet ??= new SchemaSet(documents, {
    [`${SHARED}/schema-uri/${LOCAL_VERSION}`]: { type: 'string', pattern: SCHEMA_URI.source },
    [`${SHARED}/durable-id/${LOCAL_VERSION}`]: { type: 'string', pattern: DURABLE_ID.source }
  })
  return schemaSet
}

export interface SchemaRef {
  host: string
  /** Resource type, e.g. `plan`, `price-and-availability-offer`. */
  type: string
  version: string
}

export function parseSchemaUri(uri: unknown): SchemaRef | undefined {
  if (typeof uri !== 'string') return undefined
  const match = SCHEMA_URI.exec(uri)
  return match ? { host: match[1], type: match[2], version: match[3] } : undefined
}

/**
 * The `$id` of the local schema for a resource's `$schema`, when we hold that exact type and version.
 * Other versions get structural checks only: fields come and go between versions, and rejecting a
 * configuration the service accepts would be worse than letting the service reject it.
 */
export function localSchemaId(ref: SchemaRef): string | undefined {
  if (ref.version !== LOCAL_VERSION) return undefined
  const id = `${SHARED}/${ref.type}/${ref.version}`
  return schemas().has(id) ? id : undefined
}
