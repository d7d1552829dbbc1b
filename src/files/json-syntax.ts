/**
 * Where a JSON text stops being valid. JSON.parse on Node 20 does not always say (for an unexpected
 * token it quotes a snippet instead of a position), and "line 40, column 7" is what a user needs to
 * fix a template. This scanner checks syntax only, builds no values, and is run only after
 * JSON.parse has already failed.
 */

export interface JsonErrorPosition {
  /** 0-based character offset. */
  offset: number
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** What was found there: `','`, `'}'`, or `end of input`. */
  found: string
}

class SyntaxStop {
  constructor(readonly offset: number) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])

/** The first offending character, or undefined when the text is valid (or nests too deep to scan). */
export function findJsonError(text: string): JsonErrorPosition | undefined {
  let i = 0
  const stop = (): SyntaxStop => new SyntaxStop(i)
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.has(text[i])) i++
  }
  const expect = (char: string): void => {
    skipWhitespace()
    if (text[i] !== char) throw stop()
    i++
  }
  const string = (): void => {
    i++ // opening quote
    for (;;) {
      if (i >= text.length) throw stop()
      const char = text[i]
      if (char === '"') {
        i++
        return
      }
      if (char === '\\') {
        i++
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k
              throw stop()
            }
          }
          i += 5
          continue
        }
        if (!ESCAPES.has(text[i])) throw stop()
        i++
        continue
      }
      if (char < ' ') throw stop()
      i++
    }
  }
  const value = (): void => {
    skipWhitespace()
    const char = text[i]
    if (char === '{') {
      i++
      skipWhitespace()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skipWhitespace()
        if (text[i] !== '"') throw stop()
        string()
        expect(':')
        value()
        skipWhitespace()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else throw stop()
      }
    }
    if (char === '[') {
      i++
      skipWhitespace()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        skipWhitespace()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else throw stop()
      }
    }
    if (char === '"') return string()
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length
        return
      }
    }
    NUMBER.lastIndex = i
    const number = NUMBER.exec(text)
    if (!number) throw stop()
    i += number[0].length
  }

  try {
    value()
    skipWhitespace()
    if (i < text.length) throw stop()
    return undefined
  } catch (error) {
    if (!(error instanceof SyntaxStop)) return undefined // RangeError: nested too deep to scan
    return position(text, error.offset)
  }
}

function position(text: string, offset: number): JsonErrorPosition {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  const found = offset >= text.length ? 'end of input' : `'${text[offset]}'`
  return { offset, line, column, found }
}
