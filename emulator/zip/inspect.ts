// Azure Application package check, as Partner Center's package processing does it: the zip must open,
// and hold mainTemplate.json and createUiDefinition.json at its root, both valid JSON.
// Own central-directory parser (no dependency) using positional reads: the central directory sits at
// the end of the file, so a 1 GiB upload is never loaded into memory; only the two small entries are
// read and inflated.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { inflateRawSync } from 'node:zlib'
import type { ValidationItem } from '../state.js'

const EOCD_SIG = 0x06054b50
const ZIP64_LOCATOR_SIG = 0x07064b50
const ZIP64_EOCD_SIG = 0x06064b50
const CEN_SIG = 0x02014b50
const LOC_SIG = 0x04034b50
/** entries we inflate are JSON documents; refuse absurd sizes instead of exhausting memory */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024
const MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024

export const REQUIRED_FILES = ['mainTemplate.json', 'createUiDefinition.json']

export interface ZipEntry {
  name: string
  method: number
  flags: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

class ZipError extends Error {}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len)
  let off = 0
  while (off < len) {
    const n = readSync(fd, buf, off, len - off, pos + off)
    if (n === 0) throw new ZipError('unexpected end of file')
    off += n
  }
  return buf
}

/**
 * `base` is where the zip starts in the file (a Business Central .app has a 40-byte NAVX header before
 * its zip, whose offsets count from the zip's own start).
 */
export function readCentralDirectory(fd: number, base = 0): ZipEntry[] {
  const size = fstatSync(fd).size
  if (size < 22) throw new ZipError('file too small to be a zip archive')
  const tailLen = Math.min(size, 22 + 0xffff)
  const tail = readAt(fd, size - tailLen, tailLen)
  let eocd = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new ZipError('end of central directory not found')
  let count = tail.readUInt16LE(eocd + 10)
  let cdSize = tail.readUInt32LE(eocd + 12)
  let cdOffset = tail.readUInt32LE(eocd + 16)
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) {
    const locPos = size - tailLen + eocd - 20
    if (locPos < 0) throw new ZipError('zip64 locator missing')
    const loc = readAt(fd, locPos, 20)
    if (loc.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) throw new ZipError('zip64 locator missing')
    const z = readAt(fd, base + Number(loc.readBigUInt64LE(8)), 56)
    if (z.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZipError('zip64 end of central directory missing')
    count = Number(z.readBigUInt64LE(32))
    cdSize = Number(z.readBigUInt64LE(40))
    cdOffset = Number(z.readBigUInt64LE(48))
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY || base + cdOffset + cdSize > size)
    throw new ZipError('central directory out of bounds')
  const cd = readAt(fd, base + cdOffset, cdSize)
  const entries: ZipEntry[] = []
  let p = 0
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN_SIG) throw new ZipError('corrupt central directory')
    const flags = cd.readUInt16LE(p + 8)
    const method = cd.readUInt16LE(p + 10)
    let compressedSize = cd.readUInt32LE(p + 20)
    let uncompressedSize = cd.readUInt32LE(p + 24)
    const nameLen = cd.readUInt16LE(p + 28)
    const extraLen = cd.readUInt16LE(p + 30)
    const commentLen = cd.readUInt16LE(p + 32)
    let localHeaderOffset = cd.readUInt32LE(p + 42)
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen)
    // zip64 extended information extra field (0x0001) carries the 64-bit values in a fixed order
    let e = p + 46 + nameLen
    const extraEnd = e + extraLen
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e)
      const len = cd.readUInt16LE(e + 2)
      if (id === 0x0001) {
        let q = e + 4
        // zip64: the 64-bit values follow in this order, each present only when its 32-bit field is 0xffffffff.
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = Number(cd.readBigUInt64LE(q))
          q += 8
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(cd.readBigUInt64LE(q))
          q += 8
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q))
      }
      e += 4 + len
    }
    entries.push({
      name,
      method,
      flags,
      compressedSize,
      uncompressedSize,
      localHeaderOffset: base + localHeaderOffset
    })
    p = extraEnd + commentLen
  }
  return entries
}

export function readEntry(fd: number, entry: ZipEntry): Buffer {
  if (entry.flags & 1) throw new ZipError(`${entry.name} is encrypted`)
  if (entry.compressedSize > MAX_ENTRY_BYTES || entry.uncompressedSize > MAX_ENTRY_BYTES)
    throw new ZipError(`${entry.name} is too large`)
  const loc = readAt(fd, entry.localHeaderOffset, 30)
  if (loc.readUInt32LE(0) !== LOC_SIG) throw new ZipError(`corrupt local header of ${entry.name}`)
  const dataStart = entry.localHeaderOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28)
  const data = readAt(fd, dataStart, entry.compressedSize)
  if (entry.method === 0) return data
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES })
  throw new ZipError(`${entry.name} uses unsupported compression method ${entry.method}`)
}

export function item(errorCode: string, message: string, resource: string): ValidationItem {
  return { errorCode, severity: 'Error', message, resource }
}

/** Returns the package's validation errors (empty = the package is acceptable). */
export function inspectAzureAppPackage(file: string, displayName: string): ValidationItem[] {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    let entries: ZipEntry[]
    try {
      entries = readCentralDirectory(fd)
    } catch (e) {
      return [
        item(
          'InvalidPackage',
          `The package '${displayName}' is not a valid zip archive (${(e as Error).message}).`,
          displayName
        )
      ]
    }
    const problems: ValidationItem[] = []
    for (const required of REQUIRED_FILES) {
      const entry = entries.find(x => x.name === required)
      if (!entry) {
        const nested = entries.find(
          x =>
            x.name.toLowerCase().endsWith('/' + required.toLowerCase()) ||
            x.name.toLowerCase() === required.toLowerCase()
        )
        problems.push(
          item(
            'MissingRequiredFile',
            `The package must contain ${required} at the root of the zip` +
              (nested ? ` (found '${nested.name}').` : '.'),
            required
          )
        )
        continue
      }
      let parsed: unknown
      try {
        const text = readEntry(fd, entry)
          .toString('utf8')
          .replace(/^\uFEFF/, '')
        parsed = JSON.parse(text)
      } catch (e) {
        problems.push(item('InvalidJson', `${required} is not valid JSON: ${(e as Error).message}`, required))
        continue
      }
      if (required === 'mainTemplate.json' && !hasPartnerUsageAttribution(parsed)) {
        problems.push(
          item(
            'MissingPartnerUsageAttribution',
            'mainTemplate.json has no partner usage attribution: add a Microsoft.Resources/deployments resource named pid-<GUID>-partnercenter.',
            required
          )
        )
      }
    }
    return problems
  } catch (e) {
    return [
      item(
        'InvalidPackage',
        `The package '${displayName}' could not be read (${(e as Error).message}).`,
        displayName
      )
    ]
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Stricter reading (emulator/README.md): public clients report ProcessFailed for templates without
 * the `pid-<GUID>-partnercenter` deployment (AZPC rewrites it before upload), so the emulator checks it.
 */
function hasPartnerUsageAttribution(template: unknown): boolean {
  const resources = (template as { resources?: unknown } | null)?.resources
  const list = Array.isArray(resources)
    ? resources
    : resources && typeof resources === 'object'
      ? Object.values(resources)
      : []
  return list.some(r => {
    const res = r as { type?: unknown; name?: unknown }
    return (
      typeof res.type === 'string' &&
      res.type.toLowerCase() === 'microsoft.resources/deployments' &&
      typeof res.name === 'string' &&
      /^pid-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-partnercenter$/i.test(res.name)
    )
  })
}
