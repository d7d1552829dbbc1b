import { createWriteStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yazl from 'yazl'
import { DigestStream, type Digest } from './digest.js'
import type { FolderFile } from './list-folder.js'

/**
 * Fixed metadata for every entry, so that the same folder always gives a byte-identical zip (and the
 * same SHA-256) whatever the checkout time, umask or time zone of the runner.
 *
 * The date is built from local-time parts because yazl converts it to a DOS date/time with local
 * getters; `forceDosTimestamp` leaves out the extended (UTC) timestamp field, which would differ
 * between time zones.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0)
/** A regular file, rw-r--r--. */
const FIXED_MODE = 0o100644

/**
 * Writes `files` into a deflated zip at `outPath`, hashing the bytes as they are written. The zip is
 * streamed: at most one file is read at a time, in chunks.
 */
export async function zipFolder(
  files: FolderFile[],
  outPath: string,
  maxBytes: number,
  onTooLarge: (bytes: number) => Error
): Promise<Digest> {
  const zip = new yazl.ZipFile()
  const digest = new DigestStream(maxBytes, onTooLarge)
  // yazl reports read errors (a file removed meanwhile) on the ZipFile, not on its output stream.
  const output = zip.outputStream as Readable
  zip.on('error', (error: Error) => output.destroy(error))
  for (const file of files) {
    zip.addFile(file.absolutePath, file.zipPath, {
      mtime: FIXED_MTIME,
      mode: FIXED_MODE,
      compress: true,
      forceDosTimestamp: true
    })
  }
  zip.end()
  await pipeline(output, digest, createWriteStream(outPath))
  return digest.digester.digest()
}
