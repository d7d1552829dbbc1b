import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import yauzl from 'yauzl'
import { InputError } from '../../src/errors.js'
import { preparePackage } from '../../src/package/index.js'
import { CREATE_UI, MAIN_TEMPLATE, patchNames, validFiles, writeZip } from './zip-fixtures.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pcp-package-test-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A fresh path under the test folder. */
function scratch(name: string): string {
  return path.join(root, `${++counter}-${name}`)
}

async function zipOf(entries: Record<string, string | Buffer>, name = 'app.zip'): Promise<string> {
  const dir = scratch('zip')
  await mkdir(dir)
  const zipPath = path.join(dir, name)
  await writeZip(zipPath, entries)
  return zipPath
}

async function folderOf(files: Record<string, string | Buffer>, name = 'app'): Promise<string> {
  const folder = path.join(scratch('folder'), name)
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true })
    await writeFile(path.join(folder, file), content)
  }
  return folder
}

/** The InputError raised by preparePackage; fails the test if it resolves or throws anything else. */
async function inputError(
  packagePath: string,
  options?: Parameters<typeof preparePackage>[1]
): Promise<InputError> {
  const error = await preparePackage(packagePath, options).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe('package-path')
  return error as InputError
}

async function listZip(
  zipPath: string
): Promise<Array<{ name: string; date: Date; mode: number; method: number }>> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true })
  const out = []
  for await (const entry of zip.eachEntry()) {
    out.push({
      name: entry.fileName,
      date: entry.getLastModDate({ forceDosFormat: true }),
      mode: entry.externalFileAttributes >>> 16,
      method: entry.compressionMethod
    })
  }
  return out
}

function hashes(bytes: Buffer): { sha256: string; md5Base64: string } {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5Base64: createHash('md5').update(bytes).digest('base64')
  }
}

