import { describe, expect, it } from '@jest/globals'
import { renderMarkdown, SUMMARY_BYTE_LIMIT, TABLE_ROW_LIMIT } from '../../src/report/markdown.js'

describe('renderMarkdown', () => {
  it('cuts a table at the row limit and says how many rows it left out', () => {
    const rows = Array.from({ length: TABLE_ROW_LIMIT + 1_500 }, (_, i) => [
      { text: `offer-${i}`, href: `https://partner.microsoft.com/x/${i}` },
      `Name ${i} | with pipe`,
      'SaaS',
      `${i}`
    ])
    const text = renderMarkdown({
      title: 'Offers',
      outputs: {},
      sections: [{ table: { headers: ['Offer', 'Name', 'Type', 'ID'], rows } }]
    })
    expect(text).toContain(`| [offer-${TABLE_ROW_LIMIT - 1}](`)
    expect(text).not.toContain(`[offer-${TABLE_ROW_LIMIT}]`)
    expect(text).toContain('1500 more rows not shown')
    expect(text).toContain('Name 1 \\| with pipe')
  })

  it("cuts a summary over the byte limit at the limit, under GitHub's 1 MiB, with a note at the end", () => {
    // Five tables of 500 rows of about 500 bytes: about 1.2 MiB of Markdown, over the 900 KiB budget.
    const table = (t: number) => ({
      headers: ['Offer', 'Description'],
      rows: Array.from({ length: TABLE_ROW_LIMIT }, (_, i) => [`offer-${t}-${i}`, `ü€ ${t}.${i} `.repeat(40)])
    })
    const sections = Array.from({ length: 5 }, (_, t) => ({ heading: `Table ${t}`, table: table(t) }))
    const report = (count: number) => ({ title: 'Offers', outputs: {}, sections: sections.slice(0, count) })
    const text = renderMarkdown(report(5))

    const note = '\n\n_The summary was cut at 900 KiB (GitHub accepts at most 1 MiB per step)._\n'
    expect(text.endsWith(note)).toBe(true)
    const kept = text.slice(0, -note.length)
    // Cut at the budget, less at most the bytes of one character split by it; never a broken character.
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(SUMMARY_BYTE_LIMIT)
    expect(Buffer.byteLength(kept)).toBeGreaterThan(SUMMARY_BYTE_LIMIT - 4)
    expect(kept).not.toContain('\uFFFD')
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024)
    // What is kept is the beginning of the summary, in order: whole tables first, the rest left out.
    expect(kept.startsWith(renderMarkdown(report(3)).trimEnd())).toBe(true)
    expect(kept).not.toContain('### Table 4')
  })

  it.each([0, 1, 2])(
    'never splits a character at the cut (text offset by %i bytes against 3-byte characters)',
    offset => {
      const text = renderMarkdown({
        title: 'T',
        outputs: {},
        sections: [{ text: 'a'.repeat(offset) + '€'.repeat(SUMMARY_BYTE_LIMIT / 3 + 10) }]
      })
      const kept = text.slice(0, text.indexOf('\n\n_The summary was cut'))
      expect(kept).toMatch(/^## T\n\na*€+$/)
      expect(Buffer.byteLength(kept)).toBeGreaterThan(SUMMARY_BYTE_LIMIT - 3)
      expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(SUMMARY_BYTE_LIMIT)
    }
  )

  it('leaves a summary of exactly the byte limit whole', () => {
    const header = '## T\n\n'
    const text = renderMarkdown({
      title: 'T',
      outputs: {},
      sections: [{ text: 'x'.repeat(SUMMARY_BYTE_LIMIT - header.length - 1) }]
    })
    expect(Buffer.byteLength(text)).toBe(SUMMARY_BYTE_LIMIT)
    expect(text).not.toContain('The summary was cut')
  })

  it('shows a failure with its fix, and redacts SAS signatures', () => {
    const text = renderMarkdown(
      {
        title: 'Publish',
        outputs: {},
        sections: [{ text: 'upload https://x.blob/p?sv=1&sig=abcdef123456&sp=rwl' }]
      },
      { message: 'It broke', hint: 'Do this' }
    )
    expect(text).toContain('> It broke')
    expect(text).toContain('**What to do:** Do this')
    expect(text).not.toContain('abcdef123456')
  })
})
