// Helpers of the Product Ingestion emulator tests: Graph tokens and `$version`-carrying calls.
import type { RunningEmulator } from '../../emulator/index.js'
import { getToken } from '../emulator/helpers.js'

export const VERSION = '2022-03-01-preview3'
export const S = (type: string, version = '2022-03-01-preview2'): string =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`

export interface PiResult<T = any> {
  status: number
  body: T
}

export async function graphToken(emu: RunningEmulator): Promise<string> {
  return getToken(emu, { resource: 'https://graph.microsoft.com' })
}

export function pi(emu: RunningEmulator, token: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { version?: string | null } = {}
  ): Promise<PiResult<T>> {
    const url = new URL(`${emu.productIngestionApiUrl}/${path.replace(/^\//, '')}`)
    if (opts.version !== null) url.searchParams.set('$version', opts.version ?? VERSION)
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }
}

/** Moves the emulator clock past a configure job (queued + running) or a publish. */
export async function advance(emu: RunningEmulator, ms: number): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms })
  })
  if (res.status !== 200) throw new Error(`clock: ${res.status}`)
}
