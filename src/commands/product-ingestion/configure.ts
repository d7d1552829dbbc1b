import type { RunContext } from '../../context.js'
import { log } from '../../log.js'
import {
  annotateProblems,
  ConfigError,
  loadConfiguration,
  resourcesToSend,
  type LoadedResource
} from './config-files.js'
import {
  jobOutputs,
  productGuidOf,
  readJobResources,
  startJob,
  statusCommandHint,
  waitForJob
} from './jobs.js'
import { parseSchemaUri } from '../../product-ingestion/schemas.js'
import type { PiResource } from '../../product-ingestion/types.js'
import { requestVersions } from '../../product-ingestion/versions.js'
import { describeCoverage, schemaCoverage } from './validate-resources.js'
import { code, md, partnerCenterUrl, type Outputs, type Report, type Section } from '../../report/report.js'

/**
 * `configure`: send the resources in `config-path` (desired state) as one Product Ingestion
 * configure job and wait for its end. Every file is checked against the schemas first; a problem
 * fails the run before any request, with an annotation on the line to fix.
 */
export const configureCommand = async (ctx: RunContext): Promise<Report> => {
  let loaded: LoadedResource[]
  try {
    loaded = loadConfiguration(ctx.inputs.configPaths, process.cwd(), ctx.inputs.placeholders).resources
  } catch (error) {
    if (error instanceof ConfigError) annotateProblems(error.problems)
    throw error
  }
  const resources = resourcesToSend(loaded)
  const body = { $schema: requestVersions(resources).configureSchema, resources }
  const unchecked = reportCoverage(loaded)
  const productGuid = ctx.inputs.productId?.toLowerCase() ?? productGuidOf(resources)
  const what = `${resources.length} resource(s)`
  const sections: Section[] = [{ heading: 'Resources', table: resourceTable(loaded) }]
  const baseOutputs: Outputs = productGuid
    ? { 'product-id': productGuid, 'partner-center-url': partnerCenterUrl(productGuid) }
    : {}

  if (ctx.inputs.dryRun) {
    const verdict = unchecked
      ? `${what} passed the local checks; ${unchecked} of them had no local schema, so only the service can validate those`
      : `${what} passed the local checks, each against its schema`
    log.info(`Dry run: ${verdict}; the configure request was not sent.`)
    return {
      title: 'Configure (dry run)',
      outputs: baseOutputs,
      sections: [
        { text: `Dry run: ${verdict}. Nothing was sent to Partner Center.` },
        ...sections,
        { details: { summary: 'Configure request body', body: JSON.stringify(body, null, 2), code: true } }
      ]
    }
  }

  const started = await startJob(ctx, resources, what)
  if (!ctx.inputs.wait) {
    return {
      title: 'Configure job started',
      outputs: { ...baseOutputs, ...jobOutputs(started) },
      sections: [
        {
          text: md`Configure job ${code(started.jobId)} was accepted (${what}). ${statusCommandHint(started.jobId)}`
        },
        ...sections
      ]
    }
  }

  const status = await waitForJob(ctx, started.jobId, what, baseOutputs)
  const applied = await readJobResources(ctx, started.jobId)
  const ids = applied.map(r => r.id).filter((id): id is string => typeof id === 'string')
  const guid = productGuid ?? productGuidOf(applied)
  log.info(`Configure job ${status.jobId} succeeded: ${ids.length} resource(s) created or updated.`)
  return {
    title: 'Configure job succeeded',
    outputs: {
      ...(guid ? { 'product-id': guid, 'partner-center-url': partnerCenterUrl(guid) } : {}),
      ...jobOutputs(status),
      'resource-ids': JSON.stringify(ids)
    },
    sections: [
      { text: md`Configure job ${code(status.jobId)} succeeded.` },
      {
        heading: 'Resources created or updated',
        text: ids.length ? undefined : 'The job reported no resources.',
        table: ids.length
          ? {
              headers: ['Type', 'Durable ID'],
              rows: applied.filter(r => r.id).map(r => [typeOf(r), String(r.id)])
            }
          : undefined
      },
      ...sections
    ]
  }
}

/**
 * Says per resource whether a held schema checked it (docs/partner-center-api.md §2.7: the action holds
 * only 2022-03-01-preview2; export writes newer versions and private offers use 2023-07-15).
 * Returns how many were not checked against a schema.
 */
function reportCoverage(loaded: LoadedResource[]): number {
  let unchecked = 0
  loaded.forEach(({ resource, source }, index) => {
    const coverage = schemaCoverage(resource)
    if (!coverage.checked) unchecked++
    log.info(`resources[${index}] ${coverage.type} (${source.file}): ${describeCoverage(coverage)}.`)
  })
  return unchecked
}

function typeOf(resource: PiResource): string {
  return parseSchemaUri(resource.$schema)?.type ?? String(resource.id ?? '').split('/')[0]
}

/** What the request holds, by file: type and the best identity each resource has. */
function resourceTable(loaded: LoadedResource[]): { headers: string[]; rows: string[][] } {
  return {
    headers: ['File', 'Type', 'Resource', 'Local validation'],
    rows: loaded.map(({ resource, source }) => {
      const r = resource as PiResource
      const identity = (r.identity as { externalId?: string } | undefined)?.externalId
      const target = (r.target as { targetType?: string } | undefined)?.targetType
      const name =
        r.id ??
        (identity
          ? `externalId ${identity}`
          : r.resourceName
            ? `resourceName ${r.resourceName}`
            : target
              ? `target ${target}`
              : '(new)')
      const coverage = schemaCoverage(r)
      return [
        source.file,
        typeOf(r),
        name,
        coverage.checked
          ? `schema ${coverage.version}`
          : `no local schema for ${coverage.version}: the service judges it`
      ]
    })
  }
}
