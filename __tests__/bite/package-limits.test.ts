// Package checks a user relies on before anything is uploaded: a zip entry named with a Windows drive
// ("C:…", absolute on the runner that extracts it) is refused like any other absolute name, and a package
// larger than Partner Center takes (1 GiB for Azure Applications, src/package/limits.ts) is refused before
// it is opened, with the limit in the message.
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { preparePackage } from '../../src/package/index.js'
import { formatBytes } from '../../src/package/limits.js'
import { patchNames, validFiles, writeZip } from '../package/zip-fixtures.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pcp-bite-package-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

async function refusal(packagePath: string): Promise<InputError> {
  const error = await preparePackage(packagePath).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe('package-path')
  return error as InputError
}

describe('zip entry names with a drive letter', () => {
  it.each([
    ['C:/Windows/evil.dll', 'x_/Windows/evil.dll'],
    ['c:evil.ps1', 'x_evil.ps1'],
    ['D:\\tools\\run.cmd', 'x__tools_run.cmd']
  ])('refuses %s as absolute (zip-slip)', async (name, placeholder) => {
    const dir = path.join(root, `drive-${placeholder.replace(/\W/g, '')}`)
    await mkdir(dir)
    const zipPath = path.join(dir, 'app.zip')
    await writeZip(zipPath, { ...validFiles(), [placeholder]: 'x' })
    await patchNames(zipPath, placeholder, name)
    const error = await refusal(zipPath)
    expect(error.message).toContain('zip-slip')
    expect(error.message).toContain(`'${name.replace(/\\/g, '/')}'`)
  })
})

describe('the package size limit', () => {
  it('a zip one byte over 1 GiB is refused before it is opened, naming the limit', async () => {
    // A sparse file: the size is what counts, and it is checked before a byte is read.
    const zipPath = path.join(root, 'huge.zip')
    const file = await open(zipPath, 'w')
    await file.truncate(1024 ** 3 + 1)
    await file.close()
    const error = await refusal(zipPath)
    expect(error.message).toMatch(/up to 1 GiB/)
  })
})

describe('sizes in messages', () => {
  it.each([
    [900, '900 bytes'],
    [1536, '1.5 KiB'],
    [20 * 1024 ** 2, '20 MiB'],
    [1024 ** 3 + 1, '1 GiB'],
    [3.5 * 1024 ** 4, '3.5 TiB'],
    [2048 * 1024 ** 4, '2048 TiB']
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})
