import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseNavxManifest, readBusinessCentralApp } from '../../src/package/business-central-app.js'
import { appBytes, navxHeader, navxManifest, writeApp, zipBuffer } from '../helpers/business-central-app.js'

let root: string
let counter = 0
const scratch = (name: string): string => path.join(root, `${++counter}-${name}`)

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pcp-bc-app-test-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const APP = {
  id: '5b7e1c0a-2f1d-4e3b-9a8c-0d1e2f3a4b5c',
  name: 'Sales & Service Tools',
  publisher: 'Contoso Ltd.',
  version: '2.4.0.17'
}

async function refusal(filePath: string, input = 'package-path'): Promise<InputError> {
  const error = await readBusinessCentralApp(filePath, input, path.basename(filePath)).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe(input)
  return error as InputError
}

describe('readBusinessCentralApp', () => {
  it('reads id, name, publisher and version from the manifest (entities decoded)', async () => {
    const file = await writeApp(scratch('Contoso_Sales_2.4.0.17.app'), APP)
    const app = await readBusinessCentralApp(file, 'package-path')
    expect(app).toMatchObject({
      id: APP.id,
      name: 'Sales & Service Tools',
      publisher: 'Contoso Ltd.',
      version: '2.4.0.17',
      readyToRun: false,
      fileName: path.basename(file),
      filePath: path.resolve(file)
    })
    expect(app.sizeBytes).toBeGreaterThan(40)
  })

  it('reads the manifest of the app nested in a ready-to-run package', async () => {
    const inner = await appBytes(APP)
    const outer = await zipBuffer({
      'readytorunappmanifest.json': JSON.stringify({ EmbeddedAppFileName: 'inner_2.4.0.17.app' }),
      'inner_2.4.0.17.app': inner,
      'publishedartifacts/x.dll': Buffer.from([0, 1, 2])
    })
    const file = scratch('r2r.app')
    await writeFile(file, Buffer.concat([navxHeader(outer.length), outer]))
    const work = scratch('work')
    await import('node:fs/promises').then(fs => fs.mkdir(work))
    const app = await readBusinessCentralApp(file, 'library-path', 'r2r.app', { workDir: work })
    expect(app).toMatchObject({ id: APP.id, version: '2.4.0.17', readyToRun: true })
    // The inner app's temporary copy is gone.
    expect(await readdir(work)).toEqual([])
  })

  it('refuses a plain zip, naming the input', async () => {
    const file = scratch('app.app')
    await writeFile(file, await zipBuffer({ 'NavxManifest.xml': navxManifest(APP) }))
    const error = await refusal(file, 'library-path')
    expect(error.message).toMatch(
      /Input 'library-path': '\d+-app\.app' is a plain zip, not a Business Central app/
    )
  })

  it('refuses a file that does not start with the NAVX header', async () => {
    const file = scratch('notes.app')
    await writeFile(file, 'just some text that is long enough to have a header-sized prefix, surely')
    expect((await refusal(file)).message).toMatch(/does not start with the NAVX header/)
  })

  it('refuses a truncated app, and an empty one', async () => {
    const whole = await appBytes(APP)
    const cut = scratch('cut.app')
    await writeFile(cut, whole.subarray(0, whole.length - 30))
    expect((await refusal(cut)).message).toMatch(/truncated or damaged/)
    const empty = scratch('empty.app')
    await writeFile(empty, '')
    expect((await refusal(empty)).message).toMatch(/is an empty file/)
  })

  it('reads a file of the header and 8 bytes as far as it goes; one byte less is too short', async () => {
    const eight = Buffer.alloc(8, 7)
    const shortest = scratch('shortest.app')
    await writeFile(shortest, Buffer.concat([navxHeader(eight.length), eight]))
    expect((await refusal(shortest)).message).toMatch(/not a readable zip/)
    const shorter = scratch('shorter.app')
    await writeFile(shorter, Buffer.concat([navxHeader(7), eight.subarray(0, 7)]))
    expect((await refusal(shorter)).message).toMatch(/is 47 bytes, too short to be a Business Central app/)
  })

  it('refuses an unknown NAVX metadata version', async () => {
    const zip = await zipBuffer({ 'NavxManifest.xml': navxManifest(APP) })
    const file = scratch('v9.app')
    await writeFile(file, Buffer.concat([navxHeader(zip.length, { metadataVersion: 9 }), zip]))
    expect((await refusal(file)).message).toMatch(/metadata version 9/)
  })

  it('refuses a runtime package', async () => {
    const marker = Buffer.alloc(64)
    marker.writeBigInt64LE(72057595132988974n, 0)
    const file = scratch('runtime.app')
    await writeFile(file, Buffer.concat([navxHeader(marker.length), marker]))
    expect((await refusal(file)).message).toMatch(/runtime package/)
  })

  it('refuses a NAVX file whose zip has no manifest, and one whose content is not a zip', async () => {
    const zip = await zipBuffer({ 'readme.txt': 'hello' })
    const file = scratch('nomanifest.app')
    await writeFile(file, Buffer.concat([navxHeader(zip.length), zip]))
    expect((await refusal(file)).message).toMatch(/holds no NavxManifest\.xml/)
    const junk = Buffer.alloc(200, 7)
    const bad = scratch('junk.app')
    await writeFile(bad, Buffer.concat([navxHeader(junk.length), junk]))
    expect((await refusal(bad)).message).toMatch(/not a readable zip/)
  })

  it('refuses a missing path', async () => {
    expect((await refusal(scratch('missing.app'))).message).toMatch(/does not exist/)
  })
})

