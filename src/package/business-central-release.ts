import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { InputError } from '../errors.js'
import { expandGlob, hasMagic } from '../files/glob.js'
import { readBusinessCentralApp, type BusinessCentralApp } from './business-central-app.js'
import { digestFile } from './digest.js'
import { MAX_PACKAGE_BYTES, formatBytes } from './limits.js'
import type { PreparedPackage } from './prepare.js'
import { zipFolder } from './zip-folder.js'

/**
 * The files of a Business Central release, found and read before anything is written: the main app
 * (`package-path`, a path or a glob matching exactly one file) and its library apps (`library-path`,
 * one path or glob a line; the main app is left out of the matches, so `build/*.app` names "every app
 * beside the main one", AL-Go's convention). One library app is uploaded as it is; several travel as
 * one `<main>.libraries.zip`, as BcContainerHelper sends them and the offer's single library slot
 * takes them (docs/partner-center-api.md §8).
 */
export interface BusinessCentralRelease {
  main: BusinessCentralApp
  libraries: BusinessCentralApp[]
  mainPackage: PreparedPackage
  /** Undefined when no library app was given. */
  libraryPackage?: PreparedPackage
  /** Removes the temporary libraries zip, if one was made. */
  cleanup(): Promise<void>
}

export interface ReleaseOptions {
  /** Globs are matched from here; default the working directory (the workspace on a runner). */
  cwd?: string
  /** Where the libraries zip is written; default RUNNER_TEMP, else the OS temp folder. */
  workDir?: string
}

export async function prepareBusinessCentralRelease(
  packagePath: string,
  libraryPaths: readonly string[],
  options: ReleaseOptions = {}
): Promise<BusinessCentralRelease> {
  const cwd = options.cwd ?? process.cwd()
  const mainPath = findMainApp(packagePath, cwd)
  const main = await readBusinessCentralApp(mainPath.absolute, 'package-path', mainPath.display, options)
  const libraries: BusinessCentralApp[] = []
  for (const file of findLibraries(libraryPaths, main.filePath, cwd)) {
    const library = await readBusinessCentralApp(file.absolute, 'library-path', file.display, options)
    if (library.id === main.id) {
      throw new InputError(
        'library-path',
        `'${file.display}' is the main app again (App Id ${library.id}, '${library.name}' ${library.version}).`,
        'Name only the library apps in `library-path`; the main app goes in `package-path`.'
      )
    }
    const twin = libraries.find(other => other.id === library.id)
    if (twin) {
      throw new InputError(
        'library-path',
        `'${file.display}' and '${twin.displayPath}' are the same app (App Id ${library.id}, '${library.name}').`,
        'Give each library app once.'
      )
    }
    libraries.push(library)
  }
  const mainPackage = await preparedFile(main.filePath)
  if (libraries.length === 0) return { main, libraries, mainPackage, cleanup: async () => undefined }
  if (libraries.length === 1) {
    return {
      main,
      libraries,
      mainPackage,
      libraryPackage: await preparedFile(libraries[0]!.filePath),
      cleanup: async () => undefined
    }
  }
  const names = new Map<string, BusinessCentralApp>()
  for (const library of libraries) {
    const clash = names.get(library.fileName.toLowerCase())
    if (clash) {
      throw new InputError(
        'library-path',
        `'${library.displayPath}' and '${clash.displayPath}' have the same file name, and the library apps are zipped side by side.`,
        'Rename one of them.'
      )
    }
    names.set(library.fileName.toLowerCase(), library)
  }
  const tempDir = await mkdtemp(
    path.join(options.workDir ?? process.env.RUNNER_TEMP ?? os.tmpdir(), 'pcp-libraries-')
  )
  const cleanup = async (): Promise<void> => rm(tempDir, { recursive: true, force: true })
  try {
    const fileName = `${path.basename(main.fileName, path.extname(main.fileName))}.libraries.zip`
    const filePath = path.join(tempDir, fileName)
    const files = libraries.map(library => ({
      absolutePath: library.filePath,
      zipPath: library.fileName,
      sizeBytes: library.sizeBytes
    }))
    const digest = await zipFolder(
      files,
      filePath,
      MAX_PACKAGE_BYTES,
      () =>
        new InputError(
          'library-path',
          `the library apps zip to more than ${formatBytes(MAX_PACKAGE_BYTES)}.`,
          'Leave apps out that the main app does not need.'
        )
    )
    return {
      main,
      libraries,
      mainPackage,
      libraryPackage: {
        filePath,
        fileName,
        ...digest,
        fromFolder: true,
        entries: files.length,
        contents: files.map(file => ({ name: file.zipPath, sizeBytes: file.sizeBytes })),
        leftOut: [],
        cleanup
      },
      cleanup
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

interface FoundFile {
  absolute: string
  /** Relative to the workspace, as messages show it. */
  display: string
}

function display(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute
}

function findMainApp(packagePath: string, cwd: string): FoundFile {
  const lines = packagePath
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(Boolean)
  if (lines.length !== 1) {
    throw new InputError(
      'package-path',
      `holds ${lines.length} lines; for a Business Central offer it names the main app only.`,
      'Give the main .app in `package-path`, and the library apps in `library-path` (one a line).'
    )
  }
  const pattern = lines[0]!
  if (!hasMagic(pattern)) return { absolute: path.resolve(cwd, pattern), display: pattern }
  const matches = expandGlob(pattern, cwd, 'package-path')
  if (matches.length !== 1) {
    throw new InputError(
      'package-path',
      matches.length === 0
        ? `'${pattern}' matches no file.`
        : `'${pattern}' matches ${matches.length} files (${matches
            .slice(0, 5)
            .map(m => `'${display(m, cwd)}'`)
            .join(', ')}${matches.length > 5 ? ', …' : ''}); it must match the main app only.`,
      'Make the pattern name the main app, e.g. `build/Contoso_Sales Tools_*.app` (AL-Go names apps <Publisher>_<Name>_<version>.app).'
    )
  }
  return { absolute: matches[0]!, display: display(matches[0]!, cwd) }
}

function findLibraries(patterns: readonly string[], mainApp: string, cwd: string): FoundFile[] {
  const found = new Map<string, FoundFile>()
  for (const pattern of patterns) {
    if (!hasMagic(pattern)) {
      const absolute = path.resolve(cwd, pattern)
      if (absolute !== mainApp && !found.has(absolute)) found.set(absolute, { absolute, display: pattern })
      continue
    }
    const matches = expandGlob(pattern, cwd, 'library-path')
    if (matches.length === 0) {
      throw new InputError(
        'library-path',
        `'${pattern}' matches no file.`,
        'Check the folder the build (or the artifact download) put the apps in.'
      )
    }
    for (const absolute of matches) {
      if (absolute === mainApp || found.has(absolute)) continue
      found.set(absolute, { absolute, display: display(absolute, cwd) })
    }
  }
  return [...found.values()]
}

async function preparedFile(filePath: string): Promise<PreparedPackage> {
  const digest = await digestFile(filePath)
  return {
    filePath,
    fileName: path.basename(filePath),
    ...digest,
    fromFolder: false,
    entries: 1,
    contents: [{ name: path.basename(filePath), sizeBytes: digest.sizeBytes }],
    leftOut: [],
    cleanup: async () => undefined
  }
}
