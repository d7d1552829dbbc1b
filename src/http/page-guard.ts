import { ActionError } from '../errors.js'
import { redactUrl } from './redact.js'

/**
 * Most pages one list may take. Partner Center pages hold 100 items or more, so this is far above
 * any real account, and low enough that a server that keeps handing out new links stops within
 * seconds, not after tens of thousands of requests.
 */
export const MAX_PAGES = 1000

/**
 * The loop guard of every paged list (v1 `nextLink`, Product Ingestion `@nextLink`): a link already
 * followed, or one page too many, ends the list with an error that says so, rather than a loop.
 */
export class PageGuard {
  private readonly seen = new Set<string>()

  constructor(
    private readonly operation: string,
    private readonly maxPages = MAX_PAGES
  ) {}

  /** Call with each page's URL before it is fetched (the first included). */
  visit(url: string): void {
    const key = normalize(url)
    if (this.seen.has(key)) {
      throw new ActionError(
        `${this.operation}: the service sent a next-page link that was already followed (${redactUrl(url)}) after ${this.seen.size} page(s); the list loops, so it was stopped.`,
        { hint: 'This is a fault of the service; run again later.' }
      )
    }
    if (this.seen.size >= this.maxPages) {
      throw new ActionError(
        `${this.operation}: stopped after ${this.maxPages} pages; the service kept sending next-page links.`,
        { hint: 'This is a fault of the service (or a list far larger than any real one); run again later.' }
      )
    }
    this.seen.add(key)
  }
}

/** The same page however its link is spelled: parsed, fragment dropped. */
function normalize(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.hash = ''
    return parsed.href
  } catch {
    return url
  }
}