describe('parseNavxManifest', () => {
  const wrap = (app: string): string =>
    `<?xml version="1.0"?><Package xmlns="http://schemas.microsoft.com/navx/2015/manifest">${app}</Package>`
  const good = `<App Id="{${APP.id.toUpperCase()}}" Name="A &#x26; B" Publisher='P &lt;1&gt;' Version="1.0.0.0"/>`

  it('takes Id (braces and case normalised), Name, Publisher, Version', () => {
    expect(parseNavxManifest(wrap(good))).toEqual({
      id: APP.id,
      name: 'A & B',
      publisher: 'P <1>',
      version: '1.0.0.0'
    })
  })

  it('ignores an App element inside a comment and Dependency elements', () => {
    const xml = wrap(
      `<!-- <App Id="x" Name="old"/> -->${good}<Dependencies><Dependency Id="${APP.id}" Name="Base" Publisher="Microsoft" MinVersion="1.0.0.0"/></Dependencies>`
    )
    expect(parseNavxManifest(xml).name).toBe('A & B')
  })

  it.each([
    ['a DOCTYPE', `<!DOCTYPE Package [<!ENTITY x "y">]>${wrap(good)}`, /DOCTYPE or entity/],
    ['an unknown entity', wrap(good.replace('A &#x26; B', 'A &x; B')), /unknown entity '&x;'/],
    ['a bare ampersand', wrap(good.replace('A &#x26; B', 'A & B')), /bare '&'/],
    ['a three-part version', wrap(good.replace('1.0.0.0', '1.0.0')), /not four numbers/],
    ['an Id that is not a GUID', wrap(good.replace(`{${APP.id.toUpperCase()}}`, 'abc')), /not a GUID/],
    ['no Publisher', wrap(good.replace(`Publisher='P &lt;1&gt;'`, '')), /has no Publisher/],
    ['two App elements', wrap(good + good), /2 App elements/],
    ['no App element', wrap(''), /no App element/],
    ['no Package element', good, /without a Package element/],
    [
      'a repeated attribute',
      wrap(good.replace('Version="1.0.0.0"', 'Version="1.0.0.0" Version="2.0.0.0"')),
      /repeats Version/
    ],
    ['an unterminated tag', wrap('<App Id="1" Name=unquoted />'), /malformed/]
  ])('refuses %s', (_label, xml, message) => {
    expect(() => parseNavxManifest(xml)).toThrow(message)
  })
})
