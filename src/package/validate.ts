import { InputError } from '../errors.js'
import {
  CREATE_UI_DEFINITION,
  MAIN_TEMPLATE,
  MAX_TEMPLATE_BYTES,
  REQUIRED_ROOT_FILES,
  formatBytes
} from './limits.js'
import { findJsonError } from '../files/json-syntax.js'
import type { ZipEntryContent, ZipEntryInfo } from './read-zip.js'

/**
 * The rules an Azure Application package must meet before it is uploaded (Partner Center checks
 * them only after upload and processing, minutes later, with vaguer messages). Each failure is an
 * InputError naming the input, saying what is wrong and how to fix it.
 */

/** Where the zip came from, to word the fix: a user's zip is rebuilt, a folder is pointed elsewhere. */
export type PackageSource = { kind: 'zip' } | { kind: 'folder'; folder: string }

/** How many unsafe or duplicate names to quote in one message before "and N more". */
const QUOTE_LIMIT = 5

/** Checks the entry names; returns the number of file (non-folder) entries. */
export function checkEntries(input: string, entries: ZipEntryInfo[], source: PackageSource): number {
  const files = entries.filter(entry => !entry.isDirectory)
  if (files.length === 0) {
    throw new InputError(
      input,
      'the zip holds no files.',
      'Build the package with mainTemplate.json and createUiDefinition.json at its root.'
    )
  }

  const unsafe = entries.map(entry => entry.name).filter(isUnsafeName)
  if (unsafe.length > 0) {
    throw new InputError(
      input,
      `the zip has entries with absolute paths or '..' segments, which could be written outside the folder they are extracted to (zip-slip): ${quote(unsafe)}.`,
      'Rebuild the zip from inside the package folder so that every entry path is relative, e.g. `cd package && zip -r ../app.zip .`.'
    )
  }

  const clashes = findClashes(files.map(file => file.name))
  if (clashes.length > 0) {
    throw new InputError(
      input,
      `the zip holds entries that name the same file: ${clashes.map(group => group.map(name => `'${name}'`).join(' and ')).join('; ')}. Which one is used depends on the tool that extracts it (names that differ only in case are one file on Windows and macOS, and './' names the folder itself).`,
      source.kind === 'zip'
        ? 'Rebuild the zip from a clean folder instead of appending to an existing zip, and keep one spelling of each name.'
        : 'Keep one spelling of each file name in the package folder.'
    )
  }
  const seen = new Set(files.map(file => file.name))

  const problems = REQUIRED_ROOT_FILES.filter(name => !seen.has(name)).map(name =>
    missingRootFile(name, files, source)
  )
  if (problems.length > 0) {
    throw new InputError(input, problems.join(' '), rootFileHint(source, problems))
  }
  return files.length
}

/** Parses the two required files and checks the shape Partner Center relies on. */
export function checkTemplates(input: string, contents: Map<string, ZipEntryContent>): void {
  const main = parseEntry(input, contents, MAIN_TEMPLATE)
  if (!isObject(main)) {
    throw new InputError(
      input,
      `${MAIN_TEMPLATE} is not a JSON object.`,
      'It must be an ARM deployment template.'
    )
  }
  const missing = [
    typeof main.$schema !== 'string' ? '"$schema"' : undefined,
    // An array in classic templates; an object of symbolic names with languageVersion 2.0.
    typeof main.resources !== 'object' || main.resources === null ? '"resources"' : undefined
  ].filter((field): field is string => field !== undefined)
  if (missing.length > 0) {
    throw new InputError(
      input,
      `${MAIN_TEMPLATE} has no ${missing.join(' and no ')}; Partner Center rejects ARM templates without them.`,
      'Start from a template that has "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#" and a "resources" array.'
    )
  }
  const ui = parseEntry(input, contents, CREATE_UI_DEFINITION)
  if (!isObject(ui)) {
    throw new InputError(
      input,
      `${CREATE_UI_DEFINITION} is not a JSON object.`,
      'It must be a createUiDefinition document with "$schema", "handler", "version" and "parameters".'
    )
  }
}

