// Validation of PUT packageConfigurations (technical configuration of a plan, docs/partner-center-api.md §1.10).
// Stricter readings (documented): every packageReferences value must be a package of this product
// in state Processed; the version must be X.Y.Z and higher than the live one when the packages change;
// managed applications need a tenant id and at least one authorization with valid GUIDs.
import { isGuid } from '../ids.js'
import type { EmulatorState, Entity, Product } from '../state.js'
import { IngestionError, type ErrorData } from './errors.js'
import { packageConfigurationType } from './drafts.js'
import { prop } from './common.js'
import { settlePackage } from './packages.js'
import { isBusinessCentral, validateBusinessCentralPackageConfiguration } from './business-central.js'

const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
/** roleDefinitionID also accepts built-in role names (public sample scripts). */
const BUILTIN_ROLES = ['owner', 'contributor', 'reader', 'user access administrator']

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function add(errors: ErrorData, field: string, msg: string): void {
  ;(errors[field] ??= []).push(msg)
}

function checkAuthorizations(errors: ErrorData, field: string, value: unknown): void {
  if (value === undefined) return
  if (!Array.isArray(value)) {
    add(errors, field, `The field ${field} must be an array.`)
    return
  }
  value.forEach((a: Record<string, unknown>, i) => {
    const principal = prop(a ?? {}, 'principalID')
    const role = prop(a ?? {}, 'roleDefinitionID')
    if (!isGuid(principal)) add(errors, `${field}[${i}].PrincipalID`, 'Enter a valid GUID.')
    if (!(isGuid(role) || (typeof role === 'string' && BUILTIN_ROLES.includes(role.toLowerCase())))) {
      add(errors, `${field}[${i}].RoleDefinitionID`, 'Enter a valid GUID.')
    }
  })
}

export function validatePackageConfiguration(
  state: EmulatorState,
  p: Product,
  e: Entity,
  body: Record<string, unknown>
): Record<string, unknown> {
  if (isBusinessCentral(p) && !e.variantId)
    return validateBusinessCentralPackageConfiguration(state, p, body, pkg => settlePackage(state, pkg))
  const errors: ErrorData = {}
  const variant = e.variantId ? p.variants.get(e.variantId.toLowerCase()) : undefined
  const expectedType = packageConfigurationType(variant)
  if (String(body.resourceType) !== expectedType)
    add(errors, 'ResourceType', `Expected ${expectedType} for this plan.`)

  if (!variant) {
    // offer-level AzureApplicationPackageConfiguration
    for (const f of ['azureActiveDirectoryTenantID', 'azureActiveDirectoryApplicationID']) {
      const v = body[f]
      if (v !== undefined && v !== '' && !isGuid(v)) add(errors, f, 'Enter a valid GUID.')
    }
    if (Object.keys(errors).length) throw new IngestionError(400, errors)
    return body
  }

  const version = body.version
  if (typeof version !== 'string' || !SEMVER_RE.test(version)) {
    add(
      errors,
      'Version',
      `The version '${String(version ?? '')}' is invalid: use the format X.Y.Z (e.g. 1.0.0).`
    )
  }

  const refs = body.packageReferences
  const normalized: Array<{ type: string; value: string }> = []
  if (!Array.isArray(refs) || refs.length === 0) {
    add(
      errors,
      'PackageReferences',
      'At least one package reference of type AzureApplicationPackage is required.'
    )
  } else {
    refs.forEach((r: Record<string, unknown>, i) => {
      const type = String(prop(r ?? {}, 'type') ?? '')
      const value = String(prop(r ?? {}, 'value') ?? '')
      if (type.toLowerCase() !== 'azureapplicationpackage') {
        add(
          errors,
          `PackageReferences[${i}].Type`,
          `The package reference type '${type}' is invalid; expected AzureApplicationPackage.`
        )
        return
      }
      const pkg = p.packages.get(value.toLowerCase())
      if (!pkg) {
        add(errors, `PackageReferences[${i}].Value`, `The package '${value}' does not exist in this product.`)
        return
      }
      settlePackage(state, pkg)
      if (pkg.state !== 'Processed') {
        add(
          errors,
          `PackageReferences[${i}].Value`,
          `The package '${value}' is in state ${pkg.state}; only Processed packages can be referenced.`
        )
        return
      }
      normalized.push({ type: 'AzureApplicationPackage', value: pkg.id })
    })
  }

  if (typeof version === 'string' && SEMVER_RE.test(version) && variant.live) {
    const cmp = compareVersions(version, variant.live.version)
    const samePackages =
      normalized.length === variant.live.packageIds.length &&
      normalized.every(r => variant.live!.packageIds.includes(r.value))
    if (cmp < 0 || (cmp === 0 && !samePackages)) {
      add(
        errors,
        'Version',
        `The version ${version} must be higher than the published version ${variant.live.version}.`
      )
    }
  }

  if (variant.subType === 'managed-application') {
    const mode = String(body.publisherManagementMode ?? 'Managed')
    const tenant = body.publicAzureTenantID
    if (tenant !== undefined && tenant !== '' && !isGuid(tenant))
      add(errors, 'PublicAzureTenantID', 'Enter a valid GUID.')
    if (mode !== 'NoAccess') {
      if (!isGuid(tenant)) add(errors, 'PublicAzureTenantID', 'Enter a valid GUID.')
      const auths = body.publicAzureAuthorizations
      if (!Array.isArray(auths) || auths.length === 0) {
        add(
          errors,
          'PublicAzureAuthorizations',
          'At least one authorization (principalID, roleDefinitionID) is required.'
        )
      }
    }
    checkAuthorizations(errors, 'PublicAzureAuthorizations', body.publicAzureAuthorizations)
    const gov = body.azureGovernmentTenantID
    if (gov !== undefined && gov !== '' && !isGuid(gov))
      add(errors, 'AzureGovernmentTenantID', 'Enter a valid GUID.')
    checkAuthorizations(errors, 'AzureGovernmentAuthorizations', body.azureGovernmentAuthorizations)
  }

  if (Object.keys(errors).length) throw new IngestionError(400, errors)
  return { ...body, packageReferences: normalized }
}
