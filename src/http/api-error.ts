/**
 * Reading the error bodies of the services we call. Each has its own dialect (docs/partner-center-api.md §1.13, §2.9,
 * §3.5); this module turns any of them into a reason and per-field messages.
 */

export interface ParsedApiError {
  /** Service code: `ICH50400`, `badRequest`, `invalid_client`, `AADSTS7000215`, … */
  code?: string
  /** One-line reason given by the service. */
  message?: string
  /** Field name → messages, from v1 validation data, ProblemDetails `errors` or PI `details`. */
  fields: Record<string, string[]>
  /** Nested errors (Product Ingestion `details`). */
  details: Array<{ code?: string; message?: string; resourceId?: string }>
  correlationId?: string
  /** Entra: AADSTS numbers from `error_codes`. */
  entraCodes?: number[]
}

const ICH = /^\s*(ICH\d+)\s*-\s*([^{]*?)\s*(\{[\s\S]*\})?\s*$/

/** Parses a response body text; never throws. */
export function parseApiError(text: string): ParsedApiError {
  const parsed: ParsedApiError = { fields: {}, details: [] }
  const trimmed = text.trim()
  if (!trimmed) return parsed
  let value: unknown = trimmed
  try {
    value = JSON.parse(trimmed)
  } catch {
    // Plain text or XML (Azure Storage); handled below.
  }
  if (typeof value === 'string') return parseErrorString(value, parsed)
  if (value && typeof value === 'object') return parseErrorObject(value as Record<string, unknown>, parsed)
  return parsed
}

function parseErrorString(text: string, parsed: ParsedApiError): ParsedApiError {
  const xmlCode = /<Code>([^<]+)<\/Code>/.exec(text)
  if (xmlCode) {
    parsed.code = xmlCode[1]
    parsed.message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1]?.split('\n')[0]?.trim()
    return parsed
  }
  const ich = ICH.exec(text)
  if (ich) {
    parsed.code = ich[1]
    parsed.message = ich[2].replace(/[.\s]+$/, '') || undefined
    if (ich[3]) mergeInnerJson(ich[3], parsed)
    return parsed
  }
  // 2026 variant: "…RestClientException: Product request failed, …, ResponseContent={ProblemDetails}".
  const first = text.indexOf('{')
  const last = text.lastIndexOf('}')
  if (first >= 0 && last > first) {
    parsed.message =
      text
        .slice(0, first)
        .replace(/ResponseContent=\s*$/, '')
        .trim() || undefined
    mergeInnerJson(text.slice(first, last + 1), parsed)
    return parsed
  }
  parsed.message = text.slice(0, 500)
  return parsed
}

function mergeInnerJson(json: string, parsed: ParsedApiError): void {
  let inner: Record<string, unknown>
  try {
    inner = JSON.parse(json) as Record<string, unknown>
  } catch {
    return
  }
  if (typeof inner.reasonPhrase === 'string') parsed.message = inner.reasonPhrase
  if (typeof inner.title === 'string' && typeof inner.reasonPhrase !== 'string') parsed.message = inner.title
  if (typeof inner.correlationId === 'string') parsed.correlationId = inner.correlationId
  if (typeof inner.traceId === 'string' && !parsed.correlationId) parsed.correlationId = inner.traceId
  mergeFields(inner.data, parsed)
  mergeFields(inner.errors, parsed)
}

function mergeFields(source: unknown, parsed: ParsedApiError): void {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return
  for (const [field, messages] of Object.entries(source as Record<string, unknown>)) {
    const list = Array.isArray(messages) ? messages.map(String) : [String(messages)]
    parsed.fields[field] = [...(parsed.fields[field] ?? []), ...list]
  }
}

function parseErrorObject(body: Record<string, unknown>, parsed: ParsedApiError): ParsedApiError {
  // Entra: {"error":"invalid_client","error_description":"AADSTS7000215: …","error_codes":[7000215]}
  if (typeof body.error === 'string') {
    parsed.code = body.error
    if (typeof body.error_description === 'string') parsed.message = body.error_description.split(/\r?\n/)[0]
    if (Array.isArray(body.error_codes)) parsed.entraCodes = body.error_codes.map(Number)
    if (typeof body.correlation_id === 'string') parsed.correlationId = body.correlation_id
    return parsed
  }
  // Product Ingestion: {"error":{"code","message","details":[…]}}
  if (body.error && typeof body.error === 'object') {
    const error = body.error as Record<string, unknown>
    if (error.code !== undefined) parsed.code = String(error.code)
    if (typeof error.message === 'string') parsed.message = error.message
    collectDetails(error.details, parsed)
    return parsed
  }
  // ASP.NET ProblemDetails
  if (typeof body.title === 'string' || body.errors) {
    parsed.message = typeof body.title === 'string' ? body.title : undefined
    if (typeof body.traceId === 'string') parsed.correlationId = body.traceId
    mergeFields(body.errors, parsed)
    return parsed
  }
  if (typeof body.message === 'string') parsed.message = body.message
  if (typeof body.code === 'string') parsed.code = body.code
  return parsed
}

function collectDetails(details: unknown, parsed: ParsedApiError): void {
  if (!Array.isArray(details)) return
  for (const item of details) {
    if (!item || typeof item !== 'object') continue
    const detail = item as Record<string, unknown>
    parsed.details.push({
      code: detail.code === undefined ? undefined : String(detail.code),
      message: typeof detail.message === 'string' ? detail.message : undefined,
      resourceId: typeof detail.resourceId === 'string' ? detail.resourceId : undefined
    })
    collectDetails(detail.details, parsed)
  }
}

/** A short, readable rendering of the parsed error for messages. */
export function describeApiError(error: ParsedApiError): string {
  const parts: string[] = []
  if (error.code && error.message) parts.push(`${error.code}: ${error.message}`)
  else if (error.message) parts.push(error.message)
  else if (error.code) parts.push(error.code)
  for (const [field, messages] of Object.entries(error.fields)) parts.push(`${field}: ${messages.join(' ')}`)
  for (const detail of error.details) {
    const where = detail.resourceId ? ` (${detail.resourceId})` : ''
    parts.push(`${detail.code ?? 'error'}${where}: ${detail.message ?? ''}`.trim())
  }
  return parts.join('; ')
}
