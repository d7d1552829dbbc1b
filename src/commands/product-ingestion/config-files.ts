/**
 * `config-path`: JSON or YAML files of Product Ingestion resources (desired state). A file holds a
 * list of resources, a whole configure body (`{"$schema": ".../configure/...", "resources": [...]}`),
 * or one resource. Every problem (syntax, schema, references) is collected with its file, JSON path
 * and line before anything is sent, so one run shows them all.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import { InputError } from '../../errors.js'
import { log } from '../../log.js'
import { expandGlob, hasMagic } from '../../files/glob.js'
import { dataFormatOf, parseData, type TextPosition } from '../../files/data-file.js'
import { formatPath, type JsonPath } from '../../files/json-schema.js'
import { parseSchemaUri } from '../../product-ingestion/schemas.js'
import type { PiResource } from '../../product-ingestion/types.js'
import { substitutePlaceholders } from './placeholders.js'
import { validateResources } from './validate-resources.js'

export interface ConfigProblem {
  /** Relative to the workspace, as annotations want it. */
  file: string
  line?: number
  column?: number
  /** JSON path inside the file, e.g. `resources[2].identity.externalId`. */
  path: string
  message: string
}

export interface ConfigSource {
  file: string
  locate(path: JsonPath): TextPosition | undefined
}

export interface LoadedResource {
  resource: unknown
  source: ConfigSource
  /** Where the resource is in its file: `[3]` or `['resources', 3]`. */
  path: JsonPath
}

export interface LoadedConfiguration {
  files: string[]
  resources: LoadedResource[]
}

/** Bad configuration: carries every problem, for one annotation each. */
export class ConfigError extends InputError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'config-path',
      `${problems.length} problem(s) in the configuration:\n${problems.map(p => `  ${formatProblem(p)}`).join('\n')}`,
      'Fix the files and run again; nothing was sent to Partner Center. Export the offer (`command: export`) for a valid starting point.'
    )
    this.name = 'ConfigError'
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line
    ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}`
    : problem.file
  return `${where}: ${problem.path}: ${problem.message}`
}

/**
 * One `::error file=…,line=…` annotation per problem, so that each lands on its line in the pull
 * request's diff view, besides the one error the run reports.
 */
export function annotateProblems(problems: ConfigProblem[]): void {
  for (const problem of problems) {
    log.annotate(`${problem.path}: ${problem.message}`, {
      title: 'Invalid Product Ingestion resource',
      file: problem.file,
      line: problem.line,
      column: problem.column
    })
  }
}

/** Reads and checks every file; throws ConfigError listing all problems, or InputError for a missing file. */
export function loadConfiguration(
  patterns: string[],
  cwd = process.cwd(),
  placeholders: Readonly<Record<string, string>> = {}
): LoadedConfiguration {
  if (patterns.length === 0)
    throw new InputError(
      'config-path',
      'is required for `command: configure`: one or more JSON or YAML files of resources.'
    )
  const workspace = process.env.GITHUB_WORKSPACE || cwd
  const files: string[] = []
  for (const pattern of patterns) {
    const matches = expandGlob(pattern, cwd, 'config-path')
    if (hasMagic(pattern) && matches.length === 0)
      throw new InputError('config-path', `'${pattern}' matches no file (in ${cwd}).`)
    for (const file of matches) {
      if (!existsSync(file) || !statSync(file).isFile())
        throw new InputError('config-path', `'${pattern}' is not a file (looked for ${file}).`)
      if (!files.includes(file)) files.push(file)
    }
  }
  const problems: ConfigProblem[] = []
  const resources: LoadedResource[] = []
  for (const file of files) {
    const display = relative(workspace, file) || file
    const parsed = parseFile(file, display, problems)
    if (!parsed) continue
    // `${{ version }}` and the like stand for this release (placeholders.ts); an unknown one is located.
    const substituted = substitutePlaceholders(parsed.value, placeholders)
    for (const problem of substituted.problems) {
      const position = parsed.source.locate(problem.path)
      problems.push({
        file: parsed.source.file,
        line: position?.line,
        column: position?.column,
        path: formatPath(problem.path),
        message: problem.message
      })
    }
    collectResources(substituted.value, parsed.source, resources, problems)
  }
  if (problems.length === 0 && resources.length === 0) {
    throw new InputError(
      'config-path',
      `${files.map(f => relative(workspace, f)).join(', ')} hold(s) no resources.`
    )
  }
  if (problems.length === 0) problems.push(...checkResources(resources))
  if (problems.length) throw new ConfigError(problems)
  return { files, resources }
}

/** Schema and reference problems of the loaded resources, located in their files. */
export function checkResources(resources: LoadedResource[]): ConfigProblem[] {
  return validateResources(resources.map(r => r.resource)).map(problem => {
    const loaded = resources[problem.resource]
    const path = [...loaded.path, ...problem.path]
    const position = loaded.source.locate(path)
    return {
      file: loaded.source.file,
      line: position?.line,
      column: position?.column,
      path: formatPath(path),
      message: problem.message
    }
  })
}

/**
 * What is sent: the resources as written, minus `validations` (read-only: the service's findings on
 * an exported resource; it rejects them on input).
 */
export function resourcesToSend(loaded: LoadedResource[]): PiResource[] {
  return loaded.map(({ resource }) => {
    const { validations: _validations, ...rest } = resource as PiResource
    void _validations
    return rest as PiResource
  })
}

function parseFile(
  file: string,
  display: string,
  problems: ConfigProblem[]
): { value: unknown; source: ConfigSource } | undefined {
  const format = dataFormatOf(file)
  if (!format) {
    problems.push({
      file: display,
      path: '(file)',
      message: 'is neither JSON (.json) nor YAML (.yaml, .yml)'
    })
    return undefined
  }
  const parsed = parseData(readFileSync(file, 'utf8'), format)
  if (!parsed.ok) {
    for (const problem of parsed.problems) problems.push({ file: display, path: '(file)', ...problem })
    return undefined
  }
  return { value: parsed.data.value, source: { file: display, locate: parsed.data.locate } }
}

function collectResources(
  value: unknown,
  source: ConfigSource,
  into: LoadedResource[],
  problems: ConfigProblem[]
): void {
  const problem = (path: JsonPath, message: string): void => {
    const position = source.locate(path)
    problems.push({
      file: source.file,
      line: position?.line,
      column: position?.column,
      path: formatPath(path),
      message
    })
  }
  if (Array.isArray(value)) {
    value.forEach((resource, i) => into.push({ resource, source, path: [i] }))
    return
  }
  if (value && typeof value === 'object') {
    const body = value as Record<string, unknown>
    if ('resources' in body) {
      const ref = parseSchemaUri(body.$schema)
      if (body.$schema !== undefined && ref?.type !== 'configure') {
        problem(
          ['$schema'],
          `${JSON.stringify(body.$schema)} is not a configure schema URI (e.g. https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2)`
        )
      }
      if (!Array.isArray(body.resources)) {
        problem(['resources'], 'must be a list of resources')
        return
      }
      body.resources.forEach((resource, i) => into.push({ resource, source, path: ['resources', i] }))
      return
    }
    if ('$schema' in body) {
      into.push({ resource: body, source, path: [] })
      return
    }
  }
  problem(
    [],
    'must be a list of resources, a configure body ({"$schema": ".../configure/...", "resources": [...]}) or one resource'
  )
}
