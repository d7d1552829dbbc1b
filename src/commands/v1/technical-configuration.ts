import { readFile } from 'node:fs/promises'
import { dataFormatOf, parseData } from '../../files/data-file.js'
import { InputError } from '../../errors.js'
import type { PackageConfiguration } from '../../ingestion/types.js'

/**
 * Managed-application settings from the `technical-configuration` file, in friendly names or in the
 * API's own field names (docs/partner-center-api.md §1.10), merged into each managed-application plan's package
 * configuration. Solution-template plans have none of these settings.
 */

const INPUT = 'technical-configuration'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface Authorization {
  principalID: string
  roleDefinitionID: string
}

/** Friendly name → API field, and how to check the value. */
const FIELDS: Record<string, { api: string; check: (value: unknown, path: string) => unknown }> = {
  tenantId: { api: 'publicAzureTenantID', check: guid },
  authorizations: { api: 'publicAzureAuthorizations', check: authorizations },
  jitAccess: { api: 'allowJitAccess', check: boolean },
  canEnableCustomerActions: { api: 'canEnableCustomerActions', check: boolean },
  customerActions: { api: 'allowedCustomerActions', check: stringList },
  dataActions: { api: 'allowedDataActions', check: stringList },
  deploymentMode: { api: 'deploymentMode', check: oneOf(['Incremental', 'Complete']) },
  publisherManagementMode: { api: 'publisherManagementMode', check: oneOf(['Managed', 'Unmanaged']) },
  customerAccessEnableState: { api: 'customerAccessEnableState', check: oneOf(['Enabled', 'Disabled']) },
  policies: { api: 'policies', check: policies },
  azureGovernmentTenantId: { api: 'azureGovernmentTenantID', check: guid },
  azureGovernmentAuthorizations: { api: 'azureGovernmentAuthorizations', check: authorizations }
}
const BY_API_NAME = new Map(Object.entries(FIELDS).map(([friendly, f]) => [f.api.toLowerCase(), friendly]))

export type ManagedAppSettings = Record<string, unknown>

export async function loadTechnicalConfiguration(path: string): Promise<ManagedAppSettings> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new InputError(
      INPUT,
      `cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
    )
  }
  const format = dataFormatOf(path) ?? 'json'
  const parsed = parseData(text, format)
  if (!parsed.ok) {
    const problem = parsed.problems[0]
    const where = problem.line ? `:${problem.line}${problem.column ? `:${problem.column}` : ''}` : ''
    throw new InputError(INPUT, `'${path}${where}' ${problem.message}`)
  }
  const data = parsed.data.value
  return parseSettings(data, path)
}

export function parseSettings(data: unknown, path: string): ManagedAppSettings {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(INPUT, `'${path}' must hold an object of managed-application settings.`)
  }
  const settings: ManagedAppSettings = {}
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const friendly = FIELDS[key] ? key : BY_API_NAME.get(key.toLowerCase())
    if (!friendly) {
      throw new InputError(
        INPUT,
        `'${path}': unknown setting '${key}'. Known: ${Object.keys(FIELDS).join(', ')}.`
      )
    }
    const field = FIELDS[friendly]
    settings[field.api] = field.check(value, `${path}: ${key}`)
  }
  const hasAuthorizations =
    Array.isArray(settings.publicAzureAuthorizations) && settings.publicAzureAuthorizations.length > 0
  if (hasAuthorizations && !settings.publicAzureTenantID) {
    throw new InputError(INPUT, `'${path}': 'authorizations' need 'tenantId' (the tenant of the principals).`)
  }
  return settings
}

/** The plan's configuration with the new package, version and settings; everything else kept. */
export function buildPackageConfiguration(
  current: PackageConfiguration,
  packageId: string,
  version: string,
  settings: ManagedAppSettings | undefined
): PackageConfiguration {
  const next: PackageConfiguration = {
    ...current,
    version,
    // The new package replaces the old one: a plan carries one Azure Application package.
    packageReferences: [
      ...(current.packageReferences ?? []).filter(ref => ref.type !== 'AzureApplicationPackage'),
      { type: 'AzureApplicationPackage', value: packageId }
    ]
  }
  if (settings && current.resourceType === 'AzureManagedApplicationPackageConfiguration')
    Object.assign(next, settings)
  return next
}

function guid(value: unknown, path: string): string {
  if (typeof value !== 'string' || !GUID.test(value))
    throw new InputError(INPUT, `${path} must be a GUID, not ${JSON.stringify(value)}.`)
  return value
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(INPUT, `${path} must be true or false.`)
  return value
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string' || !v))
    throw new InputError(INPUT, `${path} must be a list of strings.`)
  return value as string[]
}

function oneOf(choices: string[]) {
  return (value: unknown, path: string): string => {
    const match = choices.find(c => typeof value === 'string' && c.toLowerCase() === value.toLowerCase())
    if (!match)
      throw new InputError(
        INPUT,
        `${path} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}.`
      )
    return match
  }
}

function authorizations(value: unknown, path: string): Authorization[] {
  if (!Array.isArray(value))
    throw new InputError(INPUT, `${path} must be a list of {principalId, roleDefinitionId}.`)
  return value.map((item, i) => {
    const entry = (item ?? {}) as Record<string, unknown>
    const principal = entry.principalId ?? entry.principalID
    const role = entry.roleDefinitionId ?? entry.roleDefinitionID
    const at = `${path}[${i}]`
    // Partner Center also accepts built-in role names such as "Owner" or "Contributor".
    if (typeof role !== 'string' || !(GUID.test(role) || /^[A-Za-z][A-Za-z ]{1,63}$/.test(role))) {
      throw new InputError(
        INPUT,
        `${at}.roleDefinitionId must be a role definition GUID or a built-in role name.`
      )
    }
    return { principalID: guid(principal, `${at}.principalId`), roleDefinitionID: role }
  })
}

function policies(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(INPUT, `${path} must be a list of policies.`)
  return value.map((item, i) => {
    const p = (item ?? {}) as Record<string, unknown>
    const name = p.name ?? p.policyName
    const id = p.definitionId ?? p.policyDefinitionID
    if (typeof name !== 'string' || !name) throw new InputError(INPUT, `${path}[${i}].name is required.`)
    if (typeof id !== 'string' || !id.startsWith('/providers/')) {
      throw new InputError(
        INPUT,
        `${path}[${i}].definitionId must be a policy definition ID (/providers/Microsoft.Authorization/policyDefinitions/…).`
      )
    }
    return {
      policyName: name,
      policyDefinitionID: id,
      policyParameters: p.parameters ?? p.policyParameters ?? null,
      policySku: p.sku ?? p.policySku ?? 'Standard'
    }
  })
}
