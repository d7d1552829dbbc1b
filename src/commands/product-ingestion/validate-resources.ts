/**
 * Checks a configure request before it is sent, the way the service would: each resource against
 * its JSON schema when we hold that schema version, else the structural rules every resource obeys
 * (docs/partner-center-api.md §2.2 `$schema` URIs, §2.4 durable IDs and references), then the rules that span the
 * request (`resourceName` references must name a resource of the same request). The emulator runs
 * the same checks, so a request that passes here passes there.
 */
import { formatPath, type JsonPath } from '../../files/json-schema.js'
import {
  DURABLE_ID,
  EXTERNAL_ID,
  LOCAL_VERSION,
  RESOURCE_NAME,
  SCHEMA_URI,
  localSchemaId,
  parseSchemaUri,
  schemas
} from '../../product-ingestion/schemas.js'

export interface ResourceProblem {
  /** Index of the resource in the request. */
  resource: number
  /** Path inside the resource. */
  path: JsonPath
  message: string
}

/** Reference properties and the durable-id type each must point at (undefined: any type). */
const REFERENCES: Record<string, string | undefined> = {
  product: 'product',
  plan: 'plan',
  basePlan: 'plan',
  productGroup: undefined
}

/** Whether a held schema checked a resource: what a run may honestly claim about it. */
export interface SchemaCoverage {
  /** Resource type and version from `$schema`; empty when it names none. */
  type: string
  version: string
  /** True: validated against the local schema. False: only the checks every resource obeys ran. */
  checked: boolean
}

export function schemaCoverage(resource: unknown): SchemaCoverage {
  const ref = isObject(resource) ? parseSchemaUri(resource.$schema) : undefined
  if (!ref) return { type: '', version: '', checked: false }
  return { type: ref.type, version: ref.version, checked: localSchemaId(ref) !== undefined }
}

/** One line for the log and the summary: what was checked locally, and what is left to the service. */
export function describeCoverage(coverage: SchemaCoverage): string {
  if (coverage.checked) return `checked against the local schema (${coverage.version})`
  return (
    `no local schema held for ${coverage.type || 'this resource'} ${coverage.version}`.trim() +
    ` (the action holds ${LOCAL_VERSION} schemas); only the $schema, id and reference checks ran, the service will judge it`
  )
}

export function validateResources(resources: unknown[]): ResourceProblem[] {
  const problems: ResourceProblem[] = []
  const names = new Map<string, number>()
  resources.forEach((resource, index) => {
    const add = (path: JsonPath, message: string): void =>
      void problems.push({ resource: index, path, message })
    if (!isObject(resource)) {
      add([], 'must be an object (a resource with a `$schema`)')
      return
    }
    const name = resource.resourceName
    if (typeof name === 'string') {
      if (names.has(name))
        add(
          ['resourceName'],
          `'${name}' is also the resourceName of resources[${names.get(name)}]; names must be unique in a request`
        )
      else names.set(name, index)
    }
    validateResource(resource, add)
  })
  // References by resourceName resolve within the request only (docs/partner-center-api.md §2.4).
  resources.forEach((resource, index) => {
    if (!isObject(resource)) return
    for (const property of Object.keys(REFERENCES)) {
      const reference = resource[property]
      if (
        isObject(reference) &&
        typeof reference.resourceName === 'string' &&
        !names.has(reference.resourceName)
      ) {
        problems.push({
          resource: index,
          path: [property, 'resourceName'],
          message: `refers to '${reference.resourceName}', but no resource in this request has that resourceName`
        })
      }
    }
  })
  return problems
}

