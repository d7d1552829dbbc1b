import { redact } from '../http/redact.js'
import { codeBlock, escapeInline, escapeText, isMarkdown, link, toMarkdown } from './markdown-text.js'
import type { Link, Markdown, Report, Section, Table, Text } from './report.js'

/**
 * Renders a report as GitHub-flavoured Markdown for the job summary. Every string of the report is
 * text and is escaped (markdown-text.ts); only Markdown values and links made by our own code are
 * rendered as such. GitHub refuses summaries over 1 MiB per step, so tables are cut to a row budget
 * and the total to a byte budget.
 */

export const SUMMARY_BYTE_LIMIT = 900 * 1024
export const TABLE_ROW_LIMIT = 500

export function renderMarkdown(report: Report, failure?: { message: string; hint?: string }): string {
  const parts: string[] = [`## ${escapeInline(report.title)}`]
  if (failure) {
    parts.push(
      `> [!CAUTION]\n> ${escapeText(failure.message)}${failure.hint ? `\n>\n> **What to do:** ${escapeInline(failure.hint)}` : ''}`
    )
  }
  for (const section of report.sections) parts.push(renderSection(section))
  // A last pass over the whole, for secrets inside our own Markdown.
  let text = redact(parts.filter(Boolean).join('\n\n') + '\n')
  if (Buffer.byteLength(text) > SUMMARY_BYTE_LIMIT) {
    text = Buffer.from(text)
      .subarray(0, SUMMARY_BYTE_LIMIT)
      .toString('utf8')
      .replace(/\uFFFD+$/, '')
    text += '\n\n_The summary was cut at 900 KiB (GitHub accepts at most 1 MiB per step)._\n'
  }
  return text
}

function renderSection(section: Section): string {
  const out: string[] = []
  if (section.heading) out.push(`### ${escapeInline(section.heading)}`)
  if (section.text) out.push(block(section.text))
  if (section.list?.length) out.push(section.list.map(item => `- ${block(item)}`).join('\n'))
  if (section.table) out.push(renderTable(section.table))
  if (section.details) {
    const { summary, body, code } = section.details
    const inner = code && !isMarkdown(body) ? codeBlock(body) : block(body)
    // The blank lines let GitHub render Markdown inside the HTML block.
    out.push(`<details><summary>${escapeInline(summary)}</summary>\n\n${inner}\n\n</details>`)
  }
  return out.join('\n\n')
}

/** A paragraph or list item: Markdown as written, text escaped (its newlines become `<br>`). */
function block(text: Text): string {
  return toMarkdown(text)
}

function renderTable(table: Table): string {
  const rows = table.rows.slice(0, TABLE_ROW_LIMIT)
  const lines = [
    `| ${table.headers.map(cell).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...rows.map(row => `| ${row.map(cell).join(' | ')} |`)
  ]
  if (table.rows.length > rows.length) {
    lines.push(
      '',
      `_${table.rows.length - rows.length} more rows not shown; the full data is in the step outputs._`
    )
  }
  return lines.join('\n')
}

function cell(value: string | Link | Markdown): string {
  // Text escapes `|`; our own Markdown may hold one in a code span, which still ends the cell.
  const source =
    typeof value === 'string'
      ? escapeInline(value)
      : isMarkdown(value)
        ? toMarkdown(value)
        : toMarkdown(link(value.text, value.href))
  return source.replace(/(?<!\\)\|/g, '\\|').replace(/\r?\n/g, '<br>')
}
