/**
 * A failed configure job says why in `errors[].details[]`, one entry per resource (docs/partner-center-api.md §2.5);
 * the top-level entry is often only "Validation failed". These helpers flatten that tree into rows
 * (code, message, resource) for a summary table and an error message that a publisher can act on.
 */
import { ActionError } from '../errors.js'
import type { Outputs, Report, Section, Table } from '../report/report.js'
import type { ConfigureStatus, JobError } from './types.js'

export interface JobErrorRow {
  code: string
  message: string
  /** Durable ID, `resourceName x` or `externalId x`; empty when the service named none. */
  resourceId: string
  /**
   * The enclosing errors that named a resource of their own, outermost first, as `resource: code:
   * message`. A certification failure nests its reasons under the submission (docs/partner-center-api.md
   * §7.7): `submission/…: invalidState: Certification failed…` is what says the leaf is a certification
   * finding. Generic wrappers without a resource ("Validation failed") are left out.
   */
  context?: string[]
}

/** Innermost errors first-class: an entry with details is represented by its details, within its context. */
export function flattenJobErrors(
  errors: JobError[],
  inheritedResource = '',
  context: string[] = []
): JobErrorRow[] {
  const rows: JobErrorRow[] = []
  for (const error of errors) {
    const own = describeReference(error.resourceId)
    const resourceId = own || inheritedResource
    if (error.details?.length) {
      const inner = own
        ? [...context, `${own}: ${error.code ? `${error.code}: ` : ''}${error.message ?? ''}`]
        : context
      rows.push(...flattenJobErrors(error.details, resourceId, inner))
      continue
    }
    rows.push({
      code: error.code ?? '',
      message: error.message ?? '',
      resourceId,
      ...(context.length ? { context } : {})
    })
  }
  return rows
}

const withContext = (row: JobErrorRow): string =>
  row.context?.length ? `${row.message} (under ${row.context.join(' › ')})` : row.message

/** Resource references come as durable-id strings or `{externalId}` / `{resourceName}` objects. */
export function describeReference(reference: unknown): string {
  if (typeof reference === 'string') return reference
  if (reference && typeof reference === 'object') {
    const ref = reference as Record<string, unknown>
    if (typeof ref.resourceName === 'string') return `resourceName ${ref.resourceName}`
    const externalId = ref.externalId ?? ref.externalID
    if (typeof externalId === 'string') return `externalId ${externalId}`
    return JSON.stringify(reference)
  }
  return ''
}

export function jobErrorTable(rows: JobErrorRow[]): Table {
  return {
    headers: ['Resource', 'Code', 'Message'],
    rows: rows.map(row => [row.resourceId || '(job)', row.code, withContext(row)])
  }
}

export function jobErrorLines(rows: JobErrorRow[]): string {
  return rows
    .map(
      row =>
        `  - ${row.resourceId ? `${row.resourceId}: ` : ''}${row.code ? `${row.code}: ` : ''}${withContext(row)}`
    )
    .join('\n')
}

/** Certification failures come back as `invalidState` with "Certification" in the text (docs/partner-center-api.md §2.5). */
function hintFor(rows: JobErrorRow[]): string {
  if (rows.some(row => /certification/i.test(withContext(row)))) {
    return 'The offer failed certification: read the report in Partner Center (link above), fix the resources named, and publish again.'
  }
  if (rows.some(row => /resourceNotFound|invalidId/i.test(row.code))) {
    return 'A resource refers to an ID that does not exist in this account: check the durable IDs and external IDs named above (`command: export` shows the current ones).'
  }
  return 'Fix the resources named above and run again. Nothing of this job was applied (a configure job is all or nothing).'
}

/**
 * A configure job that completed without success. It carries a report (the job's outputs and the
 * error table) so that the summary can show the table; the message repeats it in text.
 */
export class JobFailedError extends ActionError {
  readonly rows: JobErrorRow[]
  readonly report: Report
  constructor(
    readonly status: ConfigureStatus,
    what: string,
    outputs: Outputs = {}
  ) {
    const rows = flattenJobErrors(status.errors)
    const cancelled = status.jobResult === 'cancelled'
    const message = cancelled
      ? `Configure job ${status.jobId} (${what}) was cancelled before it finished; nothing was applied.`
      : `Configure job ${status.jobId} (${what}) failed${rows.length ? ` with ${rows.length} error(s):\n${jobErrorLines(rows)}` : ' without saying why.'}`
    super(message, { hint: cancelled ? 'Run the command again to apply the changes.' : hintFor(rows) })
    this.name = 'JobFailedError'
    this.rows = rows
    const sections: Section[] = [{ text: message.split('\n')[0] }]
    if (rows.length) sections.push({ heading: 'Errors', table: jobErrorTable(rows) })
    this.report = {
      title: `Configure job ${cancelled ? 'cancelled' : 'failed'}`,
      outputs: {
        ...outputs,
        'job-id': status.jobId,
        'job-status': status.jobStatus,
        'job-result': status.jobResult
      },
      sections
    }
  }
}
