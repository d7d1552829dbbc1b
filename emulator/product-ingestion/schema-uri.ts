// `$schema` URIs and durable IDs as the service reads them (docs/partner-center-api.md §2.2, §2.4).
// Both schema hosts are accepted.

export const SCHEMA_URI =
  /^https:\/\/(schema\.mp\.microsoft\.com|product-ingestion\.azureedge\.net)\/schema\/([a-z][a-z0-9]+(?:-[a-z0-9]+)*)\/(\d{4}-\d\d-\d\d(?:-dev|-preview\d+)?)$/

/** Same strings as the schemas' `^[a-z](-?[a-z0-9]+)*\/[a-z0-9-]+(\/?[a-z0-9-])*$`, without its exponential backtracking. */
export const DURABLE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\/[a-z0-9-]+(?:\/[a-z0-9-]+)*$/

export interface SchemaRef {
  type: string
  version: string
}

export function parseSchemaUri(uri: unknown): SchemaRef | undefined {
  if (typeof uri !== 'string') return undefined
  const match = SCHEMA_URI.exec(uri)
  return match ? { type: match[2], version: match[3] } : undefined
}
