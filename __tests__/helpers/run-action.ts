import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs the bundled action exactly as the runner does: `node dist/index.js` with INPUT_* variables
 * (upper case, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, outputs in the heredoc
 * format. Under Node 24 by default (the `node` package: what GitHub runs the action on), or under the
 * Node that runs the tests for the compatibility pass.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BUNDLE = join(ROOT, 'dist/index.js')
export const NODE24 = join(ROOT, 'node_modules/node/bin/node')

/** A Node runtime named by its major version: `node24`, `node20`. */
export type NodeRuntime = string
const HOST_RUNTIME: NodeRuntime = `node${process.versions.node.split('.')[0]}`
const RUNTIME_BINARIES = new Map<NodeRuntime, string>([[HOST_RUNTIME, process.execPath]])
if (HOST_RUNTIME !== 'node24' && existsSync(NODE24)) RUNTIME_BINARIES.set('node24', NODE24)

/** What a run uses unless it asks for another: Node 24, as on GitHub (the host's Node without the package). */
export const DEFAULT_RUNTIME: NodeRuntime = RUNTIME_BINARIES.has('node24') ? 'node24' : HOST_RUNTIME

/**
 * Every runtime, the default first: the main flows run once more under the Node that runs the tests
 * (Node 20 on this machine and on CI's Node 20 leg), the oldest the action supports (`engines`).
 */
export const RUNTIMES: NodeRuntime[] = [
  DEFAULT_RUNTIME,
  ...[...RUNTIME_BINARIES.keys()].filter(r => r !== DEFAULT_RUNTIME)
]

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Every file the run wrote in its temp folder (work files, exports), for leak scans. */
  files: Record<string, string>
  durationMs: number
}

export interface RunOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  runtime?: NodeRuntime
  /**
   * Sends this signal once `when()` holds, checked every 20 ms (cancellation tests): tie the signal to
   * what the run has done (e.g. the emulator's request log), not to a delay a busy machine may miss.
   */
  signalWhen?: { signal: NodeJS.Signals; when: () => boolean }
  timeoutMs?: number
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pcp-run-'))
  const outputFile = join(dir, 'github_output')
  const summaryFile = join(dir, 'step_summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const runtime = options.runtime ?? DEFAULT_RUNTIME
  const node = RUNTIME_BINARIES.get(runtime)
  if (!node) throw new Error(`No ${runtime} here; the runtimes are ${RUNTIMES.join(', ')}.`)
  const started = Date.now()
  const child = spawn(node, [BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  const watcher = options.signalWhen
    ? setInterval(() => {
        if (!options.signalWhen!.when()) return
        clearInterval(watcher)
        child.kill(options.signalWhen!.signal)
      }, 20)
    : undefined
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(killer)
  clearInterval(watcher)
  const files: Record<string, string> = {}
  collectFiles(dir, files)
  const run: ActionRun = {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    files,
    durationMs: Date.now() - started
  }
  rmSync(dir, { recursive: true, force: true })
  // Every end-to-end run is scanned for secrets; a leak fails the test that caused it.
  const leaks = findLeaks(run, options)
  if (leaks.length) throw new Error(`The run leaked secrets:\n${leaks.join('\n')}`)
  return run
}

const FIXTURE_KEY_LINES = (() => {
  const lines: string[] = []
  const folder = join(ROOT, '__tests__/fixtures/certificates')
  if (!existsSync(folder)) return lines
  for (const name of readdirSync(folder).filter(n => n.endsWith('.pem'))) {
    const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]+?)-----END/.exec(
      readFileSync(join(folder, name), 'utf8')
    )?.[1]
    for (const line of key?.split('\n') ?? []) if (line.trim().length >= 40) lines.push(line.trim())
  }
  return lines
})()

/**
 * What must never appear anywhere a run writes: the client secret and every other secret the inputs
 * carried, any emulator secret (`EMU~…`), a JWT (access tokens, OIDC tokens, client assertions), a
 * SAS signature, a private key or any line of one.
 */
export function findLeaks(run: ActionRun, options: Pick<RunOptions, 'inputs'>): string[] {
  const text = everythingWritten(run)
  const found: string[] = []
  const secrets = [options.inputs['client-secret'], options.inputs['client-certificate']].filter(
    (s): s is string => !!s && s.length >= 8
  )
  for (const secret of secrets) {
    for (const line of secret
      .split('\n')
      .map(l => l.trim())
      .filter(l => l.length >= 16 && !l.startsWith('-----'))) {
      if (text.includes(line)) found.push(`an input secret (${line.slice(0, 6)}…)`)
    }
  }
  const patterns: Array<[string, RegExp]> = [
    ['an emulator secret', /EMU~[A-Za-z0-9._-]{8,}/],
    ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/],
    ['a SAS signature', /[?&]sig=(?!REDACTED)[A-Za-z0-9%+/=]{8,}/],
    ['a private key', /PRIVATE KEY-----/]
  ]
  for (const [what, pattern] of patterns) {
    const match = pattern.exec(text)
    if (match) found.push(`${what}: …${text.slice(Math.max(0, match.index - 40), match.index + 20)}…`)
  }
  for (const line of FIXTURE_KEY_LINES) if (text.includes(line)) found.push('a line of a fixture private key')
  return found
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter\nvalue\ndelimiter\n`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

function collectFiles(dir: string, into: Record<string, string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const stat = statSync(path)
    if (stat.isDirectory()) collectFiles(path, into)
    else if (stat.size < 5 * 1024 * 1024) into[path] = readFileSync(path, 'latin1')
  }
}

/**
 * Every place a run writes, as one text, for leak scans. `::add-mask::` lines are left out: they are
 * how the runner learns what to mask, and the runner never prints them.
 */
export function everythingWritten(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [stdout, run.stderr, run.summary, JSON.stringify(run.outputs), ...Object.values(run.files)].join(
    '\n'
  )
}

/** The `::error::` annotations of a run. */
export function errorAnnotations(run: ActionRun): string[] {
  return run.stdout
    .split('\n')
    .filter(line => line.startsWith('::error'))
    .map(line =>
      line
        .replace(/^::error[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
        .replace(/%0D/g, '\r')
    )
}
