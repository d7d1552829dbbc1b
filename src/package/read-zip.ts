import { close, createWriteStream, fstat, open, read } from 'node:fs'
import { promisify } from 'node:util'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'

/**
 * Where a zip is: a whole file, or a slice of one (a Business Central `.app` is a 40-byte NAVX header
 * followed by a zip whose offsets count from the zip's own start).
 */
export type ZipSource = string | { path: string; offset: number; length: number }

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
  source: ZipSource,
  read: readonly string[],
  maxEntryBytes: number,
  maxEntries: number
): Promise<ZipListing> {
  const zip = await openZip(source)
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

/**
 * Streams one entry of a zip to `destination` (a nested `.app` of a ready-to-run package, which
 * needs random access of its own). Refused when the entry is missing or declares more than `maxBytes`;
 * yauzl checks the inflated length against the declared one.
 */
export async function copyZipEntry(
  source: ZipSource,
  name: string,
  destination: string,
  maxBytes: number
): Promise<number> {
  const zip = await openZip(source)
  try {
    let found: yauzl.Entry | undefined
    for await (const entry of zip.eachEntry()) {
      const entryName = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false
      )
      if (entryName === name) {
        found = entry
        break
      }
    }
    if (!found) throw new ZipReadError(`'${name}' is not in the zip`)
    if (found.uncompressedSize > maxBytes) {
      throw new ZipReadError(`'${name}' declares ${found.uncompressedSize} bytes, more than ${maxBytes}`)
    }
    let stream: Readable
    try {
      stream = await zip.openReadStreamPromise(found)
    } catch (error) {
      throw new ZipReadError(`cannot read '${name}': ${describe(error)}`)
    }
    try {
      await pipeline(stream, createWriteStream(destination))
    } catch (error) {
      throw new ZipReadError(`cannot read '${name}': ${describe(error)}`)
    }
    return found.uncompressedSize
  } finally {
    zip.close()
  }
}

async function openZip(source: ZipSource): Promise<yauzl.ZipFile> {
  // decodeStrings: false, so that an unsafe name (`../x`, `/etc/x`) is listed and judged by the
  // caller with a clear message, rather than aborting the listing with yauzl's terse error.
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false }
  try {
    if (typeof source === 'string') return await yauzl.openPromise(source, options)
    const fd = await promisify(open)(source.path, 'r')
    const size = (await promisify(fstat)(fd)).size
    if (source.offset + source.length > size) {
      await promisify(close)(fd)
      throw new ZipReadError(`the zip runs past the end of the file (${size} bytes)`)
    }
    const reader = new FileSliceReader(fd, source.offset)
    try {
      return await yauzl.fromRandomAccessReaderPromise(reader, source.length, options)
    } catch (error) {
      reader.close(() => undefined)
      throw error
    }
  } catch (error) {
    throw error instanceof ZipReadError ? error : new ZipReadError(describe(error))
  }
}

const CHUNK_BYTES = 64 * 1024

async function readExactly(
  fd: number,
  buffer: Buffer,
  bufferOffset: number,
  length: number,
  position: number
): Promise<void> {
  for (let done = 0; done < length;) {
    const { bytesRead } = await promisify(read)(
      fd,
      buffer,
      bufferOffset + done,
      length - done,
      position + done
    )
    if (bytesRead === 0) throw new Error('unexpected end of file')
    done += bytesRead
  }
}

/** Random access to the bytes of a file from `offset` on, as yauzl reads a zip. Closes the file with the zip. */
class FileSliceReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly fd: number,
    private readonly offset: number
  ) {
    super()
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // Positional reads on the shared descriptor (a ReadStream on it would close it when done).
    const { fd, offset } = this
    return Readable.from(
      (async function* () {
        for (let at = start; at < end;) {
          const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - at))
          const { bytesRead } = await promisify(read)(fd, chunk, 0, chunk.length, offset + at)
          if (bytesRead === 0) throw new Error('unexpected end of file')
          yield chunk.subarray(0, bytesRead)
          at += bytesRead
        }
      })(),
      { objectMode: false }
    )
  }

  override read(
    buffer: Buffer,
    bufferOffset: number,
    length: number,
    position: number,
    callback: (error: Error | null) => void
  ): void {
    readExactly(this.fd, buffer, bufferOffset, length, this.offset + position).then(
      () => callback(null),
      (error: Error) => callback(error)
    )
  }

  override close(callback: (error: Error | null) => void): void {
    close(this.fd, error => callback(error ?? null))
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
