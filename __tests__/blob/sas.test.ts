import { describe, expect, it } from '@jest/globals'
import { describeSas, formatSas, sasSignatures, withQuery } from '../../src/blob/sas.js'
import { blockId, blockListXml, planBlocks } from '../../src/blob/blocks.js'

const URL_ =
  'https://ingestionpackagesprod1.blob.core.windows.net/file/3a1b%20c/app.zip?sv=2018-03-28&sr=b&sig=abc%2Bdef%3D&se=2025-01-02T03%3A04%3A05Z&sp=rwl'

describe('describeSas', () => {
  it('describes a SAS URL without its signature', () => {
    const sas = describeSas(URL_)
    expect(sas).toEqual({
      host: 'ingestionpackagesprod1.blob.core.windows.net',
      container: 'file',
      blob: '3a1b c/app.zip',
      expiresOn: new Date('2025-01-02T03:04:05Z'),
      permissions: 'rwl'
    })
    const line = formatSas(sas)
    expect(line).toBe(
      'ingestionpackagesprod1.blob.core.windows.net/file/3a1b c/app.zip (expires 2025-01-02T03:04:05.000Z, permissions rwl)'
    )
    expect(line).not.toMatch(/abc|sig/)
  })

  it('leaves out what the URL does not say', () => {
    expect(describeSas('http://127.0.0.1:10000/c/b?sig=x&se=garbage')).toEqual({
      host: '127.0.0.1:10000',
      container: 'c',
      blob: 'b'
    })
  })

  it('finds the signature raw and decoded', () => {
    expect(sasSignatures(URL_)).toEqual(['abc%2Bdef%3D', 'abc+def='])
    expect(sasSignatures('https://h/c/b?sv=1')).toEqual([])
  })
})

describe('withQuery', () => {
  it('appends parameters without touching the signed ones', () => {
    expect(withQuery(URL_, { comp: 'block', blockid: 'YmxvY2s+/w==' })).toBe(
      `${URL_}&comp=block&blockid=YmxvY2s%2B%2Fw%3D%3D`
    )
    expect(withQuery('https://h/c/b', { comp: 'blocklist' })).toBe('https://h/c/b?comp=blocklist')
  })
})

describe('blocks', () => {
  it('gives every block ID the same length', () => {
    expect(Buffer.from(blockId(0), 'base64').toString()).toBe('block-000001')
    expect(new Set([0, 9, 99, 49_999].map(index => blockId(index).length)).size).toBe(1)
  })

  it('plans inclusive ranges and lists them in order', () => {
    const blocks = planBlocks(10, 4, ['a', 'b', 'c'])
    expect(blocks.map(block => [block.start, block.end, block.sizeBytes])).toEqual([
      [0, 3, 4],
      [4, 7, 4],
      [8, 9, 2]
    ])
    expect(blockListXml(blocks)).toBe(
      `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${blockId(0)}</Latest><Latest>${blockId(1)}</Latest><Latest>${blockId(2)}</Latest></BlockList>`
    )
    expect(() => planBlocks(10, 4, ['a'])).toThrow(/changed while it was being read/)
  })
})
