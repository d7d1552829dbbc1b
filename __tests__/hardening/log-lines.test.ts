import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { log, neutralise } from '../../src/log.js'

/**
 * The runner's reading of a log line, after actions/runner's ActionCommand: the line is split where
 * .NET's ReadLine splits (`\n`, `\r`, `\r\n`); `::name …::` after leading white space (.NET
 * TrimStart), or `##[name …]` anywhere in the line (the legacy form), is a command.
 */
const REGISTERED = [
  'error',
  'warning',
  'notice',
  'debug',
  'add-mask',
  'stop-commands',
  'group',
  'endgroup',
  'echo',
  'set-output',
  'set-env',
  'add-path',
  'save-state',
  'add-matcher',
  'remove-matcher'
]
function runnerCommands(stdout: string): string[] {
  const commands: string[] = []
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(/^[\s\u0085]+/, '')
    const v2 = /^::([^ :]+)[^:]*::/.exec(trimmed)
    // The runner tries the `::` form first, and the legacy form only when that fails.
    if (v2 && REGISTERED.includes(v2[1])) {
      commands.push(trimmed)
      continue
    }
    const v1 = /##\[([^ \]]+)[^\]]*\]/.exec(line)
    if (v1 && REGISTERED.includes(v1[1])) commands.push(line)
  }
  return commands
}

const PAYLOADS = [
  'offer\n::error::pwned',
  'offer\r::add-mask::pwned',
  'offer\r\n::stop-commands::token',
  'offer\n   \t::warning file=a,line=1::pwned',
  'offer\n\u00a0\u2003::notice::pwned',
  'offer\n\u0085::error::pwned',
  '::error::at the very start',
  'text ##[error]legacy anywhere',
  'text ##[add-mask]legacy mask',
  'offer\n::set-output name=x::y',
  'offer\n::group::fake\n::endgroup::'
]

describe('neutralise', () => {
  it.each(PAYLOADS)('leaves no command for the runner in %j', payload => {
    expect(runnerCommands(payload)).not.toEqual([])
    expect(runnerCommands(neutralise(payload))).toEqual([])
  })

  it('changes nothing a reader sees: only zero-width spaces are added, lines are kept', () => {
    for (const payload of PAYLOADS) {
      const out = neutralise(payload)
      expect(out.replace(/\u200b/g, '')).toBe(payload.replace(/\r\n|\r/g, '\n'))
    }
    expect(neutralise('Uploaded 50%: a::b, c :: d, 100%0A')).toBe('Uploaded 50%: a::b, c :: d, 100%0A')
  })
})

describe('log.info', () => {
  let written: string[]
  beforeEach(() => {
    written = []
    jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stdout.write)
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('writes server text that holds commands as plain lines', () => {
    for (const payload of PAYLOADS) log.info(`Offer '${payload}' found.`)
    expect(runnerCommands(written.join(''))).toEqual([])
    expect(written.join('')).toContain('pwned')
  })

  it('keeps annotations one command each, with the server text escaped as their data', () => {
    log.warning('Job said:\n::error::pwned ##[error]x')
    log.annotate('bad\n::add-mask::y', { file: 'a\n::error::b,c:d', line: 3 })
    const out = written.join('')
    const commands = runnerCommands(out)
    expect(commands).toHaveLength(2)
    expect(commands[0]).toBe('::warning::Job said:%0A::error::pwned ##[error]x')
    expect(commands[1]).toBe('::error file=a%0A%3A%3Aerror%3A%3Ab%2Cc%3Ad,line=3::bad%0A::add-mask::y')
  })
})
