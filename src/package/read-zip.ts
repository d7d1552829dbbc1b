import type { Readable } from 'node:stream'
import yauzl from 'yauzl'

/** One entry of a zip's central directory, name decoded but not yet judged safe. */
export interface ZipEntryInfo {
  /** As stored, with `\` turned into `/` (some Windows tools write backslashes). */
  name: string
  isDirectory: boolean
  uncompressedSize: number
}

/** A small entry read into memory, or only its declared size when it is over the cap. */
export interface ZipEntryContent {
  name: string
  uncompressedSize: number
  /** Undefined when the entry is larger than the cap (it is then not decompressed at all). */
  data?: Buffer
}

export interface ZipListing {
  entries: ZipEntryInfo[]
  /** The entries named in `read`, those present, keyed by name. */
  contents: Map<string, ZipEntryContent>
}

/** The file could not be read as a zip: not a zip, truncated, or corrupt. */
export class ZipReadError extends Error {
  override readonly name = 'ZipReadError'
}

/** The zip's central directory declares more entries than allowed; none of them was read. */
export class TooManyEntriesError extends Error {
  override readonly name = 'TooManyEntriesError'
  constructor(readonly entryCount: number) {
    super(`the zip declares ${entryCount} entries`)
  }
}

/**
 * Lists a zip's entries from its central directory and decompresses only the entries named in
 * `read`, each up to `maxEntryBytes`. The zip is read through a file descriptor with random access;
 * nothing else of it is loaded. A zip that declares more than `maxEntries` entries is refused
 * before any entry is listed.
 */
export async function readZip(
  zipPath: string,
  read: readonly string[],
  maxEntryBytes: number,
  maxEntries: number
): Promise<ZipListing> {
  let zip: yauzl.ZipFile
  try {
    // decodeStrings: false, so that an unsafe name (`../x`, `/etc/x`) is listed and judged by the
    // caller with a clear message, rather than aborting the listing with yauzl's terse error.
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false })
  } catch (error) {
    throw new ZipReadError(describe(error))
  }
  try {
    if (zip.entryCount > maxEntries) throw new TooManyEntriesError(zip.entryCount)
    const entries: ZipEntryInfo[] = []
    const wanted = new Map<string, yauzl.Entry>()
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false
      )
      entries.push({ name, isDirectory: name.endsWith('/'), uncompressedSize: entry.uncompressedSize })
      // The first of duplicate names is kept; duplicates are refused by the caller anyway.
      if (read.includes(name) && !wanted.has(name)) wanted.set(name, entry)
    }
    const contents = new Map<string, ZipEntryContent>()
    for (const [name, entry] of wanted) {
      const content: ZipEntryContent = { name, uncompressedSize: entry.uncompressedSize }
      if (entry.uncompressedSize <= maxEntryBytes) content.data = await readEntry(zip, entry, name)
      contents.set(name, content)
    }
    return { entries, contents }
  } catch (error) {
    if (error instanceof ZipReadError || error instanceof TooManyEntriesError) throw error
    throw new ZipReadError(describe(error))
  } finally {
    zip.close()
  }
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Buffer> {
  let stream: Readable
  try {
    stream = await zip.openReadStreamPromise(entry)
  } catch (error) {
    throw new ZipReadError(`cannot read '${name}': ${describe(error)}`)
  }
  const chunks: Buffer[] = []
  try {
    // yauzl checks the inflated length against the declared size (validateEntrySizes), so the
    // declared size, already compared with the cap, bounds what is collected here.
    for await (const chunk of stream) chunks.push(chunk as Buffer)
  } catch (error) {
    throw new ZipReadError(`cannot read '${name}': ${describe(error)}`)
  }
  return Buffer.concat(chunks)
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
