/** What the check needs of a request. */
interface Expectation {
  method: string
  retry: 'idempotent' | 'create'
  answer?: 'json' | 'any'
}

/**
 * Why a successful (2xx) answer cannot be used, or undefined when it can. The APIs answer JSON; an
 * HTML page (a proxy's sign-in page, a gateway's error), a body cut short, or an empty body where an
 * object was due would otherwise read as "no items" or crash a caller on `undefined`.
 */
export function answerProblem(
  spec: Expectation,
  status: number,
  text: string,
  /** Whether `text` parsed as JSON (the transport parses once; a 100 MB page is not parsed twice). */
  parsed: boolean
): string | undefined {
  if ((spec.answer ?? 'json') !== 'json' || spec.method === 'HEAD') return undefined
  if (status === 204 || status === 205) return undefined
  const created = spec.retry === 'create' ? '; outcome unknown: the object may exist' : ''
  if (!text.trim()) {
    // PUT, PATCH and DELETE may answer 200 with nothing to say; GET and POST owe an object.
    if (spec.method !== 'GET' && spec.method !== 'POST') return undefined
    return `the answer had an empty body where JSON was expected${created}`
  }
  if (parsed) return undefined
  return `the answer is not valid JSON (${describeStart(text)}, ${Buffer.byteLength(text)} bytes)${created}`
}

/** "starts with '<!DOCTYPE html>'", or "JSON cut short" for a body that begins as JSON. */
function describeStart(text: string): string {
  const start = text.trimStart()
  if (start.startsWith('{') || start.startsWith('[')) return 'JSON cut short or malformed'
  // Control characters (a terminal escape, a newline) become spaces: the excerpt lands in a log line.
  const excerpt = start.slice(0, 40).replace(/\p{Cc}+/gu, ' ')
  return `starts with '${excerpt}'`
}
