import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import yazl from 'yazl'

/**
 * Business Central `.app` files for tests: a 40-byte NAVX header (magic, header size, metadata
 * version 2, package GUID, content length, magic) followed by a zip whose root holds
 * NavxManifest.xml — the layout docs/partner-center-api.md §8 describes.
 */

export interface AppFacts {
  id?: string
  name: string
  publisher: string
  version: string
}

export function navxManifest(app: AppFacts): string {
  const escape = (value: string): string =>
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Package xmlns="http://schemas.microsoft.com/navx/2015/manifest">',
    `  <App Id="${app.id ?? randomUUID()}" Name="${escape(app.name)}" Publisher="${escape(app.publisher)}" Brief="" Description="" Version="${app.version}" CompatibilityId="0.0.0.0" Platform="1.0.0.0" Application="24.0.0.0" Runtime="13.0" Target="Cloud" ShowMyCode="False" />`,
    '  <IdRanges><IdRange MinObjectId="50100" MaxObjectId="50149" /></IdRanges>',
    '  <Dependencies />',
    '</Package>'
  ].join('\r\n')
}

export async function zipBuffer(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name)
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export function navxHeader(contentLength: number, options: { metadataVersion?: number } = {}): Buffer {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(0x5856414e, 0)
  header.writeUInt32LE(40, 4)
  header.writeUInt32LE(options.metadataVersion ?? 2, 8)
  Buffer.from(randomUUID().replace(/-/g, ''), 'hex').copy(header, 12)
  header.writeBigInt64LE(BigInt(contentLength), 28)
  header.writeUInt32LE(0x5856414e, 36)
  return header
}

/** An .app holding `entries` (NavxManifest.xml made from `app` unless given). */
export async function appBytes(
  app: AppFacts,
  entries: Record<string, string | Buffer> = {}
): Promise<Buffer> {
  const zip = await zipBuffer({
    'NavxManifest.xml': navxManifest(app),
    'SymbolReference.json': JSON.stringify({ Name: app.name, Publisher: app.publisher }),
    'src/Codeunit.al': 'codeunit 50100 "Hello" { }',
    ...entries
  })
  return Buffer.concat([navxHeader(zip.length), zip])
}

export async function writeApp(
  filePath: string,
  app: AppFacts,
  entries: Record<string, string | Buffer> = {}
): Promise<string> {
  await writeFile(filePath, await appBytes(app, entries))
  return filePath
}

/** AL-Go's artifact name for an app: `<Publisher>_<Name>_<version>.app`. */
export function alGoFileName(app: AppFacts): string {
  return `${app.publisher}_${app.name}_${app.version}.app`
}
