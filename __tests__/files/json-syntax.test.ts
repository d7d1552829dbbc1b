import { describe, expect, it } from '@jest/globals'
import { findJsonError } from '../../src/files/json-syntax.js'

describe('findJsonError', () => {
  it.each([
    ['{"a": 1,}', 8, "'}'"],
    ['{"a" 1}', 5, "'1'"],
    ['[1, 2', 5, 'end of input'],
    ['{"a": tru}', 6, "'t'"],
    ['{"a": "x\\q"}', 9, "'q'"],
    ['{"a": "\\u12G4"}', 11, "'G'"],
    ['{"a": -}', 6, "'-'"],
    ['{"a": 01}', 7, "'1'"],
    ['{} x', 3, "'x'"],
    ['', 0, 'end of input'],
    ['{"a": "line\nbreak"}', 11, "'\n'"]
  ])('finds the error in %j at %i', (text, offset, found) => {
    const where = findJsonError(text)
    expect(where).toMatchObject({ offset, found })
    expect(() => JSON.parse(text)).toThrow()
  })

  it('counts lines and columns from 1', () => {
    expect(findJsonError('{\n  "a": 1,\n  ]\n}')).toEqual({ offset: 14, line: 3, column: 3, found: "']'" })
  })

  it.each(['{}', '[]', '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"],"b":{}}', ' \n[ 0 ] '])(
    'accepts valid JSON %j',
    text => {
      expect(findJsonError(text)).toBeUndefined()
      expect(() => JSON.parse(text)).not.toThrow()
    }
  )
})
