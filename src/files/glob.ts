/**
 * `config-path` globs: `*` (any characters but `/`), `**` (any number of folders), `?` (one
 * character). Small on purpose: a glob library would cost more bundle than these forty lines, and
 * users write patterns like `marketplace/**\/*.yaml`. Matches are sorted so the request order, and
 * therefore the job, is the same on every run.
 */
import { readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import { confinedPath } from './workspace.js'

const MAGIC = /[*?]/
/** Folders never worth descending into when a pattern says `**`. */
const SKIPPED = new Set(['.git', 'node_modules'])

export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern)
}

/** `*.y?ml` → a RegExp over `/`-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      if (pattern[i + 2] === '/') {
        source += '(?:[^/]+/)*'
        i += 2
      } else {
        source += '.*'
        i += 1
      }
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/**
 * The files a pattern names, as absolute paths. A pattern without wildcards names one path, returned
 * whether or not it exists (the caller reports a missing file with its name). Every path, and the
 * folder a pattern starts from, must lead inside the workspace (or the runner's temp folder), or an
 * InputError names `input`. The walk never follows a symbolic link to a folder, so a link loop
 * (`a -> .`) cannot make it walk forever; a link to a file is taken only when it leads inside.
 */
export function expandGlob(pattern: string, cwd: string, input: string): string[] {
  const normalized = pattern.split(sep).join('/')
  if (!hasMagic(normalized)) return [confinedPath(input, pattern, cwd)]
  const segments = normalized.split('/')
  const firstMagic = segments.findIndex(segment => hasMagic(segment))
  const fixed = segments.slice(0, firstMagic).join('/')
  const base = confinedPath(input, isAbsolute(normalized) ? fixed || '/' : fixed || '.', cwd)
  const matcher = globToRegExp(segments.slice(firstMagic).join('/'))
  const deep =
    segments.slice(firstMagic).some(segment => segment.includes('**')) || firstMagic < segments.length - 1
  const found: string[] = []
  walk(base, deep, file => {
    if (matcher.test(relative(base, file).split(sep).join('/'))) found.push(confinedPath(input, file, cwd))
  })
  return found.sort()
}

function walk(folder: string, deep: boolean, visit: (file: string) => void): void {
  let entries
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) {
      if (deep && !SKIPPED.has(entry.name)) walk(path, deep, visit)
    } else if (entry.isFile()) visit(path)
    else if (entry.isSymbolicLink()) {
      // Followed to a file only; a link to a folder is not descended into (loops, escapes).
      let target
      try {
        target = statSync(path)
      } catch {
        continue
      }
      if (target.isFile()) visit(path)
    }
  }
}
