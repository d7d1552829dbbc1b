import { mkdtemp, open, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { InputError } from '../errors.js'
import { formatBytes, MAX_PACKAGE_ENTRIES } from './limits.js'
import { copyZipEntry, readZip, ZipReadError, type ZipSource } from './read-zip.js'

/**
 * A Dynamics 365 Business Central app (`.app`), read before anything is written: the app's own
 * identity and version come from its manifest, so that the release is checked against what Partner
 * Center will see (docs/partner-center-api.md §8).
 *
 * Layout (navcontainerhelper `Extract-AppFileToFolder.ps1`): a 40-byte little-endian NAVX header —
 * UInt32 magic "NAVX", UInt32 header size, UInt32 metadata version (≤ 2), 16-byte package GUID,
 * Int64 content length, UInt32 magic again — then a zip whose root holds `NavxManifest.xml`. A
 * ready-to-run app's zip holds `readytorunappmanifest.json` instead, naming the inner `.app` entry.
 */

export interface BusinessCentralApp {
  /** Absolute path of the file to upload. */
  filePath: string
  /** The path as the input gave it (or as a glob matched it), for messages. */
  displayPath: string
  fileName: string
  sizeBytes: number
  /** `App/@Id`: the app's GUID. */
  id: string
  name: string
  publisher: string
  /** Four-part version, `major.minor.build.revision`. */
  version: string
  /** The manifest was read from the app nested in a ready-to-run package. */
  readyToRun: boolean
}

/** "NAVX" as a little-endian UInt32. */
const NAVX_MAGIC = 0x5856414e
const NAVX_HEADER_BYTES = 40
const MAX_METADATA_VERSION = 2
/** The first eight bytes of a runtime package's content (navcontainerhelper): no readable manifest. */
const RUNTIME_PACKAGE_MARKER = 72057595132988974n
const NAVX_MANIFEST = 'NavxManifest.xml'
const READY_TO_RUN_MANIFEST = 'readytorunappmanifest.json'
/** Manifests are a few KB; anything larger is not one, and is not decompressed. */
const MAX_MANIFEST_BYTES = 1024 * 1024
/** An app nested in a ready-to-run package is copied out to be read; larger than any real app. */
const MAX_NESTED_APP_BYTES = 1024 ** 3
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const FOUR_PART_VERSION = /^(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})$/

export interface ReadAppOptions {
  /** Where a ready-to-run package's inner app is copied to be read; default RUNNER_TEMP, else the OS temp folder. */
  workDir?: string
}

/**
 * Reads the app at `filePath` (named `displayPath` in messages, which name `input`). Every problem is
 * an InputError: not a NAVX file, a truncated one, a runtime package, a zip without a manifest, a
 * manifest without a valid `App` element.
 */
export async function readBusinessCentralApp(
  filePath: string,
  input: string,
  displayPath: string = filePath,
  options: ReadAppOptions = {}
): Promise<BusinessCentralApp> {
  const info = await stat(filePath).catch(() => undefined)
  if (!info) {
    throw new InputError(
      input,
      `'${displayPath}' does not exist (resolved to '${path.resolve(filePath)}').`,
      'Build the app in an earlier step (or download the build artifact), and give its path relative to the workspace.'
    )
  }
  if (!info.isFile())
    throw new InputError(input, `'${displayPath}' is not a file: give the .app file itself.`)
  const manifest = await readManifest(filePath, info.size, false, options).catch((error: unknown) => {
    if (error instanceof AppFormatError) {
      throw new InputError(input, `'${displayPath}' ${error.message}`, error.hint)
    }
    throw error
  })
  return {
    filePath: path.resolve(filePath),
    displayPath,
    fileName: path.basename(filePath),
    sizeBytes: info.size,
    ...manifest
  }
}

/** A file that is not a readable app; the message continues "'<path>' …". */
class AppFormatError extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
  }
}

const NOT_AN_APP_HINT =
  'Give the .app file the AL compiler (or AL-Go / BcContainerHelper) built: it starts with a NAVX header followed by a zip holding NavxManifest.xml.'

type Manifest = Pick<BusinessCentralApp, 'id' | 'name' | 'publisher' | 'version' | 'readyToRun'>

