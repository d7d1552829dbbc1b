import type { RunContext } from '../../context.js'
import type { Submission } from '../../ingestion/types.js'
import { InputError } from '../../errors.js'
import { log } from '../../log.js'
import { missingVersionError } from '../../release-version.js'
import { preparePackage, type PreparedPackage } from '../../package/index.js'
import { packageContentsLines, packageContentsSections } from '../../report/package-contents.js'
import { code, md, strong, type Report, type Section, type Text } from '../../report/report.js'
import { loadPlanStates, type PlanState } from './plan-state.js'
import type { ResolvedOffer } from '../common/resolve-offer.js'
import { ReleaseSteps } from './release-steps.js'
import { workflowSections } from './lifecycle.js'
import { selectPlans } from './plan-selection.js'
import {
  buildSubmissionRequest,
  conflictPlan,
  createSubmissionOnce,
  describeSubmission,
  isLive,
  isPreviewReady,
  releaseStatus,
  resolveConflict,
  followSubmission
} from './submissions.js'
import { loadTechnicalConfiguration, type ManagedAppSettings } from './technical-configuration.js'
import { updatePlans } from './update-plans.js'
import { uploadPackage } from './upload-package.js'
import { readLiveVersions } from './live-versions.js'
import { checkVersionIsHigher, versionToBeat, type VersionToBeat } from './version.js'
import { offerOutputs } from '../common/offer-outputs.js'
import {
  findProcessedPackage,
  movedByEarlierRun,
  packageFileName,
  publishedThisRelease,
  submissionOfEarlierRun
} from './rerun.js'

/**
 * `publish` for an Azure Application: check everything, then upload the package, point the plans
 * at it, submit to preview, and go live when asked. Nothing is written until every check passed.
 */
