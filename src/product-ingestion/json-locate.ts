/**
 * Where a value sits in a JSON text: the line and column of `resources[2].identity.externalId`, so
 * that an annotation lands on the line to fix. Only run on texts JSON.parse has already accepted,
 * and only when there is a problem to point at; the walk records the start of every value and of
 * every property name.
 */
import type { JsonPath } from './json-schema.js'

export interface TextPosition {
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

/**
 * Position of the value at `path`, or of its nearest existing ancestor (a missing required property
 * is reported on the object that lacks it).
 */
export function locateJsonPath(text: string, path: JsonPath): TextPosition | undefined {
  const offsets = new Map<string, number>()
  try {
    scan(text, offsets)
  } catch {
    return undefined
  }
  for (let length = path.length; length >= 0; length--) {
    const offset = offsets.get(key(path.slice(0, length)))
    if (offset !== undefined) return toPosition(text, offset)
  }
  return undefined
}

const key = (path: JsonPath): string => JSON.stringify(path)

function scan(text: string, offsets: Map<string, number>): void {
  let i = 0
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++
  }
  const readString = (): string => {
    const start = i
    i++
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (path: JsonPath): void => {
    skip()
    offsets.set(key(path), i)
    const char = text[i]
    if (char === '{') {
      i++
      skip()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skip()
        const name = readString()
        skip()
        i++ // ':'
        value([...path, name])
        skip()
        if (text[i++] === '}') return
      }
    }
    if (char === '[') {
      i++
      skip()
      if (text[i] === ']') {
        i++
        return
      }
      for (let index = 0; ; index++) {
        value([...path, index])
        skip()
        if (text[i++] === ']') return
      }
    }
    if (char === '"') {
      readString()
      return
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++
  }
  // A byte-order mark is not JSON but editors write it.
  if (text.charCodeAt(0) === 0xfeff) i = 1
  value([])
}

function toPosition(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
