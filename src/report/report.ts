/**
 * What a command hands back: its outputs and a structured summary. Commands never touch
 * @actions/core for outputs; the reporter (report/write.ts) does, once, at the end.
 */

export const OUTPUT_NAMES = [
  'offers',
  'count',
  'product-id',
  'offer-id',
  'offer-type',
  'plans',
  'package-id',
  'version',
  'submission-id',
  'submission-state',
  'submission-substate',
  'release-status',
  'job-id',
  'job-status',
  'job-result',
  'resource-ids',
  'output-path',
  'partner-center-url'
] as const
export type OutputName = (typeof OUTPUT_NAMES)[number]
export type Outputs = Partial<Record<OutputName, string>>

export interface Table {
  headers: string[]
  /** A string cell is text (shown as written, never as Markdown or HTML); a Link is our own link. */
  rows: Array<Array<string | Link | Markdown>>
}

/** A link we make ourselves (to Partner Center); the renderer accepts https only. */
export interface Link {
  text: string
  href: string
}

/**
 * Text of a report. A plain string is text from anywhere, a server included: the renderer shows it
 * as written (no links, images, HTML or formatting). Markdown is our own, built with `md`.
 */
export type Text = string | Markdown

export interface Section {
  heading?: string
  text?: Text
  table?: Table
  /** Folded block (<details>), e.g. validation output or a request plan; a code body is shown verbatim. */
  details?: { summary: string; body: Text; code?: boolean }
  /** Bullet list. */
  list?: Text[]
}

export interface Report {
  /** Text; escaped like any string. */
  title: string
  outputs: Outputs
  sections: Section[]
}

/** The offer's page in Partner Center; the product ID (server text) is encoded into one path segment. */
export const partnerCenterUrl = (productId: string): string =>
  `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${encodePathSegment(productId)}/overview`

/** encodeURIComponent, plus the characters it leaves that end a Markdown link: ( ) ' ! *. */
function encodePathSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

import type { Markdown } from './markdown-text.js'
export { code, isMarkdown, joinMarkdown, link, md, strong, type Markdown } from './markdown-text.js'
