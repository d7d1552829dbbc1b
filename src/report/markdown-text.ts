import { redact } from '../http/redact.js'

/**
 * Text and Markdown for the job summary. Offer names, IDs, states and error messages come from
 * Partner Center (or from whoever answers at the configured URL); rendered as Markdown they could
 * put a link, an image that calls home, or HTML into the summary. So every string is text, escaped
 * here, and Markdown is a separate type that only our own code makes: the literal parts of an `md`
 * template, `code` and `strong`, whose arguments are escaped in turn.
 */

const MARKDOWN = Symbol('markdown')

/** Markdown written by this action; never made from a server's text without escaping it. */
export interface Markdown {
  readonly [MARKDOWN]: string
  toString(): string
}

export function isMarkdown(value: unknown): value is Markdown {
  return typeof value === 'object' && value !== null && MARKDOWN in value
}

function markdown(source: string): Markdown {
  // toString gives the source, for tests and for a Markdown value put in a plain string by mistake
  // (it is then escaped again as text: shown with its marks, never rendered).
  return { [MARKDOWN]: source, toString: () => source }
}

/**
 * The Markdown source of text or Markdown: text is escaped (for the start of a block unless
 * `inline`), Markdown is taken as it is.
 */
export function toMarkdown(value: string | number | Markdown, inline = false): string {
  if (isMarkdown(value)) return value[MARKDOWN]
  return inline ? escapeInline(String(value)) : escapeText(String(value))
}

/**
 * Our own Markdown around values: the template's literal parts are Markdown, each value is text
 * (escaped) unless it is Markdown itself. `md\`Submission ${code(id)}: ${strong(state)}\``.
 */
export function md(literals: TemplateStringsArray, ...values: Array<string | number | Markdown>): Markdown {
  let source = literals[0]
  // A value that opens the template may open a block; the others sit inside a line.
  values.forEach((value, i) => (source += toMarkdown(value, source !== '') + literals[i + 1]))
  return markdown(source)
}

/** An inline code span holding `text` verbatim (no Markdown or HTML is read inside one). */
export function code(text: string | number): Markdown {
  const body = redact(String(text)).replace(/[\r\n]+/g, ' ')
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = body.startsWith('`') || body.endsWith('`') || /^ .* $/.test(body) ? ' ' : ''
  return markdown(`${fence}${pad}${body}${pad}${fence}`)
}

/** A link of our own; an href that is not plain https (or could end the link early) gives the text alone. */
export function link(text: string, href: string): Markdown {
  const label = escapeInline(text)
  return markdown(/^https:\/\/[^\s()<>"'\\]+$/.test(href) ? `[${label}](${href})` : label)
}

/** Markdown values joined by a separator (itself Markdown of our own). */
export function joinMarkdown(values: Array<string | Markdown>, separator: string): Markdown {
  return markdown(values.map(value => toMarkdown(value, true)).join(separator))
}

/** Bold text. */
export function strong(text: string | number | Markdown): Markdown {
  return markdown(`**${toMarkdown(text, true)}**`)
}

/** A fenced code block holding `text` verbatim; the fence is longer than any backtick run in it. */
export function codeBlock(text: string): string {
  const body = redact(text)
  const longestRun = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  return `${fence}\n${body}\n${fence}`
}

/**
 * Text as Markdown that renders as exactly that text, on one line, where a block may start (a
 * paragraph, a list item, a quote): no emphasis, links, images, HTML, headings, lists, tables or
 * math. Secrets are redacted first (escaping would hide them from the redaction patterns).
 */
export function escapeText(text: string): string {
  return (
    escapeInline(text)
      // What opens a block only at its start: headings, lists, thematic breaks, setext
      // underlines, ordered lists (`1.`, `1)`); quotes are `&gt;` by now.
      .replace(/^(\s*)([-+#=])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  )
}

/** Like escapeText, for text in the middle of a line (a table cell, a heading, after a label). */
export function escapeInline(text: string): string {
  return (
    redact(String(text))
      // The characters that open or close an inline construct anywhere in a line: backslash
      // escapes, code, emphasis, links and images (`[`), table cells, strike-through, math.
      .replace(/[\\`*_[\]|~$]/g, '\\$&')
      .replace(/[&<>"]/g, c => HTML_ENTITIES[c])
      // GitHub turns bare URLs, `www.` names, e-mail addresses and @mentions into links; a
      // zero-width space after the scheme's colon, `www` and `@` stops that without changing what
      // a reader sees.
      .replace(/:\/\//g, ':\u200b//')
      .replace(/\b(www)\./gi, '$1\u200b.')
      .replace(/@/g, '@\u200b')
      // One line: a newline could start a block (a heading, a list, a fence) of the text's making.
      .replace(/\r\n|\r|\n/g, '<br>')
  )
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
