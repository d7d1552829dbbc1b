// Builds the large test package once: the example's mainTemplate.json (with the
// pid-…-partnercenter deployment) and createUiDefinition.json, plus a stored (uncompressed) entry of
// random bytes, streamed through yazl so nothing large is held in memory.
import { randomFillSync } from 'node:crypto'
import { createWriteStream, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yazl from 'yazl'

/** Random bytes, `total` of them, in 1 MiB chunks (incompressible). */
function randomStream(total) {
  let left = total
  return new Readable({
    read() {
      if (left <= 0) return this.push(null)
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, left))
      randomFillSync(chunk)
      left -= chunk.length
      this.push(chunk)
    }
  })
}

export async function buildLargePackage(root, outPath, totalBytes) {
  const example = join(root, 'examples/azure-app-package')
  const zip = new yazl.ZipFile()
  const mainTemplate = readFileSync(join(example, 'mainTemplate.json'))
  const createUi = readFileSync(join(example, 'createUiDefinition.json'))
  zip.addBuffer(mainTemplate, 'mainTemplate.json')
  zip.addBuffer(createUi, 'createUiDefinition.json')
  // Leave room for the headers, the data descriptor and the central directory (well under 64 KiB).
  const payload = totalBytes - mainTemplate.length - createUi.length - 64 * 1024
  zip.addReadStream(randomStream(payload), 'payload/blob.bin', { compress: false, size: payload })
  zip.end()
  await pipeline(zip.outputStream, createWriteStream(outPath))
  return statSync(outPath).size
}
