/**
 * A small JSON Schema (2020-12) validator for Microsoft's Product Ingestion schemas. It covers the
 * keywords those schemas use (checked against every file in schemas/) and nothing more, which keeps
 * the bundle small and lets the messages name the field in words a publisher understands. Unknown
 * `$ref` targets (the schemas point at a few they do not ship, e.g. masked-secret) accept anything:
 * the service has the last word, and a local false alarm would block a valid configuration.
 */

export type JsonPath = Array<string | number>

export interface SchemaProblem {
  path: JsonPath
  message: string
}

type Schema = boolean | { [keyword: string]: unknown }
type SchemaObject = { [keyword: string]: unknown }

interface Located {
  schema: Schema
  /** The document that `#/...` references inside `schema` resolve against. */
  root: SchemaObject
  /** The file the schema came from: fallback root for `#/$defs/...` of bundled definitions. */
  fileRoot: SchemaObject
}

export class SchemaSet {
  private readonly byId = new Map<string, Located>()
  private readonly patterns = new Map<string, RegExp>()

  /**
   * @param documents schema files; every `$id` inside them (the root and bundled `$defs`) is indexed.
   *   The files bundle the same shared definitions again and again; the first copy wins.
   * @param overrides definitions replaced by id (a pattern the service no longer enforces as written).
   */
  constructor(documents: SchemaObject[], overrides: Record<string, SchemaObject> = {}) {
    for (const [id, schema] of Object.entries(overrides))
      this.byId.set(normalizeId(id), { schema, root: schema, fileRoot: schema })
    for (const document of documents) this.index(document, document)
  }

  private index(node: unknown, fileRoot: SchemaObject): void {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (const item of node) this.index(item, fileRoot)
      return
    }
    const schema = node as SchemaObject
    if (typeof schema.$id === 'string') {
      const id = normalizeId(schema.$id)
      if (!this.byId.has(id)) this.byId.set(id, { schema, root: schema, fileRoot })
    }
    for (const [key, value] of Object.entries(schema)) {
      // `properties` maps names to schemas: a property called `$id` is not an id.
      if (key === 'enum' || key === 'const' || key === '$example' || key === 'default') continue
      this.index(value, fileRoot)
    }
  }

  has(id: string): boolean {
    return this.byId.has(normalizeId(id))
  }

  /** Problems of `value` against the schema with this `$id`; empty when valid. */
  validate(id: string, value: unknown): SchemaProblem[] {
    const located = this.byId.get(normalizeId(id))
    if (!located) throw new Error(`No schema '${id}'`)
    const problems: SchemaProblem[] = []
    this.check(located.schema, value, [], located, problems)
    return problems
  }

  private check(schema: Schema, value: unknown, path: JsonPath, at: Located, out: SchemaProblem[]): void {
    if (schema === true) return
    if (schema === false) {
      out.push({ path, message: 'is not allowed here' })
      return
    }
    const s = schema
    if (typeof s.$ref === 'string') {
      const target = this.resolve(s.$ref, at)
      if (target) this.check(target.schema, value, path, target, out)
    }
    if (s.type !== undefined && !matchesType(s.type, value)) {
      out.push({ path, message: `must be ${describeType(s.type)}` })
      // Every further keyword would only repeat this.
      return
    }
    if ('const' in s && !deepEqual(s.const, value))
      out.push({ path, message: `must be ${JSON.stringify(s.const)}` })
    if (Array.isArray(s.enum) && !s.enum.some(option => deepEqual(option, value))) {
      out.push({
        path,
        message: `must be one of: ${s.enum.map(option => JSON.stringify(option)).join(', ')} (found ${preview(value)})`
      })
    }
    if (typeof value === 'string') this.checkString(s, value, path, out)
    if (typeof value === 'number') {
      if (typeof s.minimum === 'number' && value < s.minimum)
        out.push({ path, message: `must be at least ${s.minimum}` })
      if (typeof s.maximum === 'number' && value > s.maximum)
        out.push({ path, message: `must be at most ${s.maximum}` })
    }
    if (Array.isArray(value)) this.checkArray(s, value, path, at, out)
    if (isObject(value)) this.checkObject(s, value, path, at, out)

    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) this.check(sub, value, path, at, out)
    if (Array.isArray(s.anyOf)) this.checkAlternatives(s.anyOf as Schema[], value, path, at, out, 'any')
    if (Array.isArray(s.oneOf)) this.checkAlternatives(s.oneOf as Schema[], value, path, at, out, 'one')
    if (s.not !== undefined && this.passes(s.not as Schema, value, path, at))
      out.push({ path, message: describeNot(s.not as Schema) })
    if (s.if !== undefined) {
      const branch = this.passes(s.if as Schema, value, path, at) ? s.then : s.else
      if (branch !== undefined) this.check(branch as Schema, value, path, at, out)
    }
  }

  private checkString(s: SchemaObject, value: string, path: JsonPath, out: SchemaProblem[]): void {
    const length = [...value].length
    if (typeof s.minLength === 'number' && length < s.minLength)
      out.push({ path, message: `must be at least ${s.minLength} character(s) long` })
    if (typeof s.maxLength === 'number' && length > s.maxLength)
      out.push({ path, message: `must be at most ${s.maxLength} characters long (found ${length})` })
    if (typeof s.pattern === 'string' && !this.pattern(s.pattern).test(value)) {
      out.push({ path, message: `${preview(value)} does not match the pattern ${s.pattern}` })
    }
    if (typeof s.format === 'string' && !matchesFormat(s.format, value))
      out.push({ path, message: `${preview(value)} is not a valid ${s.format}` })
  }

  private checkArray(
    s: SchemaObject,
    value: unknown[],
    path: JsonPath,
    at: Located,
    out: SchemaProblem[]
  ): void {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      out.push({ path, message: `must have at least ${s.minItems} item(s)` })
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      out.push({ path, message: `must have at most ${s.maxItems} items (found ${value.length})` })
    if (s.uniqueItems === true) {
      for (let i = 1; i < value.length; i++) {
        if (value.slice(0, i).some(other => deepEqual(other, value[i])))
          out.push({ path: [...path, i], message: 'repeats an earlier item' })
      }
    }
    if (typeof s.items === 'object' || typeof s.items === 'boolean') {
      value.forEach((item, i) => this.check(s.items as Schema, item, [...path, i], at, out))
    }
  }

  private checkObject(
    s: SchemaObject,
    value: Record<string, unknown>,
    path: JsonPath,
    at: Located,
    out: SchemaProblem[]
  ): void {
    const properties = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {}
    if (Array.isArray(s.required)) {
      for (const name of s.required as string[])
        if (!(name in value)) out.push({ path, message: `must have the property '${name}'` })
    }
    for (const [name, sub] of Object.entries(properties))
      if (name in value) this.check(sub, value[name], [...path, name], at, out)
    const patternProperties = isObject(s.patternProperties)
      ? (s.patternProperties as Record<string, Schema>)
      : {}
    for (const [name, child] of Object.entries(value)) {
      let known = name in properties
      for (const [pattern, sub] of Object.entries(patternProperties)) {
        if (this.pattern(pattern).test(name)) {
          known = true
          this.check(sub, child, [...path, name], at, out)
        }
      }
      if (known) continue
      if (s.additionalProperties === false)
        out.push({ path: [...path, name], message: `'${name}' is not a known property here` })
      else if (isObject(s.additionalProperties))
        this.check(s.additionalProperties as Schema, child, [...path, name], at, out)
    }
  }

  /** anyOf / oneOf: when no branch fits, report the branch that came closest (fewest problems). */
  private checkAlternatives(
    branches: Schema[],
    value: unknown,
    path: JsonPath,
    at: Located,
    out: SchemaProblem[],
    mode: 'any' | 'one'
  ): void {
    const results = branches.map(branch => {
      const problems: SchemaProblem[] = []
      this.check(branch, value, path, at, problems)
      return problems
    })
    const passing = results.filter(problems => problems.length === 0).length
    if (passing === 0) {
      const closest = results.reduce((best, problems) =>
        depth(problems) > depth(best) || (depth(problems) === depth(best) && problems.length < best.length)
          ? problems
          : best
      )
      out.push(...closest)
      if (closest.length === 0)
        out.push({ path, message: `does not match any of the ${branches.length} allowed forms` })
    } else if (mode === 'one' && passing > 1) {
      out.push({ path, message: `matches ${passing} of the allowed forms; it must match exactly one` })
    }
  }

  private passes(schema: Schema, value: unknown, path: JsonPath, at: Located): boolean {
    const problems: SchemaProblem[] = []
    this.check(schema, value, path, at, problems)
    return problems.length === 0
  }

  private resolve(ref: string, at: Located): Located | undefined {
    if (ref.startsWith('#')) {
      return pointer(at.root, ref, at) ?? pointer(at.fileRoot, ref, { ...at, root: at.fileRoot })
    }
    const [base, fragment] = ref.split('#')
    const located = this.byId.get(normalizeId(base))
    if (!located || !fragment) return located
    return pointer(located.root, `#${fragment}`, located)
  }

  private pattern(source: string): RegExp {
    let re = this.patterns.get(source)
    if (!re) {
      // Without the `u` flag: the schemas' patterns were written for .NET and use escapes (`\-`)
      // that unicode mode rejects.
      re = new RegExp(source)
      this.patterns.set(source, re)
    }
    return re
  }
}

