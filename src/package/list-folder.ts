import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../errors.js'
import { IGNORE_FILE, parseIgnoreRules, type IgnoreRules } from './ignore.js'
import { MAX_PACKAGE_ENTRIES } from './limits.js'

export interface FolderFile {
  absolutePath: string
  /** Path inside the zip: relative to the folder, `/`-separated. */
  zipPath: string
  sizeBytes: number
}

export interface FolderListing {
  /** What goes into the zip, sorted by zip path. */
  files: FolderFile[]
  /** What was left out (dotfiles, `.git/`, OS litter, the ignore file's patterns); folders end in `/`. */
  leftOut: string[]
}

/**
 * Every regular file under `root` that belongs in the package, sorted by zip path so that the zip
 * built from it does not depend on the order the file system happens to list directories in.
 *
 * A symbolic link to a file inside the folder is followed (its content is packaged). A link that
 * leads outside the folder is refused, whatever it points at: packaging it would upload a file the
 * user never meant to publish (`~/.ssh/id_rsa`, the runner's credentials). Links to folders are
 * refused too: following them can loop.
 */
export async function listFolderFiles(
  root: string,
  input: string,
  maxEntries = MAX_PACKAGE_ENTRIES
): Promise<FolderListing> {
  const realRoot = await realpath(root)
  const rules = await readIgnoreRules(root, input)
  const listing: FolderListing = { files: [], leftOut: [] }
  await walk({ realRoot, input, rules, listing, maxEntries }, root, '')
  // Plain code-unit order, not localeCompare: the order must not depend on the runner's locale.
  listing.files.sort((a, b) => (a.zipPath < b.zipPath ? -1 : a.zipPath > b.zipPath ? 1 : 0))
  listing.leftOut.sort()
  return listing
}

interface Walk {
  realRoot: string
  input: string
  rules: IgnoreRules
  listing: FolderListing
  maxEntries: number
}

async function walk(context: Walk, dir: string, prefix: string): Promise<void> {
  const { input, listing } = context
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    const absolutePath = path.join(dir, entry.name)
    const zipPath = prefix + entry.name
    if (context.rules.ignores(zipPath, entry.isDirectory())) {
      listing.leftOut.push(entry.isDirectory() ? `${zipPath}/` : zipPath)
      continue
    }
    if (entry.isDirectory()) {
      await walk(context, absolutePath, `${zipPath}/`)
      continue
    }
    if (entry.isSymbolicLink()) {
      // The zip reads the target itself, so a link swapped after this check changes nothing.
      const target = await linkedFile(context, absolutePath, zipPath)
      addFile(context, { absolutePath: target.path, zipPath, sizeBytes: target.sizeBytes }, input)
    } else if (entry.isFile()) {
      addFile(context, { absolutePath, zipPath, sizeBytes: (await lstat(absolutePath)).size }, input)
    } else {
      throw new InputError(
        input,
        `'${zipPath}' in the package folder is not a regular file.`,
        'Remove sockets, pipes and device files from the package folder.'
      )
    }
  }
}

/** The real path and size of the file a link leads to, once it is known to stay inside the folder. */
async function linkedFile(
  context: Walk,
  absolutePath: string,
  zipPath: string
): Promise<{ path: string; sizeBytes: number }> {
  const target = await realpath(absolutePath).catch(() => undefined)
  if (target === undefined) {
    throw new InputError(
      context.input,
      `'${zipPath}' in the package folder is a symbolic link to nothing (a broken link).`,
      'Replace the link with the file itself, or remove it.'
    )
  }
  if (!isInside(context.realRoot, target)) {
    throw new InputError(
      context.input,
      `'${zipPath}' in the package folder is a symbolic link that leads outside the folder; its target is not packaged.`,
      'Copy the file into the package folder instead of linking to it, or remove the link.'
    )
  }
  const info = await stat(target)
  if (info.isFile()) return { path: target, sizeBytes: info.size }
  throw new InputError(
    context.input,
    `'${zipPath}' in the package folder is a symbolic link to ${info.isDirectory() ? 'a folder' : 'something that is not a regular file'}.`,
    'Replace the link with the files themselves, or remove it; links to folders are not followed.'
  )
}

function addFile({ listing, maxEntries }: Walk, file: FolderFile, input: string): void {
  if (listing.files.length >= maxEntries) {
    throw new InputError(
      input,
      `the package folder holds more than ${maxEntries} files.`,
      `Leave build output and dependencies out of the package folder, or list them in its ${IGNORE_FILE}.`
    )
  }
  listing.files.push(file)
}

/** Whether `target` (a real path) is `root` or below it. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  )
}

async function readIgnoreRules(root: string, input: string): Promise<IgnoreRules> {
  const file = path.join(root, IGNORE_FILE)
  const info = await lstat(file).catch(() => undefined)
  if (!info) return parseIgnoreRules('')
  if (!info.isFile()) {
    throw new InputError(
      input,
      `'${IGNORE_FILE}' in the package folder is not a regular file.`,
      `Make ${IGNORE_FILE} a plain text file of patterns, one a line (a link is not followed).`
    )
  }
  return parseIgnoreRules(await readFile(file, 'utf8'))
}
