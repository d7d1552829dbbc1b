/**
 * `$version` per schema family (docs/partner-center-api.md §2.2, §7.6). `$version` is the newest schema
 * version the service may use; sending resources at a newer `$schema` than it, or private offers at
 * `2022-03-01-preview3` ("2022-03-01-preview3 is a deprecated schema"), fails. So the version of a
 * request is chosen from the `$schema` versions of the resources it carries, never one constant.
 */
import { parseSchemaUri } from './schemas.js'
import { API_VERSION, schemaUri } from './types.js'

/** The private-offer family: its own versions (2022-07-01, 2023-07-15) and configure envelope. */
const PRIVATE_OFFER_FAMILY = /^(private-offer|price-and-availability-private-offer)/
export const PRIVATE_OFFER_FLOOR = '2022-07-01'

const VERSION = /^(\d{4}-\d\d-\d\d)(?:-(dev|preview)(\d*))?$/

/** Date first; on the same date, previews (by number) and dev builds come before the release. */
export function compareSchemaVersions(a: string, b: string): number {
  const [x, y] = [VERSION.exec(a), VERSION.exec(b)]
  if (!x || !y) return a.localeCompare(b)
  if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1
  const rank = (m: RegExpExecArray): number => (m[2] ? Number(m[3] || 0) : Number.MAX_SAFE_INTEGER)
  return rank(x) - rank(y)
}

export const isPrivateOfferType = (type: string): boolean => PRIVATE_OFFER_FAMILY.test(type)

export interface RequestVersions {
  /** `$version` for the configure call and the job's status, detail and cancel calls. */
  apiVersion: string
  /** `$schema` of the configure envelope. */
  configureSchema: string
}

export function requestVersions(resources: readonly unknown[]): RequestVersions {
  const refs = resources
    .map(r => (r && typeof r === 'object' ? parseSchemaUri((r as { $schema?: unknown }).$schema) : undefined))
    .filter(ref => ref !== undefined)
  const privateOffers = refs.some(ref => isPrivateOfferType(ref.type))
  const floor = privateOffers ? PRIVATE_OFFER_FLOOR : API_VERSION
  const apiVersion = refs
    .map(ref => ref.version)
    .reduce((a, b) => (compareSchemaVersions(a, b) >= 0 ? a : b), floor)
  return {
    apiVersion,
    configureSchema: schemaUri('configure', privateOffers ? PRIVATE_OFFER_FLOOR : '2022-03-01-preview2')
  }
}
