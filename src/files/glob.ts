/**
 * `config-path` globs: `*` (any characters but `/`), `**` (any number of folders), `?` (one
 * character). Small on purpose: a glob library would cost more bundle than these forty lines, and
 * users write patterns like `marketplace/**\/*.yaml`. Matches are sorted so the request order, and
 * therefore the job, is the same on every run.
 */
import { readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

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
 * whether or not it exists (the caller reports a missing file with its name).
 */
export function expandGlob(pattern: string, cwd: string): string[] {
  const normalized = pattern.split(sep).join('/')
  if (!hasMagic(normalized)) return [resolve(cwd, pattern)]
  const segments = normalized.split('/')
  const firstMagic = segments.findIndex(segment => hasMagic(segment))
  const fixed = segments.slice(0, firstMagic).join('/')
  const base = isAbsolute(normalized) ? fixed || '/' : resolve(cwd, fixed || '.')
  const matcher = globToRegExp(segments.slice(firstMagic).join('/'))
  const deep =
    segments.slice(firstMagic).some(segment => segment.includes('**')) || firstMagic < segments.length - 1
  const found: string[] = []
  walk(base, deep, file => {
    if (matcher.test(relative(base, file).split(sep).join('/'))) found.push(file)
  })
  return found.sort()
}

function walk(folder: string, deep: boolean, visit: (file: string) => void): void {
  let entries: string[]
  try {
    entries = readdirSync(folder)
  } catch {
    return
  }
  for (const name of entries.sort()) {
    const path = join(folder, name)
    let isDirectory: boolean
    try {
      isDirectory = statSync(path).isDirectory()
    } catch {
      continue
    }
    if (isDirectory) {
      if (deep && !SKIPPED.has(name)) walk(path, deep, visit)
    } else visit(path)
  }
}
