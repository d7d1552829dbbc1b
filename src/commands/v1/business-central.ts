import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import { HttpError } from '../../http/http-error.js'
import type {
  Branch,
  PackageConfiguration,
  PackageReference,
  Property,
  Submission
} from '../../ingestion/types.js'
import { log } from '../../log.js'
import { compareVersions } from '../../release-version.js'
import { isFourPartVersion, type BusinessCentralApp } from '../../package/business-central-app.js'
import {
  prepareBusinessCentralRelease,
  type BusinessCentralRelease
} from '../../package/business-central-release.js'
import {
  code,
  md,
  partnerCenterUrl,
  strong,
  type Report,
  type Section,
  type Table,
  type Text
} from '../../report/report.js'
import { workflowSections } from './lifecycle.js'
import {
  createSubmissionOnce,
  describeSubmission,
  isLive,
  isPreviewReady,
  conflictPlan,
  followSubmission,
  releaseStatus,
  resolveConflict,
  type SubmissionContent
} from './submissions.js'
import { uploadPackage, type UploadedPackage } from './upload-package.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import { ReleaseSteps } from './release-steps.js'

/** Package resourceTypes of a Business Central offer (docs/partner-center-api.md §8). */
export const MAIN_APP_PACKAGE = 'Dynamics365BusinessCentralAddOnExtensionPackage'
export const LIBRARY_APP_PACKAGE = 'Dynamics365BusinessCentralAddOnLibraryExtensionPackage'

const MAX_CONFLICT_RETRIES = 3
const PROCESSING_HINT =
  'Check that the file is the .app the AL compiler built (not a runtime package, not renamed from a .zip), then release again.'

/**
 * `publish` for a Dynamics 365 Business Central offer (an AppSource app): read the apps and the
 * offer, check everything, then upload the main app (and the library apps), point the offer's package
 * configuration at them, set `appVersion`, submit the Package and Property drafts to preview, and go
 * live when asked. Nothing is written until every check passed. go-live, status and cancel are the
 * shared v1 ones: a Business Central submission is a v1 submission.
 */
