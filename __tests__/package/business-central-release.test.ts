import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import yauzl from 'yauzl'
import { InputError } from '../../src/errors.js'
import { prepareBusinessCentralRelease } from '../../src/package/business-central-release.js'
import { packageContentsSections } from '../../src/report/package-contents.js'
import { alGoFileName, writeApp, type AppFacts } from '../helpers/business-central-app.js'

const MAIN: AppFacts = {
  id: '3f1a9c52-8b7d-4e60-a1c4-5d6e7f809a1b',
  name: 'Sales Tools',
  publisher: 'Contoso',
  version: '1.2.0.0'
}
const LIB_A: AppFacts = {
  id: '4a2b0d63-9c8e-4f71-b2d5-6e7f8091ab2c',
  name: 'Lib A',
  publisher: 'Contoso',
  version: '1.0.0.0'
}
const LIB_B: AppFacts = {
  id: '5b3c1e74-ad9f-4a82-83e6-7f8091a2bc3d',
  name: 'Lib B',
  publisher: 'Contoso',
  version: '1.0.0.0'
}

let root: string
let work: string
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pcp-bc-release-'))
  work = path.join(root, 'work')
  await mkdir(work)
  await mkdir(path.join(root, 'apps'))
  for (const app of [MAIN, LIB_A, LIB_B]) await writeApp(path.join(root, 'apps', alGoFileName(app)), app)
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const prepare = (packagePath: string, libraries: string[]) =>
  prepareBusinessCentralRelease(packagePath, libraries, { cwd: root, workDir: work })

async function refusal(packagePath: string, libraries: string[]): Promise<InputError> {
  const error = await prepare(packagePath, libraries).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

async function zipNames(file: string): Promise<string[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true })
  const names: string[] = []
  for await (const entry of zip.eachEntry()) names.push(entry.fileName)
  zip.close()
  return names.sort()
}

describe('prepareBusinessCentralRelease', () => {
  it('finds the main app by glob, every other app beside it as a library, zipped together', async () => {
    const release = await prepare('apps/Contoso_Sales Tools_*.app', ['apps/*.app'])
    try {
      expect(release.main).toMatchObject({
        name: 'Sales Tools',
        version: '1.2.0.0',
        displayPath: 'apps/Contoso_Sales Tools_1.2.0.0.app'
      })
      expect(release.libraries.map(l => l.name)).toEqual(['Lib A', 'Lib B'])
      expect(release.libraryPackage!.fileName).toBe('Contoso_Sales Tools_1.2.0.0.libraries.zip')
      expect(await zipNames(release.libraryPackage!.filePath)).toEqual([
        'Contoso_Lib A_1.0.0.0.app',
        'Contoso_Lib B_1.0.0.0.app'
      ])
      expect(release.mainPackage.sha256).toMatch(/^[0-9a-f]{64}$/)
    } finally {
      await release.cleanup()
    }
    // The temporary zip is gone after cleanup.
    await expect(stat(release.libraryPackage!.filePath)).rejects.toThrow()
  })

  it('uploads one library app as it is, and none when library-path is empty', async () => {
    const one = await prepare('apps/Contoso_Sales Tools_1.2.0.0.app', ['apps/Contoso_Lib A_1.0.0.0.app'])
    expect(one.libraryPackage!.filePath).toBe(path.join(root, 'apps/Contoso_Lib A_1.0.0.0.app'))
    const none = await prepare('apps/Contoso_Sales Tools_1.2.0.0.app', [])
    expect(none.libraryPackage).toBeUndefined()
    // An app is one file as it is: its contents line says nothing of a folder it was not made from.
    for (const prepared of [one.mainPackage, one.libraryPackage!])
      expect(packageContentsSections(prepared)[0]!.text).toMatch(
        /^[^;]+\.app: 1 file\(s\), [^;]+ uncompressed\.$/
      )
  })

  it('refuses extra lines in package-path, pointing at library-path', async () => {
    const error = await refusal('apps/Contoso_Sales Tools_1.2.0.0.app\napps/Contoso_Lib A_1.0.0.0.app', [])
    expect(error.input).toBe('package-path')
    expect(error.message).toMatch(/holds 2 lines/)
    expect(error.hint).toMatch(/library apps in `library-path`/)
  })

  it('leaves the main app out of library-path, refuses a copy of it, and the same library twice', async () => {
    const same = await prepare('apps/Contoso_Sales Tools_*.app', ['apps/Contoso_Sales Tools_1.2.0.0.app'])
    expect(same.libraries).toEqual([])
    await mkdir(path.join(root, 'copies'), { recursive: true })
    await copyFile(path.join(root, 'apps', alGoFileName(MAIN)), path.join(root, 'copies/main-copy.app'))
    await copyFile(path.join(root, 'apps', alGoFileName(LIB_A)), path.join(root, 'copies/lib-a-copy.app'))
    const main = await refusal('apps/Contoso_Sales Tools_*.app', ['copies/main-copy.app'])
    expect(main.input).toBe('library-path')
    expect(main.message).toMatch(/'copies\/main-copy\.app' is the main app again \(App Id 3f1a9c52/)
    const twice = await refusal('apps/Contoso_Sales Tools_*.app', [
      'apps/Contoso_Lib A_1.0.0.0.app',
      'copies/lib-a-copy.app'
    ])
    expect(twice.message).toMatch(
      /'copies\/lib-a-copy\.app' and 'apps\/Contoso_Lib A_1\.0\.0\.0\.app' are the same app/
    )
  })

  it('refuses a library glob that matches nothing', async () => {
    const error = await refusal('apps/Contoso_Sales Tools_*.app', ['deps/*.app'])
    expect(error.input).toBe('library-path')
    expect(error.message).toMatch(/'deps\/\*\.app' matches no file/)
  })
})
