// Product Ingestion lists that come in pages: the client follows the opaque absolute `@nextLink` of each
// page until the last (docs/partner-center-api.md §2.3), against the emulator as a real HTTP server that
// pages with `$maxpagesize` and `continuationToken`. An offer or plan on a later page is as real as one
// on the first.
import { describe, expect, it } from '@jest/globals'
import { createContext } from '../../src/context.js'
import { readInputs } from '../../src/inputs.js'
import type { PiProduct } from '../../src/product-ingestion/types.js'
import { emulatorInputs, useEmulator } from '../helpers/emulator.js'

const emulator = useEmulator({ timeScale: 1000 })

function client() {
  const inputs = emulatorInputs(emulator, { command: 'list' })
  return createContext(readInputs(name => inputs[name] ?? '')).productIngestion
}

const listCalls = (resource: string) =>
  emulator
    .requests()
    .filter(r => r.method === 'GET' && r.path.startsWith(`/rp/product-ingestion/${resource}?`))

describe('Product Ingestion lists across pages', () => {
  it('every product, one per page, each page asked once, in the order of the single-page list', async () => {
    const pi = client()
    const whole = await pi.all<PiProduct>('product', 'List offers')
    expect(whole.length).toBeGreaterThanOrEqual(3)
    const before = listCalls('product').length
    const paged = await pi.all<PiProduct>('product', 'List offers', { $maxpagesize: '1' })
    expect(paged.map(p => p.id)).toEqual(whole.map(p => p.id))
    const calls = listCalls('product').slice(before)
    expect(calls).toHaveLength(whole.length)
    // Every later page is the link the previous page gave, with its continuation token.
    expect(calls.slice(1).every(c => /[?&]continuationToken=\d+/.test(c.path))).toBe(true)
  })

  it('pages arrive one at a time, the last one without a link', async () => {
    const pi = client()
    const sizes: number[] = []
    for await (const page of pi.pages<PiProduct>('product', 'List offers', { $maxpagesize: '2' }))
      sizes.push(page.length)
    const total = (await pi.all<PiProduct>('product', 'List offers')).length
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total)
    expect(sizes.length).toBe(Math.ceil(total / 2))
    expect(sizes.slice(0, -1).every(s => s === 2)).toBe(true)
  })
})
