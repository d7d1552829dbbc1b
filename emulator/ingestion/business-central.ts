// Dynamics 365 Business Central offers (docs/partner-center-api.md §8): packages of the two
// Business Central types (.app files, libraries also as a .zip of .app files), the offer-level package
// configuration that references them, the Property module's appVersion, and the AppSource workflow
// (Automated validation → Preview Creation → Publisher Signoff → Certification → Publish: certification
// runs after the publisher goes live). The other v1 modules call in here through small hooks.
//
// Chosen (not documented; stricter where there was a choice, listed in emulator/README.md): a package
// configuration references exactly one main app package and at most one library package (several
// library apps travel as one .zip, as BcContainerHelper sends them); `appVersion` is four-part and
// never lower than the live one; automated validation fails when the submitted appVersion differs from
// the main app's manifest version; a Connect offer (setup packageType Connect) takes no package.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stableEtag, stableGuid } from '../ids.js'
import type {
  BusinessCentralAppFacts,
  EmulatorState,
  Entity,
  PackageRecord,
  Product,
  SubmissionRecord,
  ValidationItem
} from '../state.js'
import type { SeedOffer } from '../types.js'
import { item, readCentralDirectory, readEntry } from '../zip/inspect.js'
import { IngestionError, type ErrorData } from './errors.js'
import { prop } from './common.js'

export const BUSINESS_CENTRAL = 'AzureDynamics365BusinessCentral'
export const MAIN_APP_PACKAGE = 'Dynamics365BusinessCentralAddOnExtensionPackage'
export const LIBRARY_APP_PACKAGE = 'Dynamics365BusinessCentralAddOnLibraryExtensionPackage'
/** Chosen name of the offer-level package configuration's resourceType. */
export const BUSINESS_CENTRAL_PACKAGE_CONFIGURATION = 'Dynamics365BusinessCentralPackageConfiguration'

const NAVX_MAGIC = 0x5856414e
const FOUR_PART = /^\d{1,10}\.\d{1,10}\.\d{1,10}\.\d{1,10}$/

export function isBusinessCentral(p: Product): boolean {
  return p.resourceType === BUSINESS_CENTRAL
}

export function isConnectOffer(p: Product): boolean {
  return isBusinessCentral(p) && String(p.setup.packageType ?? '').toLowerCase() === 'connect'
}

// Packages ------------------------------------------------------------------------------------------