export async function publishBusinessCentral(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const { inputs } = ctx
  const steps = new ReleaseSteps(ctx.clock)
  const step = steps.run

  // 1. Checks, before any write ---------------------------------------------------------------------
  if (inputs.planIds.length) {
    throw new InputError(
      'plan-id',
      `applies to Azure Application plans; a Business Central app is set on the offer '${offer.offerId}' as a whole.`,
      'Leave `plan-id` out.'
    )
  }
  if (inputs.technicalConfigurationPath) {
    throw new InputError(
      'technical-configuration',
      'holds managed-application settings; a Business Central offer has none.',
      'Leave `technical-configuration` out.'
    )
  }
  const read = await step('Read the offer and the apps', async () => {
    const preparing = prepareBusinessCentralRelease(inputs.packagePath!, inputs.libraryPaths)
    try {
      const [release, setup, packageBranch, propertyBranch, submissions, packages] = await Promise.all([
        preparing,
        ctx.ingestion.getSetup(offer.productId),
        offerBranch(ctx, offer, 'Package'),
        offerBranch(ctx, offer, 'Property'),
        ctx.ingestion.listSubmissions(offer.productId),
        ctx.ingestion.listPackages(offer.productId)
      ])
      return { release, setup, packageBranch, propertyBranch, submissions, packages }
    } catch (error) {
      await preparing.then(
        r => r.cleanup(),
        () => undefined
      )
      throw error
    }
  })
  const { release, packageBranch, propertyBranch, submissions, packages } = read
  try {
    if (String(read.setup?.packageType ?? '').toLowerCase() === 'connect') {
      throw new InputError(
        'package-path',
        `applies to Business Central apps; '${offer.offerId}' is a Connect app (packageType Connect), which has no app file.`,
        'Leave `package-path` and `library-path` out to submit the offer’s draft as it is.'
      )
    }
    logApps(release)
    const version = checkVersion(ctx, release.main)
    const [config, property] = await Promise.all([
      ctx.ingestion.getPackageConfiguration(offer.productId, packageBranch.currentDraftInstanceID),
      ctx.ingestion.getProperty(offer.productId, propertyBranch.currentDraftInstanceID)
    ])
    if (!config) throw missingDraft(offer, 'package configuration (technical configuration)')
    if (!property) throw missingDraft(offer, 'properties')
    checkNotLower(version, property)
    const blocking =
      inputs.target === 'draft'
        ? undefined
        : await resolveConflict(ctx, offer.productId, submissions, inputs.dryRun)

    const base: Report['outputs'] = {
      'product-id': offer.productId,
      'offer-id': offer.offerId,
      'offer-type': offer.type,
      version,
      'partner-center-url': partnerCenterUrl(offer.productId)
    }
    if (inputs.dryRun) return dryRunReport(ctx, offer, release, property, base, blocking?.id)

    // 2. Packages, package configuration, appVersion (the draft) ----------------------------------
    const known = new Set(packages.map(p => p.id))
    const uploads = await step('Upload the apps', () =>
      Promise.all([
        uploadPackage(ctx, offer.productId, release.mainPackage, known, {
          resourceType: MAIN_APP_PACKAGE,
          failureHint: PROCESSING_HINT
        }),
        release.libraryPackage
          ? uploadPackage(ctx, offer.productId, release.libraryPackage, known, {
              resourceType: LIBRARY_APP_PACKAGE,
              failureHint: PROCESSING_HINT
            })
          : Promise.resolve(undefined)
      ])
    )
    const [main, library] = uploads
    await step('Point the offer at the new apps', () =>
      Promise.all([
        updatePackageConfiguration(ctx, offer, config, packageBranch, main, library),
        updateAppVersion(ctx, offer, property, propertyBranch, version)
      ])
    )

    const outputs: Report['outputs'] = { ...base, 'package-id': main.pkg.id }
    const sections = (submissionLine?: Text): Section[] => [
      { table: appTable(release, uploads) },
      ...(submissionLine ? [{ heading: 'Submission', text: submissionLine }] : []),
      steps.section()
    ]
    const title = `${offer.offerId} ${version}`
    if (inputs.target === 'draft') {
      return {
        title: `${title}: draft updated`,
        outputs,
        sections: [
          ...sections(),
          { text: md`Target ${code('draft')}: the draft was changed; nothing was submitted.` }
        ]
      }
    }

    // 3. Preview, then live ---------------------------------------------------------------------------
    let submission: Submission | undefined
    let finished: Submission
    try {
      submission = await step('Submit to preview', async () => {
        const created = await createSubmissionOnce(
          ctx,
          offer.productId,
          submissionRequest(packageBranch, propertyBranch),
          new Set(submissions.map(s => s.id))
        )
        log.info(`Submission ${created.id} created (${describeSubmission(created)}).`)
        return created
      })
      const submitted = submission
      ctx.progress.describe = () =>
        `submission ${submitted.id} of offer ${offer.offerId} was ${describeSubmission(submitted)}`
      // AppSource certifies a Business Central app after the publisher's sign-off, during go-live.
      finished = await followSubmission(ctx, offer.productId, submitted, step, {
        step: 'Go live (certification, publish)',
        waitingFor: 'the app to be certified and live'
      })
    } catch (error) {
      // The step fails with the reasons; the summary still shows what was uploaded and the workflow.
      if (submission && error instanceof ActionError && !(error as { report?: Report }).report) {
        const workflow = await ctx.ingestion
          .getWorkflowDetails(offer.productId, submission.id)
          .catch(() => [])
        Object.assign(error, {
          report: {
            title: `${title}: failed`,
            outputs: { ...outputs, 'submission-id': submission.id },
            sections: [
              ...sections(md`Submission ${code(submission.id)} failed.`),
              ...workflowSections(workflow)
            ]
          } satisfies Report
        })
      }
      throw error
    }
    const where = isLive(finished) ? 'live' : isPreviewReady(finished) ? 'in preview' : 'submitted'
    const workflow = await ctx.ingestion.getWorkflowDetails(offer.productId, finished.id).catch(() => [])
    return {
      title: `${title}: ${where}`,
      outputs: {
        ...outputs,
        'submission-id': finished.id,
        'submission-state': finished.state,
        'submission-substate': finished.substate,
        'release-status': releaseStatus(finished)
      },
      sections: [
        ...sections(md`Submission ${code(finished.id)}: ${strong(finished.state)} / ${finished.substate}.`),
        ...workflowSections(workflow)
      ]
    }
  } finally {
    await release.cleanup()
  }
}