async function readManifest(
  filePath: string,
  size: number,
  nested: boolean,
  options: ReadAppOptions
): Promise<Manifest> {
  const header = await readHeader(filePath, size)
  const source: ZipSource = { path: filePath, offset: header.headerBytes, length: header.contentBytes }
  let listing
  try {
    listing = await readZip(
      source,
      [NAVX_MANIFEST, READY_TO_RUN_MANIFEST],
      MAX_MANIFEST_BYTES,
      MAX_PACKAGE_ENTRIES
    )
  } catch (error) {
    if (!(error instanceof ZipReadError)) throw error
    throw new AppFormatError(
      `has a NAVX header, but its content is not a readable zip: ${error.message}.`,
      'The file is damaged or truncated; build it again.'
    )
  }
  const navx = listing.contents.get(NAVX_MANIFEST)
  if (navx) {
    if (!navx.data)
      throw new AppFormatError(
        `holds a ${NAVX_MANIFEST} of ${formatBytes(navx.uncompressedSize)}, too large to be a manifest.`
      )
    return { ...parseNavxManifest(decodeText(navx.data)), readyToRun: false }
  }
  const readyToRun = listing.contents.get(READY_TO_RUN_MANIFEST)
  if (!readyToRun) {
    throw new AppFormatError(
      `holds no ${NAVX_MANIFEST} at the root of its zip: it is not a Business Central app.`,
      NOT_AN_APP_HINT
    )
  }
  if (nested) throw new AppFormatError('is a ready-to-run package nested in another one.', NOT_AN_APP_HINT)
  if (!readyToRun.data)
    throw new AppFormatError(`holds a ${READY_TO_RUN_MANIFEST} too large to be a manifest.`)
  const inner = embeddedAppName(readyToRun.data)
  if (!listing.entries.some(entry => entry.name === inner)) {
    throw new AppFormatError(
      `is a ready-to-run package whose ${READY_TO_RUN_MANIFEST} names '${inner}', which it does not hold.`
    )
  }
  const tempDir = await mkdtemp(
    path.join(options.workDir ?? process.env.RUNNER_TEMP ?? os.tmpdir(), 'pcp-app-')
  )
  try {
    const innerPath = path.join(tempDir, 'inner.app')
    let innerSize: number
    try {
      innerSize = await copyZipEntry(source, inner, innerPath, MAX_NESTED_APP_BYTES)
    } catch (error) {
      if (!(error instanceof ZipReadError)) throw error
      throw new AppFormatError(`is a ready-to-run package whose inner app cannot be read: ${error.message}.`)
    }
    const manifest = await readManifest(innerPath, innerSize, true, options).catch((error: unknown) => {
      if (error instanceof AppFormatError) {
        throw new AppFormatError(
          `is a ready-to-run package whose inner app '${inner}' ${error.message}`,
          error.hint
        )
      }
      throw error
    })
    return { ...manifest, readyToRun: true }
  } finally {
    await rm(tempDir, { recursive: true, force: true })
  }
}

interface NavxHeader {
  headerBytes: number
  contentBytes: number
}

async function readHeader(filePath: string, size: number): Promise<NavxHeader> {
  if (size < NAVX_HEADER_BYTES + 8) {
    throw new AppFormatError(
      size === 0 ? 'is an empty file.' : `is ${size} bytes, too short to be a Business Central app.`,
      NOT_AN_APP_HINT
    )
  }
  const bytes = Buffer.alloc(NAVX_HEADER_BYTES + 8)
  const file = await open(filePath, 'r')
  try {
    await file.read(bytes, 0, bytes.length, 0)
  } finally {
    await file.close()
  }
  if (bytes.readUInt32LE(0) !== NAVX_MAGIC || bytes.readUInt32LE(36) !== NAVX_MAGIC) {
    const zip = bytes.readUInt32LE(0) === 0x04034b50
    throw new AppFormatError(
      zip
        ? 'is a plain zip, not a Business Central app (an .app starts with a NAVX header).'
        : 'is not a Business Central app: it does not start with the NAVX header.',
      NOT_AN_APP_HINT
    )
  }
  const headerBytes = bytes.readUInt32LE(4)
  const metadataVersion = bytes.readUInt32LE(8)
  const contentBytes = bytes.readBigInt64LE(28)
  if (metadataVersion > MAX_METADATA_VERSION) {
    throw new AppFormatError(
      `has NAVX metadata version ${metadataVersion}; versions up to ${MAX_METADATA_VERSION} are known.`,
      'Check for a newer release of this action, or open an issue with the AL compiler version that built the app.'
    )
  }
  if (
    headerBytes < NAVX_HEADER_BYTES ||
    contentBytes <= 0n ||
    BigInt(headerBytes) + contentBytes > BigInt(size)
  ) {
    throw new AppFormatError(
      `has a NAVX header that does not fit the file (header ${headerBytes} bytes, content ${contentBytes} bytes, file ${size} bytes): it is truncated or damaged.`,
      'Build the app again, and check that the step that copies it keeps it whole.'
    )
  }
  if (
    headerBytes === NAVX_HEADER_BYTES &&
    bytes.readBigInt64LE(NAVX_HEADER_BYTES) === RUNTIME_PACKAGE_MARKER
  ) {
    throw new AppFormatError(
      'is a runtime package, whose manifest cannot be read.',
      'Give the app compiled from source (the .app the AL compiler or AL-Go builds), not a runtime package.'
    )
  }
  return { headerBytes, contentBytes: Number(contentBytes) }
}