/** Checks a package create on a Business Central product; returns the canonical resourceType. */
export function checkBusinessCentralPackage(p: Product, resourceType: string, fileName: string): string {
  if (isConnectOffer(p)) {
    throw new IngestionError(400, {
      ResourceType: [`The product '${p.name}' is a Connect app: it has no package to upload.`]
    })
  }
  const canonical = [MAIN_APP_PACKAGE, LIBRARY_APP_PACKAGE].find(
    t => t.toLowerCase() === resourceType.toLowerCase()
  )
  if (!canonical) {
    throw new IngestionError(400, {
      ResourceType: [
        `The field ResourceType is invalid (value '${resourceType}'). Expected ${MAIN_APP_PACKAGE} or ${LIBRARY_APP_PACKAGE}.`
      ]
    })
  }
  const lower = fileName.toLowerCase()
  const ok = lower.endsWith('.app') || (canonical === LIBRARY_APP_PACKAGE && lower.endsWith('.zip'))
  if (!ok || !/^[^\\/:*?"<>|]{1,255}$/.test(fileName)) {
    throw new IngestionError(400, {
      FileName: [
        `The field FileName is invalid (value '${fileName}'): ${canonical === MAIN_APP_PACKAGE ? 'an .app file name is required' : 'an .app or .zip file name is required'}.`
      ]
    })
  }
  return canonical
}

/** Package processing for a Business Central package: every app must be a NAVX app with a manifest. */
export function inspectBusinessCentralPackage(
  file: string,
  pkg: PackageRecord
): { items: ValidationItem[]; apps: BusinessCentralAppFacts[] } {
  if (pkg.fileName.toLowerCase().endsWith('.zip')) return inspectLibraryZip(file, pkg.fileName)
  const read = readApp(file)
  if ('problem' in read) return { items: [invalidApp(pkg.fileName, read.problem)], apps: [] }
  return { items: [], apps: [read] }
}

function invalidApp(name: string, problem: string): ValidationItem {
  return item(
    'InvalidAppPackage',
    `The file '${name}' is not a valid Business Central extension package: ${problem}. Upload the .app file the AL compiler produced.`,
    name
  )
}

function inspectLibraryZip(
  file: string,
  name: string
): { items: ValidationItem[]; apps: BusinessCentralAppFacts[] } {
  let fd: number | undefined
  const temp = mkdtempSync(path.join(os.tmpdir(), 'pc-emulator-bc-'))
  try {
    fd = openSync(file, 'r')
    const entries = readCentralDirectory(fd).filter(e => !e.name.endsWith('/'))
    if (entries.length === 0) return { items: [invalidApp(name, 'the zip holds no .app files')], apps: [] }
    const items: ValidationItem[] = []
    const apps: BusinessCentralAppFacts[] = []
    for (const entry of entries) {
      if (!entry.name.toLowerCase().endsWith('.app')) {
        items.push(invalidApp(entry.name, `'${entry.name}' in '${name}' is not an .app file`))
        continue
      }
      const inner = path.join(temp, 'inner.app')
      writeFileSync(inner, readEntry(fd, entry))
      const read = readApp(inner)
      if ('problem' in read) items.push(invalidApp(entry.name, read.problem))
      else apps.push(read)
    }
    return { items, apps }
  } catch (e) {
    return { items: [invalidApp(name, `not a readable zip (${(e as Error).message})`)], apps: [] }
  } finally {
    if (fd !== undefined) closeSync(fd)
    rmSync(temp, { recursive: true, force: true })
  }
}

/** NAVX header, then the zip's NavxManifest.xml; the emulator's own reader (it imports nothing from src/). */
function readApp(file: string): BusinessCentralAppFacts | { problem: string } {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const header = Buffer.alloc(40)
    if (readSync(fd, header, 0, 40, 0) < 40) return { problem: 'the file is too short' }
    if (header.readUInt32LE(0) !== NAVX_MAGIC || header.readUInt32LE(36) !== NAVX_MAGIC)
      return { problem: 'the NAVX header is missing' }
    const base = header.readUInt32LE(4)
    const manifest = readCentralDirectory(fd, base).find(e => e.name === 'NavxManifest.xml')
    if (!manifest) return { problem: 'NavxManifest.xml is missing' }
    const xml = readEntry(fd, manifest).toString('utf8')
    const app = /<App\s[^>]*>/.exec(xml)?.[0] ?? ''
    const attr = (name: string): string => new RegExp(`\\s${name}="([^"]*)"`).exec(app)?.[1] ?? ''
    const facts = {
      id: attr('Id').toLowerCase(),
      name: attr('Name'),
      publisher: attr('Publisher'),
      version: attr('Version')
    }
    if (!facts.id || !facts.name || !facts.publisher || !FOUR_PART.test(facts.version))
      return { problem: 'the App element of NavxManifest.xml is incomplete' }
    return facts
  } catch (e) {
    return { problem: `its content is not a readable zip (${(e as Error).message})` }
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

// Drafts and their PUTs -----------------------------------------------------------------------------

export function businessCentralPackageConfigurationBody(): Record<string, unknown> {
  return { resourceType: BUSINESS_CENTRAL_PACKAGE_CONFIGURATION, packageReferences: [] }
}

/** PUT packageConfigurations on a Business Central offer. */
export function validateBusinessCentralPackageConfiguration(
  state: EmulatorState,
  p: Product,
  body: Record<string, unknown>,
  settle: (pkg: PackageRecord) => void
): Record<string, unknown> {
  const errors: ErrorData = {}
  const add = (field: string, message: string) => (errors[field] ??= []).push(message)
  const refs = body.packageReferences
  const normalized: Array<{ type: string; value: string }> = []
  if (!Array.isArray(refs)) add('PackageReferences', 'The field PackageReferences must be an array.')
  for (const [i, raw] of (Array.isArray(refs) ? refs : []).entries()) {
    const r = (raw ?? {}) as Record<string, unknown>
    const type = String(prop(r, 'type') ?? '')
    const value = String(prop(r, 'value') ?? '')
    const canonical = [MAIN_APP_PACKAGE, LIBRARY_APP_PACKAGE].find(
      t => t.toLowerCase() === type.toLowerCase()
    )
    if (!canonical) {
      add(
        `PackageReferences[${i}].Type`,
        `The package reference type '${type}' is invalid; expected ${MAIN_APP_PACKAGE} or ${LIBRARY_APP_PACKAGE}.`
      )
      continue
    }
    const pkg = p.packages.get(value.toLowerCase())
    if (!pkg) {
      add(`PackageReferences[${i}].Value`, `The package '${value}' does not exist in this product.`)
      continue
    }
    settle(pkg)
    if (pkg.resourceType !== canonical) {
      add(
        `PackageReferences[${i}].Value`,
        `The package '${value}' is a ${pkg.resourceType}, not a ${canonical}.`
      )
    } else if (pkg.state !== 'Processed') {
      add(
        `PackageReferences[${i}].Value`,
        `The package '${value}' is in state ${pkg.state}; only Processed packages can be referenced.`
      )
    } else normalized.push({ type: canonical, value: pkg.id })
  }
  const mains = normalized.filter(r => r.type === MAIN_APP_PACKAGE).length
  const libraries = normalized.filter(r => r.type === LIBRARY_APP_PACKAGE).length
  if (Array.isArray(refs) && mains !== 1)
    add('PackageReferences', `Exactly one ${MAIN_APP_PACKAGE} is required (found ${mains}).`)
  if (libraries > 1)
    add(
      'PackageReferences',
      `At most one ${LIBRARY_APP_PACKAGE} is allowed (found ${libraries}); put several library apps in one .zip.`
    )
  void state
  if (Object.keys(errors).length) throw new IngestionError(400, errors)
  return { ...body, packageReferences: normalized }
}

/** PUT properties: a Business Central offer's appVersion is four-part and never moves back. */
export function validateBusinessCentralProperty(
  p: Product,
  body: Record<string, unknown>
): Record<string, unknown> {
  if (!isBusinessCentral(p)) return body
  const version = body.appVersion
  if (version === undefined || version === '') return body
  if (typeof version !== 'string' || !FOUR_PART.test(version)) {
    throw new IngestionError(400, {
      AppVersion: [`The app version '${String(version)}' is invalid: use four numbers (e.g. 1.0.0.0).`]
    })
  }
  if (p.liveAppVersion && compareFourPart(version, p.liveAppVersion) < 0) {
    throw new IngestionError(400, {
      AppVersion: [`The app version ${version} is lower than the published version ${p.liveAppVersion}.`]
    })
  }
  return body
}

export function compareFourPart(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

// Submissions ---------------------------------------------------------------------------------------

/**
 * What a new submission of a Business Central offer carries: the appVersion it publishes, and the
 * failure automated validation will find (a seeded one, or an appVersion that is not the main app's).
 */
export function businessCentralSubmission(
  p: Product,
  packageConfiguration: Entity | undefined,
  property: Entity | undefined,
  seeded: 'validation' | 'certification' | undefined
): Pick<SubmissionRecord, 'appVersion' | 'flow' | 'failure' | 'validations'> {
  const appVersion = String(property?.body.appVersion ?? '')
  const refs = (packageConfiguration?.body.packageReferences as Array<{ type: string; value: string }>) ?? []
  const main = refs.find(r => r.type === MAIN_APP_PACKAGE)
  const mainApp = main ? p.packages.get(main.value.toLowerCase())?.apps?.[0] : undefined
  if (seeded)
    return { appVersion, flow: 'business-central', failure: seeded, validations: seededFailure(seeded) }
  // A Connect app has no app file: its listing and properties are all there is to validate.
  if (isConnectOffer(p)) return { appVersion, flow: 'business-central', validations: [] }
  if (!mainApp) {
    return {
      appVersion,
      flow: 'business-central',
      failure: 'validation',
      validations: [
        item(
          'MissingAppFile',
          'The offer has no app file: upload the main extension package (.app).',
          'Package'
        )
      ]
    }
  }
  if (appVersion && appVersion !== mainApp.version) {
    return {
      appVersion,
      flow: 'business-central',
      failure: 'validation',
      validations: [
        item(
          'AppVersionMismatch',
          `The version in the offer (${appVersion}) does not match the version of the app '${mainApp.name}' by ${mainApp.publisher} (${mainApp.version}).`,
          'Property'
        )
      ]
    }
  }
  return { appVersion, flow: 'business-central', validations: [] }
}

function seededFailure(kind: 'validation' | 'certification'): ValidationItem[] {
  return kind === 'validation'
    ? [
        item(
          'AppSourceCop',
          "AS0011: The identifier 'SalesTools' must have the affix 'CTS' that is registered for your publisher.",
          'Package'
        ),
        item(
          'AppSourceCop',
          'AS0084: The ID range 50100..50149 of the app is not in the range assigned to your publisher.',
          'Package'
        )
      ]
    : [
        item(
          'CertificationFailed',
          'Certification failed: the app could not be installed on Business Central 24.0 (dependency "Contoso Library" 1.0.0.0 is missing). See the certification report.',
          'Package'
        )
      ]
}

type StepState = 'NotStarted' | 'InProgress' | 'Success' | 'Failed'
export const BUSINESS_CENTRAL_STEPS = [
  'Automated validation',
  'Preview Creation',
  'Publisher Signoff',
  'Certification',
  'Publish'
]
/** Steps of the Preview item of workflowdetails; the rest belong to Live. */
export const BUSINESS_CENTRAL_PREVIEW_STEPS = 3

/**
 * The AppSource timeline at virtual time `now`: validation and preview creation, then
 * Published/ReadyToPublish while the Publisher Signoff waits for promote; promote runs certification
 * (Published/Publishing), which fails as InProgress/FailedInCertification, then publish to InStore.
 */
export function businessCentralStatus(
  state: EmulatorState,
  s: SubmissionRecord,
  now: number
): {
  state: string
  substate: string
  steps: Array<{ name: string; state: StepState; start?: number; end?: number }>
  readyAt?: number
  liveAt?: number
} {
  const t = state.config.timings
  const steps = BUSINESS_CENTRAL_STEPS.map(name => ({
    name,
    state: 'NotStarted' as StepState,
    start: undefined as number | undefined,
    end: undefined as number | undefined
  }))
  const set = (i: number, st: StepState, start?: number, end?: number) =>
    Object.assign(steps[i]!, { state: st, start, end })
  const av = s.createdAt + t.automatedValidation
  const ready = av + t.previewCreation
  if (now < av) {
    set(0, 'InProgress', s.createdAt)
    return { state: 'InProgress', substate: 'Submitted', steps }
  }
  if (s.failure === 'validation') {
    set(0, 'Failed', s.createdAt, av)
    return { state: 'InProgress', substate: 'Failed', steps }
  }
  set(0, 'Success', s.createdAt, av)
  if (now < ready) {
    set(1, 'InProgress', av)
    return { state: 'InProgress', substate: 'Submitted', steps }
  }
  set(1, 'Success', av, ready)
  const promotedAt = s.promotedAt ?? (s.publishOption.isAutoPromote === true ? ready : undefined)
  if (promotedAt === undefined) {
    set(2, 'InProgress', ready)
    return { state: 'Published', substate: 'ReadyToPublish', steps, readyAt: ready }
  }
  set(2, 'Success', ready, promotedAt)
  const certified = promotedAt + t.certification
  if (now < certified) {
    set(3, 'InProgress', promotedAt)
    return { state: 'Published', substate: 'Publishing', steps, readyAt: ready }
  }
  if (s.failure === 'certification') {
    set(3, 'Failed', promotedAt, certified)
    return { state: 'InProgress', substate: 'FailedInCertification', steps, readyAt: ready }
  }
  set(3, 'Success', promotedAt, certified)
  const live = certified + t.goLive
  if (now < live) {
    set(4, 'InProgress', certified)
    return { state: 'Published', substate: 'Publishing', steps, readyAt: ready }
  }
  set(4, 'Success', certified, live)
  return { state: 'Published', substate: 'InStore', steps, readyAt: ready, liveAt: live }
}

// Seed ---------------------------------------------------------------------------------------------

/**
 * A seeded Business Central offer: its setup, its live appVersion and, unless it is a Connect app,
 * Processed packages (main app and library apps) referenced by the offer's package configuration.
 */
export function seedBusinessCentralOffer(state: EmulatorState, p: Product, o: SeedOffer): void {
  const bc = o.businessCentral
  if (!bc) return
  p.setup = { ...p.setup, packageType: bc.packageType ?? 'AddOn' }
  if (bc.appVersion) p.liveAppVersion = bc.appVersion
  if (bc.packageType === 'Connect' || !bc.mainApp) return
  const refs: Array<{ type: string; value: string }> = []
  const add = (type: string, fileName: string, apps: BusinessCentralAppFacts[]) => {
    const id = stableGuid(p.id, 'bc-package', fileName)
    const pkg: PackageRecord = {
      id,
      resourceType: type,
      fileName,
      blobName: BigInt(
        '0x' + stableGuid(p.id, 'bc-blob', fileName).replace(/-/g, '').slice(0, 15)
      ).toString(),
      etag: stableEtag(p.id, 'bc-package', fileName),
      state: 'Processed',
      fileSize: 8192,
      outcome: { state: 'Processed', validationItems: [], fileSize: 8192 },
      apps
    }
    p.packages.set(id.toLowerCase(), pkg)
    state.blobs.set(pkg.blobName, { productId: p.id, packageId: id })
    refs.push({ type, value: id })
  }
  const fileName = (a: BusinessCentralAppFacts) => `${a.publisher}_${a.name}_${a.version}.app`
  add(MAIN_APP_PACKAGE, fileName(bc.mainApp), [bc.mainApp])
  // One library package, as the portal's single slot takes it: one .app, or a .zip of several.
  const libraries = bc.libraryApps ?? []
  if (libraries.length === 1) add(LIBRARY_APP_PACKAGE, fileName(libraries[0]!), libraries)
  else if (libraries.length > 1)
    add(LIBRARY_APP_PACKAGE, `${fileName(bc.mainApp).slice(0, -4)}.libraries.zip`, libraries)
  const cfg = [...p.entities.values()].find(e => e.kind === 'packageConfiguration' && !e.variantId)
  if (cfg) cfg.body.packageReferences = refs
}
