/**
 * The folders the action reads files from and writes files to: the workspace (`GITHUB_WORKSPACE`)
 * and the runner's temp folder (`RUNNER_TEMP`); the working folder when neither is set (a local
 * run). A path is judged by where it really leads, links resolved, so that neither `../..`, an
 * absolute path nor a symbolic link takes a read or a write elsewhere on the runner (its
 * credentials, another job's files).
 */
import { lstatSync, realpathSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path'
import { InputError } from '../errors.js'

export function allowedRoots(cwd = process.cwd()): string[] {
  const roots = [process.env.GITHUB_WORKSPACE, process.env.RUNNER_TEMP].filter((r): r is string => !!r)
  return (roots.length ? roots : [cwd]).map(root => realPathOf(resolve(cwd, root)))
}

/** The real path of `target`: links resolved in its existing part, the missing rest appended. */
export function realPathOf(target: string): string {
  const missing: string[] = []
  let existing = target
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing.reverse())
    } catch {
      const parent = dirname(existing)
      if (parent === existing) return target
      missing.push(basename(existing))
      existing = parent
    }
  }
}

export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * `path` resolved against `cwd`, refused with an InputError naming `input` unless it really leads
 * inside the workspace or the runner's temp folder.
 */
export function confinedPath(input: string, path: string, cwd = process.cwd()): string {
  const absolute = resolve(cwd, path)
  const real = realPathOf(absolute)
  const roots = allowedRoots(cwd)
  if (!roots.some(root => isInside(root, real))) {
    throw new InputError(
      input,
      `'${path}' leads outside the workspace${real !== absolute ? ` (to '${real}', through a symbolic link)` : ''}.`,
      `Give a path inside the workspace (GITHUB_WORKSPACE) or the runner's temp folder (RUNNER_TEMP).`
    )
  }
  return absolute
}

/** Whether `path` itself (not what it points to) is a symbolic link. */
export function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}
