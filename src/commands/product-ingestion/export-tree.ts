/**
 * An offer's resource tree as a configure body that can be edited and fed back to `configure`:
 * stable order (resources by type, then id; keys `$schema`, `id`, then alphabetical) so that two
 * exports of the same offer are byte-identical and diffs show only real changes.
 *
 * Left out, because the service would reject them or because sending them would do more than the
 * user asked:
 * - `validations` on any resource: read-only findings of the service;
 * - submission resources: a submission in a configure request publishes the offer, so an exported
 *   file fed back unchanged would start a publish (and their `status`, `result`, `created` are
 *   read-only anyway).
 */
import { stringify as toYaml } from 'yaml'
import { InputError } from '../../errors.js'
import { parseSchemaUri } from '../../product-ingestion/schemas.js'
import { schemaUri, type PiResource } from '../../product-ingestion/types.js'

export const READ_ONLY_FIELDS = ['validations'] as const
export const SKIPPED_TYPES = ['submission'] as const

export type ExportFormat = 'json' | 'yaml'

export function exportFormat(outputPath: string | undefined): ExportFormat {
  if (!outputPath)
    throw new InputError(
      'output-path',
      'is required for `command: export`: a .json, .yaml or .yml file to write the offer to.'
    )
  if (/\.json$/i.test(outputPath)) return 'json'
  if (/\.ya?ml$/i.test(outputPath)) return 'yaml'
  throw new InputError(
    'output-path',
    `'${outputPath}' must end in .json, .yaml or .yml (the format is chosen by the extension).`
  )
}

export function resourceType(resource: PiResource): string {
  return parseSchemaUri(resource.$schema)?.type ?? String(resource.id ?? '').split('/')[0]
}

export function toConfigureBody(resources: PiResource[]): { $schema: string; resources: PiResource[] } {
  const kept = resources
    .filter(r => !(SKIPPED_TYPES as readonly string[]).includes(resourceType(r)))
    .map(r => {
      const copy: Record<string, unknown> = { ...r }
      for (const field of READ_ONLY_FIELDS) delete copy[field]
      return sortKeys(copy) as PiResource
    })
    .sort(
      (a, b) => compare(resourceType(a), resourceType(b)) || compare(String(a.id ?? ''), String(b.id ?? ''))
    )
  return { $schema: schemaUri('configure'), resources: kept }
}

/** Code-point order, not locale order: the same on every runner. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `$schema` first, then `id`, then the rest alphabetically, at every level; arrays keep their order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!value || typeof value !== 'object') return value
  const rank = (key: string): number => (key === '$schema' ? 0 : key === 'id' ? 1 : 2)
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || compare(a, b))
  const out: Record<string, unknown> = {}
  for (const key of keys) out[key] = sortKeys((value as Record<string, unknown>)[key])
  return out
}

export function serialize(body: unknown, format: ExportFormat): string {
  return format === 'json' ? `${JSON.stringify(body, null, 2)}\n` : toYaml(body, { lineWidth: 0 })
}
