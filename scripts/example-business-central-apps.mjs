// Writes the example Business Central apps in examples/business-central/ (used by `npm run demo`):
// the seed's offer contoso-bc-app (emulator/seed/default.ts) at version 1.1.0.0, a main app and its
// library app, in AL-Go's naming. Each is a 40-byte NAVX header followed by a zip with NavxManifest.xml
// (docs/partner-center-api.md §8). Deterministic: fixed package GUIDs and entry times.
// Run: node scripts/example-business-central-apps.mjs
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import yazl from 'yazl'

const folder = fileURLToPath(new URL('../examples/business-central/', import.meta.url))
const VERSION = '1.1.0.0'
const APPS = [
  {
    id: '3f1a9c52-8b7d-4e60-a1c4-5d6e7f809a1b',
    name: 'Sales Tools',
    packageId: '0c6b3a1e9d2f4e5a8b7c6d5e4f3a2b1c'
  },
  {
    id: '4a2b0d63-9c8e-4f71-b2d5-6e7f8091ab2c',
    name: 'Sales Tools Library',
    packageId: '1d7c4b2f0e3a4f6b9c8d7e6f5a4b3c2d'
  }
]

function manifest(app) {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Package xmlns="http://schemas.microsoft.com/navx/2015/manifest">',
    `  <App Id="${app.id}" Name="${app.name}" Publisher="Contoso" Brief="An example app for the Partner Center emulator" Description="" Version="${VERSION}" CompatibilityId="0.0.0.0" Platform="24.0.0.0" Application="24.0.0.0" Runtime="13.0" Target="Cloud" ShowMyCode="False" />`,
    '  <IdRanges><IdRange MinObjectId="50100" MaxObjectId="50149" /></IdRanges>',
    '  <Dependencies />',
    '</Package>'
  ].join('\r\n')
}

async function zip(entries) {
  const file = new yazl.ZipFile()
  const mtime = new Date(1980, 0, 1)
  for (const [name, text] of Object.entries(entries))
    file.addBuffer(Buffer.from(text), name, { mtime, mode: 0o100644, forceDosTimestamp: true })
  file.end()
  const chunks = []
  for await (const chunk of file.outputStream) chunks.push(chunk)
  return Buffer.concat(chunks)
}

for (const app of APPS) {
  const content = await zip({
    'NavxManifest.xml': manifest(app),
    'src/Hello.Codeunit.al': `codeunit 50100 "${app.name} Hello"\n{\n    procedure Hello(): Text\n    begin\n        exit('Hello from ${app.name}');\n    end;\n}\n`
  })
  const header = Buffer.alloc(40)
  header.writeUInt32LE(0x5856414e, 0)
  header.writeUInt32LE(40, 4)
  header.writeUInt32LE(2, 8)
  Buffer.from(app.packageId, 'hex').copy(header, 12)
  header.writeBigInt64LE(BigInt(content.length), 28)
  header.writeUInt32LE(0x5856414e, 36)
  const file = join(folder, `Contoso_${app.name}_${VERSION}.app`)
  writeFileSync(file, Buffer.concat([header, content]))
  console.log(file)
}
