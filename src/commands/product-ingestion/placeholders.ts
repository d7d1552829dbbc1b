/**
 * Placeholders in resource files (`configure`): `${{ version }}`, `${{ tag }}` and `${{ <input> }}`
 * (e.g. `${{ image-version }}`, `${{ os-disk-uri }}`) in string values stand for the release being made,
 * so that a repository keeps one set of files for every release. They are replaced in the parsed
 * values (never in the raw text), so a value cannot break the file's syntax or change a string into a
 * number. An unknown or malformed placeholder is a problem at its value's path, which the file reader
 * turns into file and line; nothing is sent while one remains.
 */
import type { JsonPath } from '../../files/json-schema.js'

/** `${{ name }}`; `inputs.` may prefix the name, as in a workflow. */
const PLACEHOLDER = /\$\{\{\s*(?:inputs\.)?([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g
const OPENING = '${{'

export interface PlaceholderProblem {
  /** Path of the string value inside the file. */
  path: JsonPath
  message: string
}

export interface Substituted {
  value: unknown
  problems: PlaceholderProblem[]
  /** Names that were replaced at least once (for the log). */
  used: Set<string>
}

/** A copy of `value` with every placeholder in its strings replaced by `values[name]`. */
export function substitutePlaceholders(
  value: unknown,
  values: Readonly<Record<string, string>>
): Substituted {
  const problems: PlaceholderProblem[] = []
  const used = new Set<string>()
  const known = (): string =>
    Object.keys(values).sort().join(', ') || '(none: no tag, version or release input was given)'
  const visit = (node: unknown, path: JsonPath): unknown => {
    if (typeof node === 'string') {
      if (!node.includes(OPENING)) return node
      const replaced = node.replace(PLACEHOLDER, (whole, name: string) => {
        const key = name.toLowerCase()
        if (!Object.hasOwn(values, key)) {
          problems.push({ path, message: `unknown placeholder ${whole}; known here: ${known()}` })
          return whole
        }
        used.add(key)
        return values[key]
      })
      // What is left of an opening that no placeholder matched is a typo (`${{version}` or `${{ 1x }}`).
      const rest = node.replace(PLACEHOLDER, '')
      if (rest.includes(OPENING)) {
        const at = rest.indexOf(OPENING)
        problems.push({
          path,
          message: `malformed placeholder '${rest.slice(at, at + 40)}'; write \${{ name }} with one of: ${known()}`
        })
      }
      return replaced
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...path, i]))
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(node)) out[key] = visit(item, [...path, key])
      return out
    }
    return node
  }
  return { value: visit(value, []), problems, used }
}