/** The offer-level branch of a module: the one without a variantID (§8: exactly one). */
async function offerBranch(
  ctx: RunContext,
  offer: ResolvedOffer,
  module: 'Package' | 'Property'
): Promise<Branch> {
  const branches = (await ctx.ingestion.getBranches(offer.productId, module)).filter(
    b => !b.variantID && (!b.type || b.type === 'Main')
  )
  if (branches.length !== 1) {
    throw new ActionError(
      `Offer '${offer.offerId}' has ${branches.length} offer-level ${module} branches in Partner Center; exactly one was expected.`,
      {
        hint: 'Open the offer in Partner Center once (Technical configuration, Properties) so that its drafts exist, then run again.'
      }
    )
  }
  return branches[0]!
}

function missingDraft(offer: ResolvedOffer, what: string): ActionError {
  return new ActionError(`Offer '${offer.offerId}' has no ${what} draft in Partner Center.`, {
    hint: 'Open the offer in Partner Center once so that its drafts exist, then run again.'
  })
}

function describeApp(app: BusinessCentralApp): string {
  return `'${app.name}' by ${app.publisher}, version ${app.version}, id ${app.id}${app.readyToRun ? ' (ready-to-run package)' : ''}`
}

function logApps(release: BusinessCentralRelease): void {
  log.info(`Main app ${release.main.displayPath}: ${describeApp(release.main)}.`)
  for (const library of release.libraries)
    log.info(`Library app ${library.displayPath}: ${describeApp(library)}.`)
  if (release.libraries.length > 1)
    log.info(
      `The ${release.libraries.length} library apps are uploaded as one ${release.libraryPackage!.fileName}.`
    )
}

/** The version is the manifest's; a given `version` must be the same (four parts). */
function checkVersion(ctx: RunContext, main: BusinessCentralApp): string {
  const { version, versionSource } = ctx.inputs
  if (versionSource === 'input' && version !== main.version) {
    throw new InputError(
      'version',
      isFourPartVersion(version!)
        ? `is ${version}, but the main app in \`package-path\` ('${main.displayPath}') is version ${main.version} (its NavxManifest.xml).`
        : `is ${version}; a Business Central app version has four parts, and the main app in \`package-path\` is version ${main.version}.`,
      'Leave `version` out (the app’s own version is used), or build the app with the version you mean.'
    )
  }
  if (versionSource === 'tag') {
    log.info(
      `The tag's version ${version} is not used: a Business Central release takes the version of the app itself (${main.version}).`
    )
  }
  return main.version
}

/** Lower than the offer's appVersion is refused; equal is a re-submission (a hotfix of the same build). */
function checkNotLower(version: string, property: Property): void {
  const current = property.appVersion
  if (!current || !isFourPartVersion(current)) return
  if (compareVersions(version, current) < 0) {
    throw new InputError(
      'package-path',
      `the main app is version ${version}, lower than the offer's app version ${current} in Partner Center.`,
      'Release a higher version of the app (AppSource takes only a higher or equal version).'
    )
  }
  if (version === current) log.info(`Version ${version} equals the offer's app version: a re-submission.`)
}

function submissionRequest(packageBranch: Branch, propertyBranch: Branch): SubmissionContent {
  return {
    resourceType: 'SubmissionCreationRequest',
    targets: [{ type: 'Scope', value: 'preview' }],
    resources: [
      { type: 'Package', value: packageBranch.currentDraftInstanceID },
      { type: 'Property', value: propertyBranch.currentDraftInstanceID }
    ]
  }
}

/**
 * References of the types being replaced are dropped and the new ones appended, main app first; the
 * library package stays as it is when no library app was given. The PUT carries the ETag; after a
 * 412 the configuration is read again and the change applied to what is there now.
 */
export function withNewPackages(
  config: PackageConfiguration,
  mainId: string,
  libraryId: string | undefined
): PackageConfiguration {
  const replaced = new Set([MAIN_APP_PACKAGE, ...(libraryId ? [LIBRARY_APP_PACKAGE] : [])])
  const kept = (config.packageReferences ?? []).filter(r => !replaced.has(r.type))
  const added: PackageReference[] = [
    { type: MAIN_APP_PACKAGE, value: mainId },
    ...(libraryId ? [{ type: LIBRARY_APP_PACKAGE, value: libraryId }] : [])
  ]
  return { ...config, packageReferences: [...kept, ...added] }
}

