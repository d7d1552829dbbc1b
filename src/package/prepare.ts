import { mkdtemp, rm, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InputError } from '../errors.js'
import type { FileChecksums } from '../blob/checksums.js'
import { digestFile } from './digest.js'
import {
  MAX_PACKAGE_BYTES,
  MAX_PACKAGE_ENTRIES,
  MAX_TEMPLATE_BYTES,
  REQUIRED_ROOT_FILES,
  formatBytes
} from './limits.js'
import { IGNORE_FILE } from './ignore.js'
import { listFolderFiles } from './list-folder.js'
import { readZip, TooManyEntriesError, ZipReadError } from './read-zip.js'
import { checkEntries, checkTemplates, type PackageSource } from './validate.js'
import { zipFolder } from './zip-folder.js'

interface Limits {
  maxBytes: number
  maxEntries: number
}

/** The input every message here names. */
const INPUT = 'package-path'

export interface PreparedPackage {
  /** The zip to upload: the input file, or a temporary zip built from a folder. */
  filePath: string
  /** Name to give Partner Center, e.g. 'app.zip' (a folder gives '<folder-name>.zip'). */
  fileName: string
  sizeBytes: number
  /** Hex. */
  sha256: string
  /** Base64, for Content-MD5 / x-ms-blob-content-md5. */
  md5Base64: string
  /** Whole-file and per-block MD5s for the upload, made in the same pass as the SHA-256. */
  checksums: FileChecksums
  fromFolder: boolean
  /** File entries in the zip (folder entries not counted). */
  entries: number
  /** Every file entry of the zip, in zip order, with its uncompressed size: what is published. */
  contents: PackageEntry[]
  /** What a folder package left out (dotfiles, `.git/`, OS litter, `.partnercenterignore`); folders end in `/`. */
  leftOut: string[]
  /** Removes the temporary zip built from a folder; does nothing for a zip given as input. */
  cleanup(): Promise<void>
}

export interface PackageEntry {
  name: string
  sizeBytes: number
}

export interface PrepareOptions {
  /** Largest zip accepted; default Partner Center's 1 GiB. */
  maxBytes?: number
  /** Most file entries accepted; default MAX_PACKAGE_ENTRIES. */
  maxEntries?: number
  /** Where a folder's zip is written; default RUNNER_TEMP, else the OS temp folder. */
  workDir?: string
}

/**
 * Turns the `package-path` input into a checked zip ready to upload. Runs before any write to
 * Partner Center, so a bad package fails the run at once and changes nothing.
 */
export async function preparePackage(
  packagePath: string,
  options: PrepareOptions = {}
): Promise<PreparedPackage> {
  const limits: Limits = {
    maxBytes: options.maxBytes ?? MAX_PACKAGE_BYTES,
    maxEntries: options.maxEntries ?? MAX_PACKAGE_ENTRIES
  }
  if (!packagePath.trim()) {
    throw new InputError(INPUT, 'is empty.', 'Give the path of the package .zip, or of a folder to zip.')
  }
  const resolved = path.resolve(packagePath)
  const info = await statOrUndefined(resolved)
  if (!info) {
    throw new InputError(
      INPUT,
      `'${packagePath}' does not exist (resolved to '${resolved}').`,
      'Build the package in an earlier step, and give its path relative to the workspace.'
    )
  }
  if (info.isDirectory()) return prepareFolder(packagePath, resolved, limits, options.workDir)
  if (info.isFile()) return prepareZipFile(packagePath, resolved, info.size, limits)
  throw new InputError(
    INPUT,
    `'${packagePath}' is neither a file nor a folder.`,
    'Give a .zip file or a folder.'
  )
}

async function prepareZipFile(
  packagePath: string,
  filePath: string,
  sizeBytes: number,
  { maxBytes, maxEntries }: Limits
): Promise<PreparedPackage> {
  if (path.extname(filePath).toLowerCase() !== '.zip') {
    throw new InputError(
      INPUT,
      `'${packagePath}' is not a .zip file.`,
      'Give the Azure Application package (.zip), or a folder holding mainTemplate.json and createUiDefinition.json to zip.'
    )
  }
  if (sizeBytes === 0) {
    throw new InputError(
      INPUT,
      `'${packagePath}' is an empty file.`,
      'Check the step that builds the package.'
    )
  }
  if (sizeBytes > maxBytes) throw tooLarge(packagePath, sizeBytes, maxBytes, false)
  const contents = await inspectZip(packagePath, filePath, { kind: 'zip' }, maxEntries)
  const digest = await digestFile(filePath)
  return {
    filePath,
    fileName: path.basename(filePath),
    ...digest,
    fromFolder: false,
    entries: contents.length,
    contents,
    leftOut: [],
    cleanup: async () => undefined
  }
}