function validateResource(
  resource: Record<string, unknown>,
  add: (path: JsonPath, message: string) => void
): void {
  const uri = resource.$schema
  if (uri === undefined) {
    add(
      [],
      "must have the property '$schema' (e.g. https://schema.mp.microsoft.com/schema/plan/2022-03-01-preview2)"
    )
    return
  }
  const ref = parseSchemaUri(uri)
  if (!ref) {
    add(['$schema'], `${JSON.stringify(uri)} is not a Product Ingestion schema URI (${SCHEMA_URI.source})`)
    return
  }
  const schemaId = localSchemaId(ref)
  if (schemaId) {
    for (const problem of schemas().validate(schemaId, resource)) add(problem.path, problem.message)
  } else {
    structuralChecks(resource, add)
  }
  // What no schema can say: the id's type must be the resource's type.
  if (typeof resource.id === 'string' && DURABLE_ID.test(resource.id)) {
    const idType = resource.id.split('/')[0]
    if (idType !== ref.type)
      add(
        ['id'],
        `'${resource.id}' is the id of a ${idType}, but $schema says this resource is a ${ref.type}`
      )
  }
  if (
    ref.type === 'submission' &&
    isObject(resource.target) &&
    resource.target.targetType === 'live' &&
    resource.id === undefined
  ) {
    add(
      ['id'],
      'is required to go live: the id of the preview submission (submission/<product GUID>/<number>); a product cannot go straight to live'
    )
  }
}

function structuralChecks(
  resource: Record<string, unknown>,
  add: (path: JsonPath, message: string) => void
): void {
  if (resource.id !== undefined && (typeof resource.id !== 'string' || !DURABLE_ID.test(resource.id))) {
    add(['id'], `${JSON.stringify(resource.id)} is not a durable ID such as plan/<product GUID>/<plan GUID>`)
  }
  if (
    resource.resourceName !== undefined &&
    (typeof resource.resourceName !== 'string' || !RESOURCE_NAME.test(resource.resourceName))
  ) {
    add(
      ['resourceName'],
      `${JSON.stringify(resource.resourceName)} is not a resourceName: 1 to 50 letters, digits, '-' or '_'`
    )
  }
  for (const [property, type] of Object.entries(REFERENCES)) {
    if (property in resource) checkReference(resource[property], [property], type, add)
  }
  if (isObject(resource.identity)) checkExternalId(resource.identity, ['identity'], add)
}

function checkReference(
  value: unknown,
  path: JsonPath,
  type: string | undefined,
  add: (path: JsonPath, message: string) => void
): void {
  if (typeof value === 'string') {
    if (!DURABLE_ID.test(value))
      add(path, `'${value}' is not a durable ID${type ? ` such as ${type}/<GUID>` : ''}`)
    else if (type && value.split('/')[0] !== type) add(path, `'${value}' must be the durable ID of a ${type}`)
    return
  }
  if (!isObject(value)) {
    add(path, 'must be a durable ID string, {"externalId": "..."} or {"resourceName": "..."}')
    return
  }
  if ('resourceName' in value) {
    if (typeof value.resourceName !== 'string' || !RESOURCE_NAME.test(value.resourceName)) {
      add(
        [...path, 'resourceName'],
        `${JSON.stringify(value.resourceName)} is not a resourceName: 1 to 50 letters, digits, '-' or '_'`
      )
    }
    return
  }
  if (!checkExternalId(value, path, add))
    add(path, 'must be a durable ID string, {"externalId": "..."} or {"resourceName": "..."}')
}

/** True when the object names an external id (correctly or not). */
function checkExternalId(
  value: Record<string, unknown>,
  path: JsonPath,
  add: (path: JsonPath, message: string) => void
): boolean {
  if ('externalID' in value && !('externalId' in value)) {
    add(
      [...path, 'externalID'],
      "must be spelled 'externalId' (lowercase d): the service ignores 'externalID' on writes"
    )
    return true
  }
  if (!('externalId' in value)) return false
  if (typeof value.externalId !== 'string' || !EXTERNAL_ID.test(value.externalId)) {
    add(
      [...path, 'externalId'],
      `${JSON.stringify(value.externalId)} is not an external ID: 3 to 50 lowercase letters, digits, '-' or '_', starting with a letter or digit`
    )
  }
  return true
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** One line per problem: `resources[3].identity.externalId: 'X' is not an external ID…`. */
export function describeProblem(problem: ResourceProblem, prefix: string | number = 'resources'): string {
  return `${formatPath([String(prefix), problem.resource, ...problem.path])}: ${problem.message}`
}
