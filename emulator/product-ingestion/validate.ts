// How the emulated service checks a configure request before it accepts the job: each resource
// against Microsoft's JSON schema of its type and version when the emulator holds it (the
// 2022-03-01-preview2 files under ./schemas, as Microsoft published them at
// product-ingestion.azureedge.net/schema and Red Hat's cloudpub keeps them), with ajv, an implementation independent of the
// action's own validator; resources at versions it does not hold get the checks every resource obeys
// (`$schema` URI, durable `id`). Imports nothing from src/: where the two disagree, a test shows it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
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
import { DURABLE_ID, parseSchemaUri, SCHEMA_URI } from './schema-uri.js'

type Json = Record<string, unknown>

const HOST = 'https://product-ingestion.azureedge.net/schema'
export const HELD_VERSION = '2022-03-01-preview2'

const DOCUMENTS = [
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
] as unknown as Json[]

/** Simple, strict-enough checks for the formats the schemas use. */
const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  date: /^\d{4}-\d\d-\d\d$/,
  'date-time': value => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)),
  duration: /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: value => {
    try {
      return Boolean(new URL(value).protocol)
    } catch {
      return false
    }
  },
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
}

let registry: { ajv: Ajv2020; ids: Map<string, string> } | undefined
const compiled = new Map<string, ValidateFunction>()

/**
 * Every file embeds the shared sub-schemas (`resource`, `durable-id`, …) under `$defs` with their own
 * `$id`; ajv refuses a second schema with the same `$id`, so each is registered once and removed
 * from the files. `schema-uri` and `durable-id` are replaced: the files' versions allow only the
 * older schema host, and their durable-id pattern backtracks exponentially.
 */
function schemaRegistry(): { ajv: Ajv2020; ids: Map<string, string> } {
  if (registry) return registry
  // Microsoft's files are taken as they are (no meta-schema pass); shared sub-schemas are compiled
  // once and called, not inlined: both keep the one-time compile short.
  const ajv = new Ajv2020({ strict: false, allErrors: true, inlineRefs: false, validateSchema: false })
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format)
  const shared = new Map<string, Json>()
  const roots = DOCUMENTS.map(document => {
    const copy = structuredClone(document)
    const defs = (copy.$defs ?? {}) as Record<string, Json>
    for (const [key, def] of Object.entries(defs)) {
      if (typeof def.$id !== 'string') continue
      if (!shared.has(def.$id)) shared.set(def.$id, def)
      delete defs[key]
    }
    return copy
  })
  shared.set(`${HOST}/schema-uri/${HELD_VERSION}`, {
    $id: `${HOST}/schema-uri/${HELD_VERSION}`,
    type: 'string',
    pattern: SCHEMA_URI.source
  })
  shared.set(`${HOST}/durable-id/${HELD_VERSION}`, {
    $id: `${HOST}/durable-id/${HELD_VERSION}`,
    type: 'string',
    pattern: DURABLE_ID.source
  })
  // A few references point at schemas none of the files embeds (e.g. `masked-secret`): not held, so
  // not checked, rather than failing every request that touches them.
  for (const id of referencedIds(roots, [...shared.values()]))
    if (!shared.has(id)) shared.set(id, { $id: id, $comment: 'not held by the emulator: unchecked' })
  for (const schema of shared.values()) ajv.addSchema(schema)
  for (const root of roots) ajv.addSchema(root)
  const ids = new Map<string, string>()
  for (const root of roots) {
    const type = parseSchemaUri(root.$id)?.type
    if (type) ids.set(type, String(root.$id))
  }
  registry = { ajv, ids }
  return registry
}

/**
 * Compiles every held schema. The emulator calls it before it listens (routes.ts): compiling takes
 * a second or two, and inside a request it would look like a stalled service to a client with short
 * socket timeouts (rehearsals scale them down). Compiled once per process.
 */
export function compileSchemas(): void {
  for (const type of schemaRegistry().ids.keys()) validatorOf(type)
}

/** The validator of a held type, compiled on first use. */
function validatorOf(type: string): ValidateFunction | undefined {
  const found = compiled.get(type)
  if (found) return found
  const { ajv, ids } = schemaRegistry()
  const id = ids.get(type)
  const validate = id ? ajv.getSchema(id) : undefined
  if (validate) compiled.set(type, validate)
  return validate
}

/** Absolute `$ref` targets (without fragments) anywhere in the schemas. */
function referencedIds(...groups: Json[][]): Set<string> {
  const ids = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && /^https?:/.test(value)) ids.add(value.split('#')[0])
      else walk(value)
    }
  }
  groups.flat().forEach(walk)
  return ids
}

export interface RequestProblem {
  /** Index of the resource in the request. */
  index: number
  /** `resources[2].identity.externalId: must match pattern …` */
  message: string
}

/** The problems the service finds in a configure request's resources; empty when it accepts them. */
export function checkRequest(resources: unknown[]): RequestProblem[] {
  const problems: RequestProblem[] = []
  resources.forEach((resource, index) => {
    const add = (path: string, message: string): void =>
      void problems.push({ index, message: `resources[${index}]${path}: ${message}` })
    if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
      add('', 'must be an object')
      return
    }
    const r = resource as Json
    const ref = parseSchemaUri(r.$schema)
    if (!ref) {
      add('.$schema', `${JSON.stringify(r.$schema)} is not a Product Ingestion schema URI`)
      return
    }
    if (r.id !== undefined && (typeof r.id !== 'string' || !DURABLE_ID.test(r.id)))
      add('.id', `${JSON.stringify(r.id)} is not a durable ID`)
    const validate = ref.version === HELD_VERSION ? validatorOf(ref.type) : undefined
    if (!validate || validate(r)) return
    for (const error of meaningful(validate.errors ?? [])) add(pathOf(error.instancePath), describe(error))
  })
  return problems
}

/** `oneOf`/`if` wrappers repeat what their branches said; keep the errors that name a field. */
function meaningful(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter(e => !['oneOf', 'anyOf', 'allOf', 'if', 'not'].includes(e.keyword))
  const chosen = specific.length ? specific : errors
  const seen = new Set<string>()
  return chosen.filter(e => {
    const key = `${e.instancePath} ${describe(e)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties')
    return `has the unknown property '${String((error.params as { additionalProperty: string }).additionalProperty)}'`
  if (error.keyword === 'required')
    return `must have the property '${String((error.params as { missingProperty: string }).missingProperty)}'`
  return error.message ?? error.keyword
}

/** `/identity/externalId` → `.identity.externalId`; `/items/0` → `.items[0]`. */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(part => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
}