async function prepareFolder(
  packagePath: string,
  folder: string,
  { maxBytes, maxEntries }: Limits,
  workDir: string | undefined
): Promise<PreparedPackage> {
  const { files, leftOut } = await listFolderFiles(folder, INPUT, maxEntries)
  if (files.length === 0) {
    throw new InputError(
      INPUT,
      `the folder '${packagePath}' holds no files${leftOut.length ? ` to package (left out: ${leftOut.slice(0, 5).join(', ')}${leftOut.length > 5 ? ', …' : ''})` : ''}.`,
      `Put mainTemplate.json, createUiDefinition.json and the rest of the package in it${leftOut.length ? `; dotfiles and names matched by ${IGNORE_FILE} are left out` : ''}.`
    )
  }
  const source: PackageSource = { kind: 'folder', folder: packagePath }
  // The names are known before zipping: fail on a missing root file without writing anything.
  checkEntries(
    INPUT,
    files.map(file => ({ name: file.zipPath, isDirectory: false, uncompressedSize: file.sizeBytes })),
    source
  )

  const tempDir = await mkdtemp(path.join(workDir ?? process.env.RUNNER_TEMP ?? os.tmpdir(), 'pcp-package-'))
  const cleanup = async (): Promise<void> => rm(tempDir, { recursive: true, force: true })
  try {
    const fileName = `${path.basename(folder) || 'package'}.zip`
    const filePath = path.join(tempDir, fileName)
    const digest = await zipFolder(files, filePath, maxBytes, bytes =>
      tooLarge(packagePath, bytes, maxBytes, true)
    )
    // Read back through the same checks as a user's zip: what is validated is what is uploaded.
    const contents = await inspectZip(packagePath, filePath, source, maxEntries)
    return {
      filePath,
      fileName,
      ...digest,
      fromFolder: true,
      entries: contents.length,
      contents,
      leftOut,
      cleanup
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

/** Lists and checks the zip, and parses the two required files; returns the file entries. */
async function inspectZip(
  packagePath: string,
  zipPath: string,
  source: PackageSource,
  maxEntries: number
): Promise<PackageEntry[]> {
  let listing
  try {
    listing = await readZip(zipPath, REQUIRED_ROOT_FILES, MAX_TEMPLATE_BYTES, maxEntries)
  } catch (error) {
    if (error instanceof TooManyEntriesError) {
      throw new InputError(
        INPUT,
        `'${packagePath}' holds ${error.entryCount} entries; a package may hold at most ${maxEntries}.`,
        'Leave build output and dependencies out of the package; an Azure Application package holds templates and a few scripts.'
      )
    }
    if (!(error instanceof ZipReadError)) throw error
    throw new InputError(
      INPUT,
      `'${packagePath}' cannot be opened as a zip: ${error.message}.`,
      'Check that the file is a complete, unencrypted .zip (not truncated by an upload or a failed build step).'
    )
  }
  checkEntries(INPUT, listing.entries, source)
  checkTemplates(INPUT, listing.contents)
  return listing.entries
    .filter(entry => !entry.isDirectory)
    .map(entry => ({ name: entry.name, sizeBytes: entry.uncompressedSize }))
}

function tooLarge(packagePath: string, sizeBytes: number, maxBytes: number, partial: boolean): InputError {
  const size = partial ? `more than ${formatBytes(maxBytes)} once zipped` : formatBytes(sizeBytes)
  return new InputError(
    INPUT,
    `'${packagePath}' is ${size}; Partner Center accepts Azure Application packages up to ${formatBytes(maxBytes)}.`,
    'Leave build output, tests and large artifacts out of the package; deploy big files from storage referenced by the template instead.'
  )
}

async function statOrUndefined(filePath: string): Promise<Stats | undefined> {
  try {
    return await stat(filePath)
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return undefined
    }
    throw error
  }
}