async function updatePackageConfiguration(
  ctx: RunContext,
  offer: ResolvedOffer,
  first: PackageConfiguration,
  branch: Branch,
  main: UploadedPackage,
  library: UploadedPackage | undefined
): Promise<void> {
  let current: PackageConfiguration | undefined = first
  for (let attempt = 1; ; attempt++) {
    if (!current) throw missingDraft(offer, 'package configuration (technical configuration)')
    try {
      await ctx.ingestion.putPackageConfiguration(
        offer.productId,
        withNewPackages(current, main.pkg.id, library?.pkg.id),
        current['@odata.etag'] ?? '*'
      )
      log.info(
        `Package configuration: main app package ${main.pkg.id}${library ? `, library package ${library.pkg.id}` : ' (library package unchanged)'}.`
      )
      return
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 412 || attempt > MAX_CONFLICT_RETRIES) throw error
      log.info('The package configuration changed meanwhile (412); reading it again.')
      current = await ctx.ingestion.getPackageConfiguration(offer.productId, branch.currentDraftInstanceID)
    }
  }
}

async function updateAppVersion(
  ctx: RunContext,
  offer: ResolvedOffer,
  first: Property,
  branch: Branch,
  version: string
): Promise<void> {
  let current: Property | undefined = first
  for (let attempt = 1; ; attempt++) {
    if (!current) throw missingDraft(offer, 'properties')
    if (current.appVersion === version) {
      log.info(`App version: already ${version}.`)
      return
    }
    try {
      await ctx.ingestion.putProperty(
        offer.productId,
        { ...current, appVersion: version },
        current['@odata.etag'] ?? '*'
      )
      log.info(`App version: ${current.appVersion || '(none)'} -> ${version}.`)
      return
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 412 || attempt > MAX_CONFLICT_RETRIES) throw error
      log.info('The offer properties changed meanwhile (412); reading them again.')
      current = await ctx.ingestion.getProperty(offer.productId, branch.currentDraftInstanceID)
    }
  }
}

function appTable(
  release: BusinessCentralRelease,
  uploads?: [UploadedPackage, UploadedPackage | undefined]
): Table {
  const packageOf = (role: 'main' | 'library'): string =>
    (role === 'main' ? uploads?.[0] : uploads?.[1])?.pkg.id ?? ''
  const row = (role: 'main' | 'library', app: BusinessCentralApp) => [
    role === 'main' ? 'Main app' : 'Library app',
    app.name,
    app.publisher,
    app.version,
    app.id,
    app.fileName,
    ...(uploads ? [packageOf(role)] : [])
  ]
  return {
    headers: ['Role', 'Name', 'Publisher', 'Version', 'App ID', 'File', ...(uploads ? ['Package'] : [])],
    rows: [row('main', release.main), ...release.libraries.map(library => row('library', library))]
  }
}

function dryRunReport(
  ctx: RunContext,
  offer: ResolvedOffer,
  release: BusinessCentralRelease,
  property: Property,
  outputs: Report['outputs'],
  blockingId?: string
): Report {
  const { target, onConflict } = ctx.inputs
  const { main, mainPackage, libraryPackage } = release
  const actions = [
    ...conflictPlan(blockingId, onConflict),
    `Upload ${mainPackage.fileName} (${mainPackage.sizeBytes} bytes, sha256 ${mainPackage.sha256}) as the main app package.`,
    ...(libraryPackage
      ? [
          `Upload ${libraryPackage.fileName} (${libraryPackage.sizeBytes} bytes, ${release.libraries.length} app${release.libraries.length === 1 ? '' : 's'}) as the library package.`
        ]
      : ['Keep the library package the offer references now.']),
    `Set the offer's app version from ${property.appVersion || '(none)'} to ${main.version}.`,
    ...(target === 'draft'
      ? []
      : ['Submit the package and properties to preview and wait until the preview is ready.']),
    ...(target === 'live'
      ? ['Go live (certification, then publish) and wait until the app is in AppSource.']
      : [])
  ]
  log.info(`Dry run: nothing was changed. Would:\n${actions.map(a => `  - ${a}`).join('\n')}`)
  return {
    title: `${offer.offerId} ${main.version}: dry run`,
    outputs,
    sections: [
      { text: 'Dry run: everything was checked; nothing was changed.' },
      { table: appTable(release) },
      { heading: 'What a real run would do', list: actions }
    ]
  }
}
