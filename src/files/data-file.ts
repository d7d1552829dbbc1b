/**
 * The one reader of JSON and YAML data files (technical configuration, Product Ingestion resources,
 * and every later file input). It gives the value and, for any JSON path in it, the line and column
 * where that value stands, so that every problem a file has is reported as `file:line` and lands on
 * its line as an annotation. The `yaml` package gives node ranges for JSON as well (JSON is YAML's
 * flow style), so positions come from one source for both formats; they are computed only when a
 * problem needs one. Problems describe the kind of error and its place, never the file's text: a
 * data file may hold secrets.
 */
import { LineCounter, parseDocument, type Document } from 'yaml'
import { findJsonError } from './json-syntax.js'
import type { JsonPath } from './json-schema.js'

export type DataFormat = 'json' | 'yaml'

export interface TextPosition {
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

export interface DataProblem {
  line?: number
  column?: number
  /** What is wrong, e.g. "is not valid JSON: unexpected ','". */
  message: string
}

export interface ParsedData {
  value: unknown
  /** Where the value at `path` starts, or its nearest existing ancestor (a missing property is reported on its object). */
  locate(path: JsonPath): TextPosition | undefined
}

export type DataParseResult = { ok: true; data: ParsedData } | { ok: false; problems: DataProblem[] }

/** Aliases a YAML file may expand before it counts as a "billion laughs" bomb. */
export const MAX_YAML_ALIASES = 100

/** The format a file name says, or undefined for anything that is neither JSON nor YAML. */
export function dataFormatOf(file: string): DataFormat | undefined {
  if (/\.json$/i.test(file)) return 'json'
  if (/\.ya?ml$/i.test(file)) return 'yaml'
  return undefined
}

export function parseData(rawText: string, format: DataFormat): DataParseResult {
  const text = rawText.replace(/^\uFEFF/, '')
  return format === 'json' ? parseJson(text) : parseYaml(text)
}

function parseJson(text: string): DataParseResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // JSON.parse's own message quotes the text around the error; the scanner gives the place instead.
    const at = findJsonError(text)
    return {
      ok: false,
      problems: [
        at
          ? { line: at.line, column: at.column, message: `is not valid JSON: unexpected ${at.found}` }
          : { message: 'is not valid JSON (nested too deeply to locate the error)' }
      ]
    }
  }
  let positions: { document: Document; lineCounter: LineCounter } | undefined
  const locate = (path: JsonPath): TextPosition | undefined => {
    positions ??= positionsOf(text)
    return locateIn(positions.document, positions.lineCounter, path)
  }
  return { ok: true, data: { value, locate } }
}

function parseYaml(text: string): DataParseResult {
  const { document, lineCounter } = positionsOf(text)
  if (document.errors.length) {
    return {
      ok: false,
      problems: document.errors.map(error => {
        const position = lineCounter.linePos(error.pos[0])
        return {
          line: position.line,
          column: position.col,
          message: `is not valid YAML: ${describeYamlError(error.code)}`
        }
      })
    }
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch {
    return {
      ok: false,
      problems: [
        {
          message: `expands more than ${MAX_YAML_ALIASES} YAML aliases (a "billion laughs" document); refused`
        }
      ]
    }
  }
  return { ok: true, data: { value, locate: path => locateIn(document, lineCounter, path) } }
}

function positionsOf(text: string): { document: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false })
  return { document, lineCounter }
}

function locateIn(document: Document, lineCounter: LineCounter, path: JsonPath): TextPosition | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true)
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range
    if (range) {
      const position = lineCounter.linePos(range[0])
      return { line: position.line, column: position.col }
    }
  }
  return undefined
}

/** The yaml package's error codes, in words; its messages can quote the document, so they are not used. */
function describeYamlError(code: string): string {
  const words: Record<string, string> = {
    ALIAS_PROPS: 'an alias cannot have a tag or anchor',
    BAD_ALIAS: 'a bad alias',
    BAD_DIRECTIVE: 'a bad directive',
    BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
    BAD_INDENT: 'bad indentation',
    BAD_PROP_ORDER: 'anchor and tag in the wrong order',
    BAD_SCALAR_START: 'a value that cannot start with this character',
    BLOCK_AS_IMPLICIT_KEY: 'a block used as an implicit key',
    BLOCK_IN_FLOW: 'a block inside a flow collection',
    DUPLICATE_KEY: 'a duplicate key',
    IMPOSSIBLE: 'an impossible structure',
    KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
    MISSING_CHAR: 'a missing character (a closing quote or bracket)',
    MULTILINE_IMPLICIT_KEY: 'an implicit key that spans lines',
    MULTIPLE_ANCHORS: 'several anchors on one node',
    MULTIPLE_DOCS: 'several documents in one file',
    MULTIPLE_TAGS: 'several tags on one node',
    TAB_AS_INDENT: 'a tab used for indentation',
    TAG_RESOLVE_FAILED: 'a tag that cannot be resolved',
    UNEXPECTED_TOKEN: 'an unexpected token'
  }
  return words[code] ?? code.toLowerCase().replace(/_/g, ' ')
}
