// The small OData $filter subset the v1 /products endpoint is used with (docs/partner-center-api.md §1.5):
//   externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq '<offerId>')
//   ResourceType eq 'AzureApplication'
// joined with `and`. Property names are case-insensitive. Anything else is refused with 400, so a
// client that builds a different expression finds out here rather than in production.

export interface ProductFilter {
  offerId?: string
  /** externalIDs type asked for (only AzureOfferId ever matches) */
  externalIdType?: string
  resourceType?: string
}

function splitAnd(expr: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote = false
  let start = 0
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]
    if (c === "'") quote = !quote
    else if (!quote && c === '(') depth++
    else if (!quote && c === ')') depth--
    else if (!quote && depth === 0 && /^\sand\s/i.test(expr.slice(i, i + 5))) {
      parts.push(expr.slice(start, i))
      start = i + 5
      i += 4
    }
  }
  parts.push(expr.slice(start))
  return parts.map(p => p.trim()).filter(p => p.length > 0)
}

const unquote = (s: string): string => s.replace(/''/g, "'")

/** Returns the parsed filter, or an error message naming what is unsupported. */
export function parseProductFilter(expr: string): ProductFilter | { error: string } {
  const out: ProductFilter = {}
  const parts = splitAnd(expr.trim())
  if (parts.length === 0) return { error: 'The $filter expression is empty.' }
  for (const part of parts) {
    let m = /^resourceType\s+eq\s+'((?:[^']|'')*)'$/i.exec(part)
    if (m) {
      out.resourceType = unquote(m[1]!)
      continue
    }
    m = /^externalIDs\/any\(\s*(\w+)\s*:\s*(.*)\)$/i.exec(part)
    if (m) {
      const v = m[1]!
      const inner = splitAnd(m[2]!)
      const esc = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      for (const cond of inner) {
        const c = new RegExp(`^${esc}/(type|value)\\s+eq\\s+'((?:[^']|'')*)'$`, 'i').exec(cond)
        if (!c) return { error: `The filter clause '${cond}' is not supported.` }
        if (c[1]!.toLowerCase() === 'type') out.externalIdType = unquote(c[2]!)
        else out.offerId = unquote(c[2]!)
      }
      continue
    }
    return {
      error: `The filter clause '${part}' is not supported. Use externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq '<offer id>') or ResourceType eq '<type>'.`
    }
  }
  return out
}
