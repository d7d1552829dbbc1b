/**
 * What a folder package leaves out: version-control folders, dotfiles and operating-system litter
 * by default, and whatever the folder's own `.partnercenterignore` names. A folder checked out
 * from git holds `.git/` (the whole history, sometimes credentials in `.git/config`); none of that
 * belongs in a marketplace package that customers can download.
 */

import { globToRegExp } from '../files/glob.js'

/** The ignore file read from the root of a package folder. */
export const IGNORE_FILE = '.partnercenterignore'

/** Never packaged, whatever the ignore file says: version control and the ignore file itself. */
const ALWAYS_LEFT_OUT = new Set(['.git', '.hg', '.svn', IGNORE_FILE])

/** Operating-system litter without a leading dot. */
const LITTER = new Set(['Thumbs.db', 'ehthumbs.db', 'desktop.ini', '__MACOSX'])

interface Rule {
  /** `!pattern`: brings back what an earlier rule (or a default) left out. */
  negated: boolean
  /** A pattern ending in `/` matches folders only. */
  foldersOnly: boolean
  /** Tested against the whole relative path (anchored rules) or against the last segment only. */
  anchored: boolean
  regexp: RegExp
}

export interface IgnoreRules {
  /** Whether a path (relative, `/`-separated, without trailing `/`) is left out of the package. */
  ignores(relativePath: string, isFolder: boolean): boolean
}

/**
 * Parses an ignore file: gitignore's simple subset. One pattern a line; blank lines and lines
 * starting with `#` are skipped. `*` matches within a name, `?` one character, `**` any number of
 * folders. A pattern with a `/` other than at its end is relative to the package folder; one
 * without matches a name at any depth. A trailing `/` matches folders only. `!pattern` brings back
 * a path an earlier line (or a default rule) left out. The last matching line wins. A folder that
 * is left out is not read at all, so nothing inside it can be brought back.
 */
export function parseIgnoreRules(text: string): IgnoreRules {
  const rules: Rule[] = []
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/\s+$/, '')
    if (!line || line.startsWith('#')) continue
    const negated = line.startsWith('!')
    if (negated) line = line.slice(1)
    const foldersOnly = line.endsWith('/')
    line = line.replace(/\/+$/, '')
    const anchored = line.includes('/')
    line = line.replace(/^\/+/, '')
    if (!line) continue
    rules.push({ negated, foldersOnly, anchored, regexp: globToRegExp(line) })
  }
  return {
    ignores(relativePath: string, isFolder: boolean): boolean {
      const name = relativePath.slice(relativePath.lastIndexOf('/') + 1)
      if (ALWAYS_LEFT_OUT.has(name)) return true
      let ignored = name.startsWith('.') || LITTER.has(name)
      for (const rule of rules) {
        if (rule.foldersOnly && !isFolder) continue
        if (rule.regexp.test(rule.anchored ? relativePath : name)) ignored = !rule.negated
      }
      return ignored
    }
  }
}
