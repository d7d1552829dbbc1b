/**
 * One `::error file=…,line=…` annotation per configuration problem, so that each lands on its line
 * in the pull request's diff view, besides the one error main.ts reports for the run.
 */
import * as core from '@actions/core'
import { redact } from '../http/redact.js'
import type { ConfigProblem } from './config-files.js'

export function annotateProblems(problems: ConfigProblem[]): void {
  for (const problem of problems) {
    core.error(redact(`${problem.path}: ${problem.message}`), {
      title: 'Invalid Product Ingestion resource',
      file: problem.file,
      startLine: problem.line,
      startColumn: problem.column
    })
  }
}
