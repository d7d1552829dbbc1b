/**
 * Files the action writes for the user (`output-path`): only inside the workspace or the runner's
 * temp folder, never through a symbolic link, and an overwrite is said in the log.
 */
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError } from '../errors.js'
import { log } from '../log.js'
import { confinedPath } from './workspace.js'

/**
 * `path` resolved, checked before anything is requested or written: inside the workspace (or the
 * runner's temp folder), links in its folders resolved, and not itself a link or a folder.
 */
export function checkOutputPath(input: string, path: string, cwd = process.cwd()): string {
  const absolute = confinedPath(input, path, cwd)
  const info = lstatOrUndefined(absolute)
  if (info?.isSymbolicLink()) {
    throw new InputError(
      input,
      `'${path}' is a symbolic link; the action does not write through links.`,
      'Give the path of a regular file (it is created or replaced).'
    )
  }
  if (info && !info.isFile()) {
    throw new InputError(
      input,
      `'${path}' exists and is not a regular file.`,
      'Give the path of a file to write.'
    )
  }
  return absolute
}

/**
 * Writes `content` to a path that passed checkOutputPath. The check runs again at write time (a
 * folder or a link may have appeared meanwhile), and the file is opened with O_NOFOLLOW, so the
 * write itself cannot be diverted through a link put in its place.
 */
export function writeOutputFile(input: string, absolute: string, content: string): void {
  mkdirSync(dirname(absolute), { recursive: true })
  checkOutputPath(input, absolute)
  const existed = existsSync(absolute)
  const fd = openSync(
    absolute,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o644
  )
  try {
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
  if (existed) log.info(`Replaced the existing file ${absolute}.`)
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}