export async function publishAzureApplication(ctx: RunContext, offer: ResolvedOffer): Promise<Report> {
  const { inputs } = ctx
  const steps = new ReleaseSteps(ctx.clock)
  const step = steps.run

  // 1. Checks, before any write ---------------------------------------------------------------------
  if (!inputs.packagePath)
    throw new InputError(
      'package-path',
      'is required to publish an Azure Application offer: a .zip or a folder.'
    )
  if (!inputs.version) throw missingVersionError(inputs)
  const version = inputs.version
  const settings: ManagedAppSettings | undefined = inputs.technicalConfigurationPath
    ? await loadTechnicalConfiguration(inputs.technicalConfigurationPath)
    : undefined
  // What is applied is shown, in the log, the summary and the dry run: not just the file's name.
  if (settings)
    log.info(
      `Technical configuration from ${inputs.technicalConfigurationPath} (merged into each managed-application plan):\n${JSON.stringify(settings, null, 2)}`
    )

  const { plans, submissions, packages, prepared } = await step(
    'Read the offer and check the package',
    async () => {
      const preparing = preparePackage(inputs.packagePath!)
      try {
        const [allPlans, submissions, packages, prepared] = await Promise.all([
          loadPlanStates(ctx, offer.productId, { waitForBranches: true }),
          ctx.ingestion.listSubmissions(offer.productId),
          ctx.ingestion.listPackages(offer.productId),
          preparing
        ])
        return { plans: selectPlans(allPlans, inputs.planIds), submissions, packages, prepared }
      } catch (error) {
        // A zip made from a folder is removed even when a read beside it failed.
        await preparing.then(
          p => p.cleanup(),
          () => undefined
        )
        throw error
      }
    }
  )
  log.info(packageContentsLines(prepared))
  try {
    if (settings && !plans.some(p => p.variant.subType === 'managed-application')) {
      throw new InputError(
        'technical-configuration',
        'applies to managed-application plans, and none of the selected plans is one.'
      )
    }
    // What an earlier run of this release already did (a re-run finishes it, see rerun.ts).
    const fileName = packageFileName(prepared)
    const reused = findProcessedPackage(packages, fileName)
    const moved = (plan: PlanState) => movedByEarlierRun(plan, version, reused)
    const live = await readLiveVersions(ctx, offer.productId, plans, submissions)
    checkVersionIsHigher(version, plans, moved, live)
    const earlier =
      inputs.target === 'draft'
        ? undefined
        : await submissionOfEarlierRun(submissions, plans, version, reused, submission =>
            publishedThisRelease(ctx, offer.productId, submission, plans, version, reused)
          )
    const blocking =
      inputs.target === 'draft' || earlier
        ? undefined
        : await resolveConflict(ctx, offer.productId, submissions, inputs.dryRun)
    const previous: PreviousVersions = new Map(
      plans.map(p => [
        p.planId,
        live.has(p.planId) || !moved(p) ? versionToBeat(p, live) : { version, from: 'this-release' }
      ])
    )

    if (inputs.dryRun)
      return dryRunReport(ctx, offer, plans, prepared, version, previous, settings, {
        blockingId: blocking?.id,
        reusedPackageId: reused?.id,
        earlier
      })

    // 2. Package and plans (the draft) --------------------------------------------------------------
    const uploaded = await step('Upload the package', async () => {
      if (reused) {
        log.info(
          `Package ${reused.id} (${fileName}) was already uploaded and processed for these contents (sha256 ${prepared.sha256.slice(0, 16)}…): using it.`
        )
        return { pkg: reused }
      }
      return uploadPackage(ctx, offer.productId, { ...prepared, fileName }, new Set(packages.map(p => p.id)))
    })
    await step('Update the plans', () =>
      updatePlans(ctx, offer.productId, plans, uploaded.pkg.id, version, settings)
    )

    const base = {
      ...offerOutputs(offer),
      'package-id': uploaded.pkg.id,
      version,
      plans: plansOutput(plans, version, previous)
    }
    const sections = (submissionLine?: Text): Section[] => [
      { table: planTable(plans, version, previous) },
      ...packageContentsSections(prepared),
      {
        text: md`Package ${code(prepared.fileName)} (${(prepared.sizeBytes / 1024 / 1024).toFixed(2)} MiB, sha256 ${code(`${prepared.sha256.slice(0, 16)}…`)}) is package ${code(uploaded.pkg.id)}${reused ? ', uploaded by an earlier run of this release' : ''}.`
      },
      ...(submissionLine ? [{ heading: 'Submission', text: submissionLine }] : []),
      ...settingsSections(settings),
      steps.section()
    ]
    if (inputs.target === 'draft') {
      return {
        title: `${offer.offerId} ${version}: draft updated`,
        outputs: base,
        sections: [
          ...sections(),
          {
            text: md`
Target \`draft\`: the draft was changed; nothing was submitted.
            `
          }
        ]
      }
    }

    // 3. Preview, then live ---------------------------------------------------------------------------
    let submission = await step('Submit to preview', async () => {
      if (earlier) {
        log.info(
          `Submission ${earlier.id} for version ${version} was made by an earlier run of this release and is ${describeSubmission(earlier)}: ${earlierPlan(earlier, inputs.target)}.`
        )
        return earlier
      }
      const notes = `Version ${version} published by partner-center-publish${process.env.GITHUB_REPOSITORY ? ` from ${process.env.GITHUB_REPOSITORY}@${(process.env.GITHUB_SHA ?? '').slice(0, 7)}` : ''}.`
      const request = await buildSubmissionRequest(ctx, offer.productId, notes)
      const created = await createSubmissionOnce(
        ctx,
        offer.productId,
        request,
        new Set(submissions.map(s => s.id))
      )
      log.info(`Submission ${created.id} created (${describeSubmission(created)}).`)
      return created
    })
    ctx.progress.describe = () =>
      `submission ${submission.id} of offer ${offer.offerId} was ${describeSubmission(submission)}`

    submission = await followSubmission(ctx, offer.productId, submission, step)
    const outputs = {
      ...base,
      'submission-id': submission.id,
      'submission-state': submission.state,
      'submission-substate': submission.substate,
      'release-status': releaseStatus(submission)
    }
    const where = isLive(submission) ? 'live' : isPreviewReady(submission) ? 'in preview' : 'submitted'
    // The submission's progress, step by step; a summary without it is still a success.
    const workflow = await ctx.ingestion.getWorkflowDetails(offer.productId, submission.id).catch(() => [])
    return {
      title: `${offer.offerId} ${version}: ${where}`,
      outputs,
      sections: [
        ...sections(
          md`Submission ${code(submission.id)}: ${strong(submission.state)} / ${submission.substate}.`
        ),
        ...workflowSections(workflow)
      ]
    }
  } finally {
    await prepared.cleanup()
  }
}

