import { redact } from '../http/redact.js'
import type { Link, Report, Section, Table } from './report.js'

/**
 * Renders a report as GitHub-flavoured Markdown for the job summary. GitHub refuses summaries over
 * 1 MiB per step, so tables are cut to a row budget and the total to a byte budget.
 */

export const SUMMARY_BYTE_LIMIT = 900 * 1024
export const TABLE_ROW_LIMIT = 500

export function renderMarkdown(report: Report, failure?: { message: string; hint?: string }): string {
  const parts: string[] = [`## ${escape(report.title)}`]
  if (failure) {
    parts.push(
      `> [!CAUTION]\n> ${escape(failure.message)}${failure.hint ? `\n>\n> **What to do:** ${escape(failure.hint)}` : ''}`
    )
  }
  for (const section of report.sections) parts.push(renderSection(section))
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
  if (section.heading) out.push(`### ${escape(section.heading)}`)
  if (section.text) out.push(section.text)
  if (section.list?.length) out.push(section.list.map(item => `- ${item}`).join('\n'))
  if (section.table) out.push(renderTable(section.table))
  if (section.details) {
    const body = section.details.code
      ? `\n\n\`\`\`\n${section.details.body.replace(/```/g, '`\u200b``')}\n\`\`\`\n`
      : `\n\n${section.details.body}\n`
    out.push(`<details><summary>${escapeHtml(section.details.summary)}</summary>${body}</details>`)
  }
  return out.join('\n\n')
}

function renderTable(table: Table): string {
  const rows = table.rows.slice(0, TABLE_ROW_LIMIT)
  const lines = [
    `| ${table.headers.map(escapeCell).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...rows.map(
      row => `| ${row.map(cell => (typeof cell === 'string' ? escapeCell(cell) : link(cell))).join(' | ')} |`
    )
  ]
  if (table.rows.length > rows.length) {
    lines.push(
      '',
      `_${table.rows.length - rows.length} more rows not shown; the full data is in the step outputs._`
    )
  }
  return lines.join('\n')
}

function link(cell: Link): string {
  return `[${escapeCell(cell.text)}](${cell.href.replace(/[()\s]/g, encodeURIComponent)})`
}

function escapeCell(text: string): string {
  return escape(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

function escape(text: string): string {
  return text.replace(/[<>]/g, c => (c === '<' ? '&lt;' : '&gt;'))
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