describe('preparePackage with a .zip', () => {
  it('accepts a valid package and reports its size and checksums', async () => {
    const zipPath = await zipOf(validFiles())
    const prepared = await preparePackage(zipPath)
    const bytes = await readFile(zipPath)
    expect(prepared).toMatchObject({
      filePath: zipPath,
      fileName: 'app.zip',
      sizeBytes: bytes.length,
      fromFolder: false,
      entries: 3,
      ...hashes(bytes)
    })
    await prepared.cleanup()
    // The user's own zip is never removed.
    await expect(readFile(zipPath)).resolves.toBeDefined()
  })

  it('accepts a template with a UTF-8 byte order mark and languageVersion 2.0 resources', async () => {
    const template = {
      $schema: 'x',
      languageVersion: '2.0',
      resources: { storage: { type: 'Microsoft.Storage/storageAccounts' } }
    }
    const zipPath = await zipOf({
      'mainTemplate.json': `\uFEFF${JSON.stringify(template)}`,
      'createUiDefinition.json': CREATE_UI
    })
    await expect(preparePackage(zipPath)).resolves.toMatchObject({ entries: 2 })
  })

  it('resolves a relative path against the working directory', async () => {
    const zipPath = await zipOf(validFiles())
    const prepared = await preparePackage(path.relative(process.cwd(), zipPath))
    expect(prepared.filePath).toBe(zipPath)
  })

  it('refuses a path that does not exist', async () => {
    const error = await inputError(path.join(root, 'nope', 'app.zip'))
    expect(error.message).toMatch(/does not exist/)
    expect(error.hint).toMatch(/earlier step/)
  })

  it('refuses an empty input', async () => {
    expect((await inputError('  ')).message).toMatch(/is empty/)
  })

  it('refuses something that is neither a file nor a folder', async () => {
    expect((await inputError('/dev/null')).message).toMatch(/neither a file nor a folder/)
  })

  it('refuses a file that is not a .zip', async () => {
    const file = scratch('mainTemplate.json')
    await writeFile(file, MAIN_TEMPLATE)
    expect((await inputError(file)).message).toMatch(/is not a \.zip file/)
  })

  it('refuses a file that is not a zip inside', async () => {
    const file = scratch('fake.zip')
    await writeFile(file, 'this is not a zip file, only text with a .zip name')
    const error = await inputError(file)
    expect(error.message).toMatch(/cannot be opened as a zip: .*central directory/i)
    expect(error.hint).toMatch(/truncated/)
  })

  it('refuses a truncated zip', async () => {
    const zipPath = await zipOf(validFiles())
    const bytes = await readFile(zipPath)
    await writeFile(zipPath, bytes.subarray(0, bytes.length - 30))
    expect((await inputError(zipPath)).message).toMatch(/cannot be opened as a zip/)
  })

  it('refuses an empty file and an empty zip', async () => {
    const empty = scratch('empty.zip')
    await writeFile(empty, '')
    expect((await inputError(empty)).message).toMatch(/empty file/)
    expect((await inputError(await zipOf({}))).message).toMatch(/holds no files/)
    expect((await inputError(await zipOf({ 'app/': '' }))).message).toMatch(/holds no files/)
  })

  it('says where the templates are when the zip holds the folder instead of its contents', async () => {
    const zipPath = await zipOf({
      'app/mainTemplate.json': MAIN_TEMPLATE,
      'app/createUiDefinition.json': CREATE_UI
    })
    const error = await inputError(zipPath)
    expect(error.message).toContain(
      "found at 'app/mainTemplate.json'; zip the folder's contents, not the folder"
    )
    expect(error.message).toContain("found at 'app/createUiDefinition.json'")
    expect(error.hint).toMatch(/zip -r/)
  })

  it('names a missing required file', async () => {
    const error = await inputError(await zipOf({ 'mainTemplate.json': MAIN_TEMPLATE }))
    expect(error.message).toMatch(/createUiDefinition\.json is not in the zip; it must be at the root/)
    expect(error.message).not.toMatch(/mainTemplate/)
  })

  it('points out a name that differs only in case', async () => {
    const error = await inputError(
      await zipOf({ 'MainTemplate.json': MAIN_TEMPLATE, 'createUiDefinition.json': CREATE_UI })
    )
    expect(error.message).toMatch(/'MainTemplate.json' must be named exactly 'mainTemplate.json'/)
  })

  it('gives the JSON parse error with its position', async () => {
    const broken = '{\n  "$schema": "x",\n  "resources": [,]\n}'
    const error = await inputError(
      await zipOf({ 'mainTemplate.json': broken, 'createUiDefinition.json': CREATE_UI })
    )
    expect(error.message).toContain(
      "mainTemplate.json is not valid JSON: unexpected ',' at line 3, column 17 (character 36)."
    )
    const uiError = await inputError(
      await zipOf({ 'mainTemplate.json': MAIN_TEMPLATE, 'createUiDefinition.json': '{"a":' })
    )
    expect(uiError.message).toMatch(/createUiDefinition\.json is not valid JSON/)
  })

  it('requires $schema and resources in mainTemplate.json', async () => {
    const error = await inputError(
      await zipOf({
        'mainTemplate.json': '{"contentVersion":"1.0.0.0"}',
        'createUiDefinition.json': CREATE_UI
      })
    )
    expect(error.message).toMatch(/mainTemplate\.json has no "\$schema" and no "resources"/)
    const noResources = await inputError(
      await zipOf({
        'mainTemplate.json': '{"$schema":"x","resources":null}',
        'createUiDefinition.json': CREATE_UI
      })
    )
    expect(noResources.message).toMatch(/has no "resources"/)
    const notObject = await inputError(
      await zipOf({ 'mainTemplate.json': '[]', 'createUiDefinition.json': CREATE_UI })
    )
    expect(notObject.message).toMatch(/not a JSON object/)
  })

  it('does not decompress a template over the cap', async () => {
    // 21 MiB of spaces deflate to a few KB; the declared size alone is refused.
    const huge = Buffer.alloc(21 * 1024 * 1024, ' ')
    const error = await inputError(
      await zipOf({ 'mainTemplate.json': huge, 'createUiDefinition.json': CREATE_UI })
    )
    expect(error.message).toMatch(/mainTemplate\.json is 21 MiB, more than the 20 MiB allowed/)
  })

  it('refuses entries that climb out of the extraction folder (zip-slip)', async () => {
    const zipPath = await zipOf({ ...validFiles(), 'xx/evil.sh': 'x' })
    await patchNames(zipPath, 'xx/evil.sh', '../evil.sh')
    const error = await inputError(zipPath)
    expect(error.message).toContain("zip-slip): '../evil.sh'")
  })

  it('refuses absolute entry names, with backslashes read as separators', async () => {
    const zipPath = await zipOf({ ...validFiles(), _etc_passwd: 'x', a_b_c_d: 'y' })
    await patchNames(zipPath, '_etc_passwd', '/etc/passwd')
    await patchNames(zipPath, 'a_b_c_d', 'a\\..\\..')
    const error = await inputError(zipPath)
    expect(error.message).toContain("'/etc/passwd', 'a/../..'")
  })

  it('refuses duplicate entries', async () => {
    const zipPath = await zipOf({ ...validFiles(), 'one.txt': '1', 'two.txt': '2' })
    await patchNames(zipPath, 'two.txt', 'one.txt')
    expect((await inputError(zipPath)).message).toMatch(
      /entries that name the same file: 'one.txt' and 'one.txt'/
    )
  })

  it('refuses a zip over the size limit before opening it', async () => {
    const zipPath = await zipOf(validFiles())
    const error = await inputError(zipPath, { maxBytes: 100 })
    expect(error.message).toMatch(/Partner Center accepts Azure Application packages up to 100 bytes/)
  })
})