/** UTF-8 (with or without a byte-order mark), or UTF-16 with one. */
function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le')
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2))
    swapped.swap16()
    return swapped.toString('utf16le')
  }
  const text = data.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function embeddedAppName(data: Buffer): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(decodeText(data))
  } catch {
    throw new AppFormatError(`holds a ${READY_TO_RUN_MANIFEST} that is not JSON.`)
  }
  const name = (parsed as { EmbeddedAppFileName?: unknown } | null)?.EmbeddedAppFileName
  if (typeof name !== 'string' || !name || name.includes('..') || name.startsWith('/')) {
    throw new AppFormatError(`holds a ${READY_TO_RUN_MANIFEST} without a valid EmbeddedAppFileName.`)
  }
  return name
}

/**
 * The `App` element of NavxManifest.xml: its `Id`, `Name`, `Publisher` and `Version` attributes.
 * A small, strict reader for this one element, not a general XML parser: a DOCTYPE (and with it
 * any entity declaration) is refused, only XML's five predefined entities and character references
 * are decoded, and every other malformation is an error rather than a guess.
 */
export function parseNavxManifest(xml: string): Omit<Manifest, 'readyToRun'> {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new AppFormatError(
      `has a ${NAVX_MANIFEST} with a DOCTYPE or entity declaration, which an app manifest never has.`
    )
  }
  // Comments may mention elements; they are not elements.
  const text = xml.replace(/<!--[\s\S]*?-->/g, '')
  const root = /<(?:[A-Za-z_][\w.-]*:)?Package[\s>/]/.exec(text)
  if (!root) throw new AppFormatError(`has a ${NAVX_MANIFEST} without a Package element.`, NOT_AN_APP_HINT)
  const apps = [...text.slice(root.index).matchAll(/<(?:[A-Za-z_][\w.-]*:)?App(?=[\s/>])/g)]
  if (apps.length !== 1) {
    throw new AppFormatError(
      `has a ${NAVX_MANIFEST} with ${apps.length === 0 ? 'no' : apps.length} App element${apps.length === 1 ? '' : 's'} in its Package; exactly one is expected.`,
      NOT_AN_APP_HINT
    )
  }
  const start = root.index + apps[0]!.index! + apps[0]![0].length
  const attributes = readAttributes(text, start)
  const value = (name: string): string => {
    const found = attributes.get(name)
    if (found === undefined || !found.trim())
      throw new AppFormatError(`has a ${NAVX_MANIFEST} whose App element has no ${name}.`, NOT_AN_APP_HINT)
    return found.trim()
  }
  const id = value('Id').replace(/^\{(.*)\}$/, '$1')
  if (!GUID.test(id)) throw new AppFormatError(`has a ${NAVX_MANIFEST} whose App Id '${id}' is not a GUID.`)
  const version = value('Version')
  if (!FOUR_PART_VERSION.test(version)) {
    throw new AppFormatError(
      `has a ${NAVX_MANIFEST} whose App Version '${version}' is not four numbers (major.minor.build.revision).`
    )
  }
  return { id: id.toLowerCase(), name: value('Name'), publisher: value('Publisher'), version }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Attributes of the start tag whose name ends just before `at`, up to its `>` or `/>`. */
function readAttributes(text: string, at: number): Map<string, string> {
  const attributes = new Map<string, string>()
  const attribute = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y
  let position = at
  for (;;) {
    const end = /\s*(\/?>)/y
    end.lastIndex = position
    if (end.exec(text)) return attributes
    attribute.lastIndex = position
    const match = attribute.exec(text)
    if (!match)
      throw new AppFormatError(`has a ${NAVX_MANIFEST} whose App element is malformed.`, NOT_AN_APP_HINT)
    const name = match[1]!
    if (attributes.has(name))
      throw new AppFormatError(`has a ${NAVX_MANIFEST} whose App element repeats ${name}.`)
    attributes.set(name, decodeEntities(match[2] ?? match[3] ?? ''))
    position = attribute.lastIndex
  }
}

function decodeEntities(value: string): string {
  return value.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';'))
      throw new AppFormatError(`has a ${NAVX_MANIFEST} with a bare '&' in the App element.`)
    const numeric = /^#(x[0-9a-f]+|\d+)$/i.exec(body)
    if (numeric) {
      const code =
        numeric[1]!.startsWith('x') || numeric[1]!.startsWith('X')
          ? parseInt(numeric[1]!.slice(1), 16)
          : parseInt(numeric[1]!, 10)
      if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff))
        return String.fromCodePoint(code)
    } else if (Object.hasOwn(ENTITIES, body)) return ENTITIES[body]!
    throw new AppFormatError(`has a ${NAVX_MANIFEST} with an unknown entity '&${body};' in the App element.`)
  })
}

export function isFourPartVersion(value: string): boolean {
  return FOUR_PART_VERSION.test(value)
}