/** What a re-run does with the submission an earlier run of the release made, by where it stands. */
function earlierPlan(earlier: Submission, target: 'draft' | 'preview' | 'live'): string {
  if (isLive(earlier)) return 'it is live already; nothing is submitted again'
  if (isPreviewReady(earlier))
    return target === 'live'
      ? 'it has reached preview; going live with it'
      : 'it has reached preview; nothing is submitted again'
  return 'following it instead of making another'
}

/**
 * Each plan's version before this release: the live one where it could be read, else the draft's;
 * `this-release` where the draft is all there is and an earlier run of this release already moved it.
 */
type PreviousVersion = VersionToBeat | { version: string; from: 'this-release' } | undefined
type PreviousVersions = Map<string, PreviousVersion>

/** The `plans` output: each plan with the version it had and the one it gets. */
function plansOutput(plans: PlanState[], version: string, previous: PreviousVersions): string {
  return JSON.stringify(
    plans.map(p => ({
      planId: p.planId,
      variantId: p.variant.id,
      name: p.variant.friendlyName ?? p.planId,
      subType: p.variant.subType,
      version,
      ...previousOutput(previous.get(p.planId))
    }))
  )
}

function previousOutput(before: PreviousVersion) {
  return before && before.from !== 'this-release'
    ? { previousVersion: before.version, previousVersionFrom: before.from }
    : { previousVersion: null, previousVersionFrom: null }
}

function previousCell(plan: PlanState, previous: PreviousVersions): string {
  const before = previous.get(plan.planId)
  if (!before) return '(none)'
  if (before.from === 'this-release') return `(${before.version} already, from an earlier run)`
  return before.from === 'live' ? before.version : `${before.version} (draft)`
}

/** The technical configuration merged into the managed-application plans, as applied. */
function settingsSections(settings: ManagedAppSettings | undefined): Section[] {
  if (!settings) return []
  return [
    {
      details: {
        summary: 'Technical configuration (merged into each managed-application plan)',
        body: JSON.stringify(settings, null, 2),
        code: true
      }
    }
  ]
}

function planTable(plans: PlanState[], version: string, previous: PreviousVersions) {
  return {
    headers: ['Plan', 'Kind', 'Previous version', 'New version'],
    rows: plans.map(p => [p.planId, p.variant.subType ?? '', previousCell(p, previous), version])
  }
}

function dryRunReport(
  ctx: RunContext,
  offer: ResolvedOffer,
  plans: PlanState[],
  prepared: PreparedPackage,
  version: string,
  previous: PreviousVersions,
  settings: ManagedAppSettings | undefined,
  found: { blockingId?: string; reusedPackageId?: string; earlier?: Submission }
): Report {
  const { target, onConflict } = ctx.inputs
  const { blockingId, reusedPackageId, earlier } = found
  const actions = [
    ...conflictPlan(blockingId, onConflict),
    reusedPackageId
      ? `Use package ${reusedPackageId}, uploaded by an earlier run with the same contents (sha256 ${prepared.sha256}).`
      : `Upload ${prepared.fileName} (${prepared.sizeBytes} bytes, ${prepared.entries} entries, sha256 ${prepared.sha256}).`,
    ...plans.map(
      p =>
        `Set plan '${p.planId}' (${p.variant.subType ?? 'plan'}) from ${previousCell(p, previous)} to ${version} with the new package.`
    ),
    ...(target === 'draft'
      ? []
      : [
          earlier
            ? `Take submission ${earlier.id}, made for ${version} by an earlier run and ${describeSubmission(earlier)}, from where it stands: ${earlierPlan(earlier, target)}.`
            : 'Submit the whole draft to preview and wait until the preview is ready.'
        ]),
    ...(target === 'live' && !(earlier && isLive(earlier))
      ? ['Go live and wait until the offer is in the marketplace.']
      : [])
  ]
  log.info(`Dry run: nothing was changed. Would:\n${actions.map(a => `  - ${a}`).join('\n')}`)
  return {
    title: `${offer.offerId} ${version}: dry run`,
    outputs: {
      ...offerOutputs(offer),
      version,
      plans: plansOutput(plans, version, previous)
    },
    sections: [
      { text: 'Dry run: everything was checked; nothing was changed.' },
      { table: planTable(plans, version, previous) },
      { heading: 'What a real run would do', list: actions },
      ...settingsSections(settings),
      ...packageContentsSections(prepared)
    ]
  }
}
