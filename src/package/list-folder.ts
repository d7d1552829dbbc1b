import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../errors.js'

export interface FolderFile {
  absolutePath: string
  /** Path inside the zip: relative to the folder, `/`-separated. */
  zipPath: string
  sizeBytes: number
}

/**
 * Every regular file under `root`, sorted by zip path so that the zip built from it does not depend
 * on the order the file system happens to list directories in.
 *
 * Symbolic links to files are followed (their content is packaged). Symbolic links to folders are
 * refused: following them can loop, or pull in files from outside the package folder.
 */
export async function listFolderFiles(root: string, input: string): Promise<FolderFile[]> {
  const files: FolderFile[] = []
  await walk(root, '', files, input)
  // Plain code-unit order, not localeCompare: the order must not depend on the runner's locale.
  return files.sort((a, b) => (a.zipPath < b.zipPath ? -1 : a.zipPath > b.zipPath ? 1 : 0))
}

async function walk(dir: string, prefix: string, files: FolderFile[], input: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    const absolutePath = path.join(dir, entry.name)
    const zipPath = prefix + entry.name
    if (entry.isDirectory()) {
      await walk(absolutePath, `${zipPath}/`, files, input)
      continue
    }
    // stat follows a symbolic link; a plain file is stat'ed too, for its size.
    const info = await stat(absolutePath).catch(() => undefined)
    if (info?.isFile()) {
      files.push({ absolutePath, zipPath, sizeBytes: info.size })
    } else if (entry.isSymbolicLink()) {
      throw new InputError(
        input,
        `'${zipPath}' in the package folder is a symbolic link to ${info ? 'a folder' : 'nothing (a broken link)'}.`,
        'Replace the link with the files themselves, or remove it; links to folders are not followed.'
      )
    } else {
      throw new InputError(
        input,
        `'${zipPath}' in the package folder is not a regular file.`,
        'Remove sockets, pipes and device files from the package folder.'
      )
    }
  }
}