describe('preparePackage with a folder', () => {
  it('zips the folder deterministically, whatever the file times and modes', async () => {
    const folder = await folderOf({
      ...validFiles(),
      'scripts/b.sh': 'echo b',
      'scripts/a.sh': 'echo a',
      'Z.txt': 'z'
    })
    const first = await preparePackage(folder, { workDir: root })
    const firstBytes = await readFile(first.filePath)

    // Touch and chmod: neither may change the zip.
    await utimes(path.join(folder, 'scripts/a.sh'), new Date('2030-05-05'), new Date('2030-05-05'))
    await chmod(path.join(folder, 'scripts/b.sh'), 0o755)
    const second = await preparePackage(folder, { workDir: root })
    const secondBytes = await readFile(second.filePath)

    expect(second.filePath).not.toBe(first.filePath)
    expect(secondBytes.equals(firstBytes)).toBe(true)
    expect(second.sha256).toBe(first.sha256)
    expect(first).toMatchObject({
      fileName: 'app.zip',
      fromFolder: true,
      entries: 6,
      sizeBytes: firstBytes.length,
      ...hashes(firstBytes)
    })

    const entries = await listZip(first.filePath)
    expect(entries.map(entry => entry.name)).toEqual([
      'Z.txt',
      'createUiDefinition.json',
      'mainTemplate.json',
      'nestedtemplates/a.json',
      'scripts/a.sh',
      'scripts/b.sh'
    ])
    for (const entry of entries) {
      expect(entry.date.getFullYear()).toBe(1980)
      expect(entry.date.getMonth()).toBe(0)
      expect(entry.date.getDate()).toBe(1)
      expect(entry.mode).toBe(0o100644)
      expect(entry.method).toBe(8)
    }

    await first.cleanup()
    await second.cleanup()
    await expect(readFile(first.filePath)).rejects.toThrow(/ENOENT/)
    await second.cleanup() // twice is harmless
  })

  it('writes to RUNNER_TEMP when no work folder is given', async () => {
    const runnerTemp = scratch('runner-temp')
    await mkdir(runnerTemp)
    const saved = process.env.RUNNER_TEMP
    process.env.RUNNER_TEMP = runnerTemp
    try {
      const prepared = await preparePackage(await folderOf(validFiles(), 'contoso-app'))
      expect(prepared.fileName).toBe('contoso-app.zip')
      expect(prepared.filePath.startsWith(runnerTemp + path.sep)).toBe(true)
      await prepared.cleanup()
      expect(await readdir(runnerTemp)).toEqual([])
    } finally {
      if (saved === undefined) delete process.env.RUNNER_TEMP
      else process.env.RUNNER_TEMP = saved
    }
  })

  it('refuses a folder with no files', async () => {
    const folder = scratch('empty-folder')
    await mkdir(path.join(folder, 'sub'), { recursive: true })
    expect((await inputError(folder)).message).toMatch(/holds no files/)
  })

  it('says which folder to point at when the templates are one level down', async () => {
    const folder = await folderOf(
      { 'app/mainTemplate.json': MAIN_TEMPLATE, 'app/createUiDefinition.json': CREATE_UI },
      'out'
    )
    const error = await inputError(folder)
    expect(error.message).toContain(
      `found at 'app/mainTemplate.json'; point package-path at the folder that holds it ('${folder}/app')`
    )
    expect(error.hint).toMatch(/not its parent/)
  })

  it('checks the templates of a folder like those of a zip, and leaves no temp zip behind', async () => {
    const work = scratch('work')
    await mkdir(work)
    const folder = await folderOf({
      'mainTemplate.json': '{"$schema": }',
      'createUiDefinition.json': CREATE_UI
    })
    expect((await inputError(folder, { workDir: work })).message).toMatch(
      /mainTemplate\.json is not valid JSON/
    )
    expect(await readdir(work)).toEqual([])
  })

  it('stops zipping once the limit is passed, and removes the partial zip', async () => {
    const work = scratch('work')
    await mkdir(work)
    // Random bytes do not deflate: the zip grows past the limit while being written.
    const folder = await folderOf({ ...validFiles(), 'big.bin': randomBytes(256 * 1024) })
    const error = await inputError(folder, { workDir: work, maxBytes: 4096 })
    expect(error.message).toMatch(/more than 4 KiB once zipped/)
    expect(await readdir(work)).toEqual([])
  })

  it('follows links to files inside the folder but refuses links to folders', async () => {
    const folder = await folderOf({ ...validFiles(), 'docs/readme.txt': 'hello' })
    await symlink(path.join(folder, 'docs/readme.txt'), path.join(folder, 'readme.txt'))
    const prepared = await preparePackage(folder, { workDir: root })
    expect(prepared.entries).toBe(5)
    expect(prepared.contents.map(entry => entry.name)).toContain('readme.txt')
    await prepared.cleanup()

    await symlink(path.join(folder, 'docs'), path.join(folder, 'linked'))
    expect((await inputError(folder, { workDir: root })).message).toMatch(
      /'linked' .* symbolic link to a folder/
    )
  })
})
