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
  /** Cells are Markdown-free text or a link. */
  rows: Array<Array<string | Link>>
}

export interface Link {
  text: string
  href: string
}

export interface Section {
  heading?: string
  text?: string
  table?: Table
  /** Folded block (<details>), e.g. validation output or a request plan. */
  details?: { summary: string; body: string; code?: boolean }
  /** Bullet list. */
  list?: string[]
}

export interface Report {
  title: string
  outputs: Outputs
  sections: Section[]
}

export const partnerCenterUrl = (productId: string): string =>
  `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${productId}/overview`
