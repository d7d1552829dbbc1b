import { describe, expect, it } from '@jest/globals'
import { registerSecret } from '../../src/http/redact.js'
import { renderMarkdown } from '../../src/report/markdown.js'
import { code, md, strong, type Report } from '../../src/report/report.js'
import { escapeText } from '../../src/report/markdown-text.js'

/** Server text that would become live markup if it were rendered as Markdown or HTML. */
const HOSTILE = [
  '<img src="https://evil.example/pixel.png" onerror="alert(1)">',
  '<a href="https://evil.example">click</a>',
  '[click me](https://evil.example/phish)',
  '![pixel](https://evil.example/pixel.png)',
  '<https://evil.example/auto>',
  'https://evil.example/bare',
  'www.evil.example',
  'admin@evil.example',
  '**bold** _it_ ~~gone~~ `code` $x^2$',
  '<details open><summary>x</summary>',
  '&lt;img src=x&gt;',
  '[ref]: https://evil.example/ref'
]

function report(sections: Report['sections'], title = 'T'): Report {
  return { title, outputs: {}, sections }
}

/**
 * Renders Markdown the way a reader sees it, closely enough to tell live markup: links, images,
 * raw HTML tags and autolinks. Escaped characters and entities count as text.
 */
function liveMarkup(markdown: string): string[] {
  const found: string[] = []
  // Backslash escapes and entities are text; take them out before looking for constructs.
  const plain = markdown.replace(/\\[\\`*_{}[\]()#+\-.!|~$<>]/g, 'X').replace(/&[a-z]+;|&#\d+;/g, 'X')
  for (const [what, pattern] of [
    ['a link or image', /!?\[[^\]]*\]\([^)]*\)/],
    ['a reference definition', /^\s*\[[^\]]+\]:\s/m],
    ['an HTML tag', /<\/?(?!br>|details>|\/details>|summary>|\/summary>)[a-z][^>]*>/i],
    ['an autolink', /<https?:[^>]*>/],
    ['a bare URL', /https?:\/\/[a-z0-9]/i],
    ['a www link', /www\.[a-z0-9]/i],
    ['an e-mail link', /[a-z0-9]@[a-z0-9]/i],
    ['emphasis', /\*\*[^*]+\*\*|~~[^~]+~~/]
  ] as const) {
    if (pattern.test(plain)) found.push(`${what}: ${pattern.exec(plain)?.[0]}`)
  }
  return found
}

describe('the job summary renders server text as text', () => {
  it.each(HOSTILE)('in the title, headings, text, lists, tables, details and the failure: %s', hostile => {
    const markdown = renderMarkdown(
      report(
        [
          { heading: hostile, text: hostile, list: [hostile, `- ${hostile}`] },
          {
            table: {
              headers: ['Name', hostile],
              rows: [[hostile, { text: hostile, href: 'https://partner.microsoft.com/x' }]]
            }
          },
          { details: { summary: hostile, body: hostile } }
        ],
        hostile
      ),
      { message: hostile, hint: hostile }
    )
    // Our own link to Partner Center and our own bold label are the only markup allowed.
    const ours = markdown
      .replace(/\]\(https:\/\/partner\.microsoft\.com\/x\)/g, ']')
      .replace('**What to do:**', '')
    expect(liveMarkup(ours)).toEqual([])
  })

  it('keeps what a reader sees: every character of the text is still there', () => {
    const text = 'Name with * and _ and [x] and <b> & "q" | pipe'
    const escaped = escapeText(text)
    const unescaped = escaped
      .replace(/\\(.)/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
    expect(unescaped).toBe(text)
  })

  it('cannot start a block: headings, lists, quotes, rules, setext underlines, ordered lists', () => {
    for (const start of ['# h', '- item', '+ item', '> quote', '---', '===', '1. one', '2) two']) {
      const markdown = renderMarkdown(report([{ text: start }]))
      const body = markdown.split('\n\n')[1].trim()
      expect(body).not.toBe(start)
      expect(body.replace(/\\/g, '').replace('&gt;', '>')).toBe(start)
    }
  })

  it('leaves text that starts no block alone inside a line: cells and headings', () => {
    const markdown = renderMarkdown(
      report([{ heading: '1. Plans', table: { headers: ['Version'], rows: [['1.0.0'], ['- none']] } }])
    )
    expect(markdown).toContain('### 1. Plans\n')
    expect(markdown).toContain('| 1.0.0 |\n| - none |')
  })

  it('keeps a multi-line value in one paragraph or cell, so no line of it starts a block', () => {
    const markdown = renderMarkdown(
      report([
        {
          text: 'first\n# heading\r\n<script>x</script>\r- item',
          table: { headers: ['a'], rows: [['x\n| y |']] }
        }
      ])
    )
    // One line: `# heading` after a <br> is inside the paragraph, not a heading.
    expect(markdown).toContain('first<br># heading<br>&lt;script&gt;x&lt;/script&gt;<br>- item\n')
    expect(markdown).toContain('| x<br>\\| y \\| |')
  })

  it('shows a code body verbatim, whatever fences it holds', () => {
    const body = 'a\n```\n<img src=x>\n````\nb'
    const markdown = renderMarkdown(report([{ details: { summary: 's', body, code: true } }]))
    expect(markdown).toContain(`\`\`\`\`\`\n${body}\n\`\`\`\`\``)
  })

  it('renders our own Markdown, with the values inside it escaped', () => {
    const id = 'x`<img src=y>`'
    const markdown = renderMarkdown(
      report([{ text: md`Submission ${code(id)}: ${strong('<b>Live</b>')} / ${'[a](https://e.example)'}` }])
    )
    expect(markdown).toContain(
      'Submission `` x`<img src=y>` ``: **&lt;b&gt;Live&lt;/b&gt;** / \\[a\\](https:\u200b//e.example)'
    )
  })

  it('links only to https, and only for Link cells', () => {
    const markdown = renderMarkdown(
      report([
        {
          table: {
            headers: ['a', 'b', 'c'],
            rows: [
              [
                { text: 'ok', href: 'https://partner.microsoft.com/o/1/overview' },
                { text: 'js', href: 'javascript:alert(1)' },
                { text: 'paren', href: 'https://partner.microsoft.com/a)(b' }
              ]
            ]
          }
        }
      ])
    )
    expect(markdown).toContain('| [ok](https://partner.microsoft.com/o/1/overview) | js | paren |')
  })

  it('redacts secrets before escaping, so escaping cannot hide one from the redaction', () => {
    registerSecret('s3cr3t_value-with*punctuation')
    const markdown = renderMarkdown(
      report([
        { text: 'token s3cr3t_value-with*punctuation and https://x.blob/p?sv=1&sig=abcdef123456&sp=rwl' },
        { table: { headers: ['a'], rows: [['s3cr3t_value-with*punctuation']] } }
      ])
    )
    expect(markdown).not.toMatch(/s3cr3t/)
    expect(markdown).not.toContain('abcdef123456')
  })
})