function pointer(root: SchemaObject, ref: string, at: Located): Located | undefined {
  let node: unknown = root
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (!node || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  if (node === undefined || (typeof node !== 'object' && typeof node !== 'boolean')) return undefined
  return { schema: node as Schema, root: at.root, fileRoot: at.fileRoot }
}

/** Schema ids are compared without a trailing `#` (customer-leads declares its `$schema` that way). */
function normalizeId(id: string): string {
  return id.replace(/#$/, '')
}

function depth(problems: SchemaProblem[]): number {
  return problems.reduce((max, problem) => Math.max(max, problem.path.length), -1)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function matchesType(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? (type as string[]) : [String(type)]
  const actual = typeOf(value)
  return types.some(
    t =>
      t === actual || (t === 'integer' && Number.isInteger(value)) || (t === 'number' && actual === 'number')
  )
}

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? (type as string[]) : [String(type)]
  const words: Record<string, string> = {
    object: 'an object',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    null: 'null'
  }
  return types.map(t => words[t] ?? t).join(' or ')
}

function describeNot(not: Schema): string {
  if (typeof not === 'object' && Array.isArray(not.required) && Object.keys(not).length === 1) {
    return `must not have ${(not.required as string[]).map(name => `'${name}'`).join(', ')} here`
  }
  return 'has a form that is not allowed here'
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d\d-\d\d$/,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
  duration: /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/
}

function matchesFormat(format: string, value: string): boolean {
  const re = FORMATS[format]
  return !re || re.test(value)
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((item, i) => deepEqual(item, (b as unknown[])[i]))
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length &&
    ka.every(k => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}

/** `resources[2].identity.externalId` from a JSON path. */
export function formatPath(path: JsonPath): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) text += text ? `.${part}` : part
    else text += `[${JSON.stringify(part)}]`
  }
  return text || '(root)'
}
