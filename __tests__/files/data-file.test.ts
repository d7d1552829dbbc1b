import { describe, expect, it } from '@jest/globals'
import { dataFormatOf, parseData, type ParsedData } from '../../src/files/data-file.js'

const parsed = (text: string, format: 'json' | 'yaml'): ParsedData => {
  const result = parseData(text, format)
  if (!result.ok) throw new Error(`expected ${format} to parse: ${JSON.stringify(result.problems)}`)
  return result.data
}

describe('data files', () => {
  it('locates values in JSON, falling back to the nearest ancestor', () => {
    const text = '{\n  "resources": [\n    { "a": 1 },\n    {\n      "b": [true, "x"]\n    }\n  ]\n}'
    const data = parsed(text, 'json')
    expect(data.value).toEqual({ resources: [{ a: 1 }, { b: [true, 'x'] }] })
    expect(data.locate(['resources', 1, 'b', 1])).toEqual({ line: 5, column: 19 })
    expect(data.locate(['resources', 0, 'missing'])).toEqual({ line: 3, column: 5 })
    expect(data.locate([])).toEqual({ line: 1, column: 1 })
  })

  it('locates values in YAML the same way', () => {
    const data = parsed('plans:\n  - id: gold\n    price: 3\n  - id: silver\n', 'yaml')
    expect(data.locate(['plans', 1, 'id'])).toEqual({ line: 4, column: 9 })
    expect(data.locate(['plans', 0, 'nothing'])).toEqual({ line: 2, column: 5 })
  })

  it('reads a byte-order mark as nothing', () => {
    expect(parsed('\uFEFF{"a": 1}', 'json').value).toEqual({ a: 1 })
  })

  it('says where JSON breaks without quoting the text', () => {
    const result = parseData('{\n  "clientSecret": "hunter2-secret",\n  "x": ,\n}', 'json')
    expect(result).toEqual({
      ok: false,
      problems: [{ line: 3, column: 8, message: "is not valid JSON: unexpected ','" }]
    })
  })

  it('says where YAML breaks without quoting the text', () => {
    const result = parseData('secret: "hunter2-secret\nother: 1\n', 'yaml')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems[0].line).toEqual(expect.any(Number))
    expect(JSON.stringify(result.problems)).not.toContain('hunter2')
  })

  it('refuses a YAML alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
          .fill(`*${'abcdefghi'[i - 1]}`)
          .join(', ')}]`
      )
    const result = parseData(bomb.join('\n'), 'yaml')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0].message).toMatch(/billion laughs/)
  })

  it('knows formats by file name only', () => {
    expect(dataFormatOf('a/b.JSON')).toBe('json')
    expect(dataFormatOf('b.yml')).toBe('yaml')
    expect(dataFormatOf('b.yaml')).toBe('yaml')
    expect(dataFormatOf('b.txt')).toBeUndefined()
  })
})
