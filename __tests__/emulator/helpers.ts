// Shared helpers of the emulator tests: start an emulator, get tokens, call the v1 API, build zips.
import { deflateRawSync } from 'node:zlib'
import { startEmulator, type RunningEmulator, type StartOptions } from '../../emulator/index.js'
import { DEMO_CREDENTIALS } from '../../emulator/seed/default.js'

export const FAST_TIMINGS = {
  packageProcessing: 50,
  automatedValidation: 50,
  previewCreation: 50,
  certification: 50,
  goLive: 50
}

export async function start(options: StartOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ quiet: true, timings: FAST_TIMINGS, ...options })
}

export async function getToken(
  emu: RunningEmulator,
  opts: { clientId?: string; clientSecret?: string; resource?: string; tenant?: string } = {}
): Promise<string> {
  const res = await fetch(
    `${emu.authorityHost}/${opts.tenant ?? DEMO_CREDENTIALS.tenantId}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: opts.clientId ?? DEMO_CREDENTIALS.clientId,
        client_secret: opts.clientSecret ?? DEMO_CREDENTIALS.clientSecret,
        scope: `${opts.resource ?? 'https://api.partner.microsoft.com'}/.default`
      })
    }
  )
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}

export interface ApiResult<T = any> {
  status: number
  headers: Headers
  body: T
  text: string
}

export function api(emu: RunningEmulator, token: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<ApiResult<T>> {
    const res = await fetch(`${emu.ingestionApiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let parsed: any = undefined
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = text
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text }
  }
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Polls fn until predicate holds (bounded). */
export async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (pred(v)) return v
    if (Date.now() > end)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(v)}`)
    await sleep(20)
  }
}

// --- zip builder (stored or deflated entries), for package tests ---------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export function makeZip(files: Record<string, string | Buffer>, deflate = true): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
    const comp = deflate ? deflateRawSync(data) : data
    const nameBuf = Buffer.from(name)
    const crc = crc32(data)
    const loc = Buffer.alloc(30)
    loc.writeUInt32LE(0x04034b50, 0)
    loc.writeUInt16LE(20, 4)
    loc.writeUInt16LE(0, 6)
    loc.writeUInt16LE(deflate ? 8 : 0, 8)
    loc.writeUInt32LE(crc, 14)
    loc.writeUInt32LE(comp.length, 18)
    loc.writeUInt32LE(data.length, 22)
    loc.writeUInt16LE(nameBuf.length, 26)
    locals.push(loc, nameBuf, comp)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(0x02014b50, 0)
    cen.writeUInt16LE(20, 4)
    cen.writeUInt16LE(20, 6)
    cen.writeUInt16LE(deflate ? 8 : 0, 10)
    cen.writeUInt32LE(crc, 16)
    cen.writeUInt32LE(comp.length, 20)
    cen.writeUInt32LE(data.length, 24)
    cen.writeUInt16LE(nameBuf.length, 28)
    cen.writeUInt32LE(offset, 42)
    centrals.push(cen, nameBuf)
    offset += 30 + nameBuf.length + comp.length
  }
  const cd = Buffer.concat(centrals)
  const eocd = Buffer.alloc(22)
  eocd.writeUInt32LE(0x06054b50, 0)
  const count = Object.keys(files).length
  eocd.writeUInt16LE(count, 8)
  eocd.writeUInt16LE(count, 10)
  eocd.writeUInt32LE(cd.length, 12)
  eocd.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, eocd])
}

export const GOOD_PACKAGE = () =>
  makeZip({
    'mainTemplate.json': JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      resources: [PID_RESOURCE]
    }),
    'createUiDefinition.json': JSON.stringify({
      handler: 'Microsoft.Azure.CreateUIDef',
      version: '0.1.2-preview',
      parameters: {}
    })
  })

/** Uploads bytes to a SAS URL with Put Blob. */
export async function putBlob(
  sasUrl: string,
  data: Buffer,
  headers: Record<string, string> = {}
): Promise<Response> {
  return fetch(sasUrl, {
    method: 'PUT',
    headers: {
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': '2021-08-06',
      'content-type': 'application/octet-stream',
      ...headers
    },
    body: data
  })
}

/** The partner usage attribution deployment Partner Center expects in mainTemplate.json. */
export const PID_RESOURCE = {
  type: 'Microsoft.Resources/deployments',
  apiVersion: '2022-09-01',
  name: 'pid-00000000-0000-0000-0000-000000000000-partnercenter',
  properties: { mode: 'Incremental', template: { resources: [] } }
}
