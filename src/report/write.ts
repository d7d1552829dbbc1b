import * as core from '@actions/core'
import { redact } from '../http/redact.js'
import { log } from '../log.js'
import { renderMarkdown } from './markdown.js'
import type { Report } from './report.js'

/** GitHub allows 1 MiB of outputs per job; one output over this is cut and flagged. */
export const OUTPUT_BYTE_LIMIT = 512 * 1024

/** Sets every output and writes the job summary. Safe without GITHUB_STEP_SUMMARY (local runs). */
export async function writeReport(
  report: Report,
  failure?: { message: string; hint?: string }
): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) {
    if (value === undefined) continue
    // String(): a server may send a number where an ID belongs.
    core.setOutput(name, redact(String(value)))
  }
  const markdown = renderMarkdown(report, failure)
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(markdown).write()
  } else {
    // A local run: the summary goes to the log, through the logger that neutralises its lines.
    log.info(markdown)
  }
}
