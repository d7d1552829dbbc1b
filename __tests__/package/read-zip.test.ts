// The zip reader (src/package/read-zip.ts) closes every zip it opens: a file left open keeps its
// descriptor for the rest of the run and, on Windows runners, keeps the temporary zip from being removed.
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyZipEntry, readZip } from '../../src/package/read-zip.js'
import { zipBuffer } from '../helpers/business-central-app.js'

let dir: string
let zipPath: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'read-zip-'))
  zipPath = path.join(dir, 'app.zip')
  await writeFile(zipPath, await zipBuffer({ 'inner.app': 'the nested app', 'readme.txt': 'hello' }))
})
afterAll(async () => rm(dir, { recursive: true, force: true }))

const openFiles = (): number => readdirSync('/proc/self/fd').length
const linux = existsSync('/proc/self/fd') ? describe : describe.skip

linux('every zip opened is closed again', () => {
  it('copying an entry out, found or not, leaves no file open', async () => {
    const before = openFiles()
    for (let i = 0; i < 20; i++) {
      const destination = path.join(dir, `inner-${i}.app`)
      expect(await copyZipEntry(zipPath, 'inner.app', destination, 1024)).toBe(14)
      expect(await readFile(destination, 'utf8')).toBe('the nested app')
      await expect(copyZipEntry(zipPath, 'missing.app', destination, 1024)).rejects.toThrow(
        'is not in the zip'
      )
    }
    expect(openFiles()).toBeLessThanOrEqual(before + 2)
  })

  it('reading a zip leaves no file open', async () => {
    const before = openFiles()
    for (let i = 0; i < 20; i++) {
      const listing = await readZip(zipPath, ['readme.txt'], 1024, 10)
      expect(listing.contents.get('readme.txt')?.data?.toString()).toBe('hello')
    }
    expect(openFiles()).toBeLessThanOrEqual(before + 2)
  })
})
