import { createWriteStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import yazl from 'yazl'

export const MAIN_TEMPLATE = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: []
})
export const CREATE_UI = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/0.1.2-preview/CreateUIDefinition.MultiVm.json#',
  handler: 'Microsoft.Azure.CreateUIDef',
  version: '0.1.2-preview',
  parameters: { basics: [], steps: [], outputs: {} }
})

/** A valid package's files. */
export function validFiles(): Record<string, string | Buffer> {
  return {
    'mainTemplate.json': MAIN_TEMPLATE,
    'createUiDefinition.json': CREATE_UI,
    'nestedtemplates/a.json': '{}'
  }
}

/** Writes a zip of in-memory entries; a name ending in `/` is a folder entry. */
export async function writeZip(zipPath: string, entries: Record<string, string | Buffer>): Promise<void> {
  const zip = new yazl.ZipFile()
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name)
    else zip.addBuffer(Buffer.from(content), name, { compress: true })
  }
  zip.end()
  await pipeline(zip.outputStream as Readable, createWriteStream(zipPath))
}

/**
 * yazl refuses unsafe names, so a zip-slip fixture is written with a harmless placeholder of the
 * same length and patched afterwards (names are stored raw, in the local header and the central
 * directory; no checksum covers them).
 */
export async function patchNames(zipPath: string, from: string, to: string): Promise<void> {
  if (from.length !== to.length) throw new Error('patch must keep the length')
  const bytes = await readFile(zipPath)
  const needle = Buffer.from(from)
  let at = bytes.indexOf(needle)
  let count = 0
  while (at >= 0) {
    Buffer.from(to).copy(bytes, at)
    count++
    at = bytes.indexOf(needle, at + needle.length)
  }
  if (count < 2) throw new Error(`expected '${from}' in both headers, found ${count}`)
  await writeFile(zipPath, bytes)
}

/**
 * A zip whose end-of-central-directory record declares `count` entries (a hostile zip: listing
 * every declared entry would cost memory whatever their size). The entries are not written.
 */
export async function forgeEntryCount(zipPath: string, count: number): Promise<void> {
  if (count >= 0xffff) throw new Error('0xffff means "see the ZIP64 record"; pick a smaller count')
  const bytes = await readFile(zipPath)
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0) throw new Error('no end-of-central-directory record')
  bytes.writeUInt16LE(count, eocd + 8)
  bytes.writeUInt16LE(count, eocd + 10)
  await writeFile(zipPath, bytes)
}