function parseEntry(input: string, contents: Map<string, ZipEntryContent>, name: string): unknown {
  const content = contents.get(name)
  // checkEntries ran first, so the entry exists; a missing one here would be a bug in the caller.
  if (!content) throw new InputError(input, `${name} is not at the root of the zip.`)
  if (!content.data) {
    throw new InputError(
      input,
      `${name} is ${formatBytes(content.uncompressedSize)}, more than the ${formatBytes(MAX_TEMPLATE_BYTES)} allowed for it.`,
      'Check that the right file was packaged; a real template is far smaller.'
    )
  }
  // A UTF-8 byte order mark is common in files saved by Windows editors, and harmless.
  const text = content.data.toString('utf8').replace(/^\uFEFF/, '')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(
      input,
      `${name} is not valid JSON: ${describeJsonError(error, text)}.`,
      `Fix ${name} (e.g. check it with \`jq . ${name}\`) and build the package again.`
    )
  }
}

/** Where and why JSON.parse failed, in words a user can act on. */
function describeJsonError(error: unknown, text: string): string {
  const where = findJsonError(text)
  if (where)
    return `unexpected ${where.found} at line ${where.line}, column ${where.column} (character ${where.offset})`
  // Not found by the scanner (too deeply nested): JSON.parse's own words, first line only.
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}

function missingRootFile(name: string, files: ZipEntryInfo[], source: PackageSource): string {
  const lower = name.toLowerCase()
  const rootOtherCase = files.find(file => !file.name.includes('/') && file.name.toLowerCase() === lower)
  if (rootOtherCase) {
    return `'${rootOtherCase.name}' must be named exactly '${name}' (the name is case-sensitive).`
  }
  const nested = files.find(file => baseName(file.name).toLowerCase() === lower)
  if (nested) {
    const fix =
      source.kind === 'zip'
        ? "zip the folder's contents, not the folder"
        : `point package-path at the folder that holds it ('${joinFolder(source.folder, nested.name)}')`
    return `${name} is not at the root of the ${source.kind === 'zip' ? 'zip' : 'package folder'}: found at '${nested.name}'; ${fix}.`
  }
  return `${name} is not in the ${source.kind === 'zip' ? 'zip' : 'package folder'}; it must be at the root.`
}

function rootFileHint(source: PackageSource, problems: string[]): string {
  const nested = problems.some(problem => problem.includes('found at'))
  if (source.kind === 'folder') {
    return nested
      ? `Set package-path to the folder that holds ${MAIN_TEMPLATE} and ${CREATE_UI_DEFINITION}, not its parent.`
      : `Put ${MAIN_TEMPLATE} and ${CREATE_UI_DEFINITION} directly in '${source.folder}'.`
  }
  return nested
    ? `Zip from inside the package folder, e.g. \`cd package && zip -r ../app.zip .\`.`
    : `An Azure Application package needs ${MAIN_TEMPLATE} and ${CREATE_UI_DEFINITION} at the root of the zip.`
}

/** Absolute (`/x`, `C:x`) or climbing (`../x`, `a/../../x`) entry names. */
export function isUnsafeName(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true
  return name.split('/').includes('..')
}

/**
 * Groups of file entries that name the same file once `./` segments, repeated `/` and case are set
 * aside: `mainTemplate.json`, `./mainTemplate.json` and `MainTemplate.json` are one file to an
 * extractor on Windows or macOS, and which of them wins is undefined. Exact repeats count too.
 */
export function findClashes(names: string[]): string[][] {
  const groups = new Map<string, string[]>()
  for (const name of names) {
    const key = name
      .split('/')
      .filter(segment => segment !== '' && segment !== '.')
      .join('/')
      .toLowerCase()
    const group = groups.get(key)
    if (group) group.push(name)
    else groups.set(key, [name])
  }
  const clashes = [...groups.values()].filter(group => group.length > 1)
  return clashes.slice(0, QUOTE_LIMIT).map(group => group.slice(0, QUOTE_LIMIT))
}

/** The folder (as the user gave it) that holds a nested entry, for the suggested package-path. */
function joinFolder(folder: string, entryName: string): string {
  const parent = entryName.slice(0, entryName.lastIndexOf('/'))
  return `${folder.replace(/[\\/]+$/, '')}/${parent}`
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1)
}

function quote(names: string[]): string {
  const shown = names.slice(0, QUOTE_LIMIT).map(name => `'${name}'`)
  const more = names.length > QUOTE_LIMIT ? ` and ${names.length - QUOTE_LIMIT} more` : ''
  return shown.join(', ') + more
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
