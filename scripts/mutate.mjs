#!/usr/bin/env node
// Mutation testing of the risky modules: `npm run mutate [-- options]`.
//
// Each mutant changes one behaviour in one source file (a boolean flipped, a condition negated, a
// comparison or logical operator swapped, a number ×1000 or +1, a call statement deleted, a returned
// value replaced, a string emptied). It is applied to the file on disk; the unit tests related to the
// file run first (jest --findRelatedTests --bail, the suites that run the bundle left out); only when
// they all pass is the bundle rebuilt (npm run build:action) and the end-to-end suites (every test file
// that runs dist/index.js) run with --bail. The file is restored in every case, also on Ctrl-C or a
// crash (the original is kept in node_modules/.cache/mutate/ and put back by the next start), and dist/
// is put back as it was.
//
// Why not Stryker: its jest runner drives jest in-process with mutation switching (every mutant
// compiled into one instrumented copy, chosen by an environment variable). Here the unit tests run
// under `--experimental-vm-modules` with ts-jest in ESM mode, which Stryker's jest runner does not
// support, and half of what matters is only seen through the ncc bundle run as a child process by the
// end-to-end suites, which Stryker cannot rebuild per mutant. A mutant on disk, then the real build and
// the real suites, is slower but tests exactly what ships.
//
// Options:
//   --module <path>   a file or folder under src/ (repeatable); default: the modules listed below
//   --max <n>         at most n mutants per module, a deterministic sample (same choice every run)
//   --jobs 1          mutants run one at a time (the source tree and dist/ are shared; only 1 is allowed)
//   --no-e2e          stop after the unit tests (survivors are marked "survived-unit")
//   --no-baseline     do not check first that the tests pass without mutants
//   --survivors       run again only the mutants that survived in mutation-report.json (after adding
//                     tests); the others keep the status they had there
//   --carry           run the sample chosen by --module/--max, but a mutant that mutation-report.json
//                     counts as killed (same file, line text and mutation) keeps that status and is not
//                     run again: a larger --max, or another module, costs only the new mutants
//   --match <text>    only mutants whose file, line text or mutation contains text (repeatable: any)
//   --report-only     write the report again from mutation-report.json with the current equivalents
//   --list            print the mutants and exit
// Writes mutation-report.md and mutation-report.json. Survivors explained as equivalent are kept in
// scripts/mutation-equivalents.json by file, line text and mutation, so explanations survive line moves.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DEFAULT_MODULES = [
  'src/http',
  'src/auth',
  'src/inputs.ts',
  'src/commands/common',
  'src/wait.ts',
  'src/package',
  'src/blob',
  'src/product-ingestion/client.ts',
  'src/ingestion/client.ts'
]
const CACHE = path.join(root, 'node_modules/.cache/mutate')
const BACKUP = path.join(CACHE, 'original.json')
const DIST_BACKUP = path.join(CACHE, 'dist')
const EQUIVALENTS = path.join(root, 'scripts/mutation-equivalents.json')
const UNIT_TIMEOUT_MS = 10 * 60_000
const E2E_TIMEOUT_MS = 30 * 60_000

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const options = {
    modules: [],
    max: Infinity,
    jobs: 1,
    e2e: true,
    baseline: true,
    list: false,
    match: [],
    reportOnly: false,
    survivors: false,
    carry: false
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const next = argv[++i]
      if (next === undefined) fail(`${arg} needs a value`)
      return next
    }
    if (arg === '--module') options.modules.push(value())
    else if (arg === '--max') options.max = positiveInteger(arg, value())
    else if (arg === '--jobs') options.jobs = positiveInteger(arg, value())
    else if (arg === '--no-e2e') options.e2e = false
    else if (arg === '--no-baseline') options.baseline = false
    else if (arg === '--list') options.list = true
    else if (arg === '--survivors') options.survivors = true
    else if (arg === '--carry') options.carry = true
    else if (arg === '--match') options.match.push(value())
    else if (arg === '--report-only') options.reportOnly = true
    else fail(`unknown option ${arg} (see the header of scripts/mutate.mjs)`)
  }
  if (options.jobs !== 1) {
    fail('--jobs: only 1 is possible; mutants are written to the shared source tree and dist/')
  }
  if (options.modules.length === 0) options.modules = DEFAULT_MODULES
  for (const m of options.modules) {
    if (!fs.existsSync(path.join(root, m))) fail(`--module ${m}: no such file or folder`)
  }
  return options
}

function positiveInteger(name, text) {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive whole number, not '${text}'`)
  return n
}

function fail(message) {
  restoreAll()
  console.error(`mutate: ${message}`)
  process.exit(2)
}

// ---------------------------------------------------------------- mutants

function filesOf(module) {
  const full = path.join(root, module)
  if (fs.statSync(full).isFile()) return [module]
  return fs
    .readdirSync(full, { recursive: true })
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => path.posix.join(module, f.split(path.sep).join('/')))
    .sort()
}

const SWAPS = {
  [ts.SyntaxKind.LessThanToken]: '<=',
  [ts.SyntaxKind.LessThanEqualsToken]: '<',
  [ts.SyntaxKind.GreaterThanToken]: '>=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
  [ts.SyntaxKind.EqualsEqualsToken]: '!=',
  [ts.SyntaxKind.ExclamationEqualsToken]: '==',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '||',
  [ts.SyntaxKind.BarBarToken]: '&&',
  [ts.SyntaxKind.QuestionQuestionToken]: '&&'
}

const LOG_CALL = /^(log|core|console)\.(info|debug|warning|notice|group|startGroup)$/

/** Every mutant of one file: { file, start, end, replacement, mutation, line, lineText }. */
export function mutantsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const mutants = []
  const add = (node, replacement, mutation, start = node.getStart(source), end = node.getEnd()) => {
    // A "mutant" that writes back what is there (`return undefined` → undefined) changes nothing.
    if (text.slice(start, end) === replacement || `(${text.slice(start, end)})` === replacement) return
    const line = source.getLineAndCharacterOfPosition(start).line
    mutants.push({
      file,
      start,
      end,
      replacement,
      mutation,
      line: line + 1,
      lineText: text.split('\n')[line].trim()
    })
  }
  const short = node => {
    const t = node.getText(source).replace(/\s+/g, ' ')
    return t.length > 60 ? `${t.slice(0, 57)}...` : t
  }
  const inTypeOrDeclarationOnly = node => {
    for (let p = node.parent; p; p = p.parent) {
      if (ts.isTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) return true
      if (ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)) return true
      if (ts.isEnumMember(p) && p.name === node) return true
    }
    return false
  }
  const isLogText = node => {
    for (let p = node.parent; p && !ts.isStatement(p); p = p.parent) {
      if (ts.isCallExpression(p) && LOG_CALL.test(p.expression.getText(source))) return true
    }
    return false
  }

  const visit = node => {
    if (inTypeOrDeclarationOnly(node)) return
    switch (node.kind) {
      case ts.SyntaxKind.TrueKeyword:
        add(node, 'false', 'true → false')
        break
      case ts.SyntaxKind.FalseKeyword:
        add(node, 'true', 'false → true')
        break
      case ts.SyntaxKind.NumericLiteral: {
        const n = Number(node.text)
        if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) break
        if (n >= 10) add(node, String(n * 1000), `${node.text} → ${n * 1000}`)
        else add(node, String(n + 1), `${node.text} → ${n + 1}`)
        break
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral: {
        const p = node.parent
        const isKey =
          (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) &&
          p.name === node
        if (node.text !== '' && !isKey && !isLogText(node) && !ts.isLiteralTypeNode(p)) {
          add(node, "''", `${short(node)} → ''`)
        }
        break
      }
      default:
    }
    if (ts.isBinaryExpression(node) && SWAPS[node.operatorToken.kind]) {
      const op = node.operatorToken
      add(
        op,
        SWAPS[op.kind],
        `'${op.getText(source)}' → '${SWAPS[op.kind]}' in ${short(node)}`,
        op.getStart(source),
        op.getEnd()
      )
    }
    const condition =
      (ts.isIfStatement(node) ||
        ts.isWhileStatement(node) ||
        ts.isDoStatement(node) ||
        ts.isConditionalExpression(node)) &&
      (node.expression ?? node.condition)
    if (condition) {
      add(condition, `!(${condition.getText(source)})`, `condition negated: ${short(condition)}`)
    }
    if (ts.isForStatement(node) && node.condition) {
      const c = node.condition
      add(c, `!(${c.getText(source)})`, `loop condition negated: ${short(c)}`)
    }
    if (ts.isExpressionStatement(node)) {
      const e = ts.isAwaitExpression(node.expression) ? node.expression.expression : node.expression
      if (ts.isCallExpression(e) && !LOG_CALL.test(e.expression.getText(source))) {
        add(node, ';', `call deleted: ${short(node)}`)
      }
    }
    if (ts.isReturnStatement(node) && node.expression) {
      add(node.expression, 'undefined', `returned value → undefined: ${short(node.expression)}`)
    }
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      add(node.body, '(undefined)', `arrow result → undefined: ${short(node.body)}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  // The same mutation of the same line text elsewhere in the file gets a number, so that every mutant
  // has its own key (file, line text, mutation) for --survivors and the equivalents file.
  const seen = new Map()
  for (const m of mutants) {
    const key = `${m.lineText}\n${m.mutation}`
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    if (n > 1) m.mutation = `${m.mutation} (occurrence ${n})`
  }
  return mutants
}

/** A mutant's identity across line moves: file, line text and mutation. */
const keyOf = m => `${m.file}\n${m.lineText}\n${m.mutation}`
const hashOf = m => createHash('sha256').update(keyOf(m)).digest('hex')

function sample(mutants, max) {
  if (mutants.length <= max) return mutants
  const chosen = [...mutants].sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : 1)).slice(0, max)
  return chosen.sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1))
}

function apply(text, m) {
  return text.slice(0, m.start) + m.replacement + text.slice(m.end)
}

// ---------------------------------------------------------------- restoring

let running // the child process in flight
let originals = new Map() // file → original text, while mutated
let distTouched = false

function restoreAll() {
  for (const [file, text] of originals) fs.writeFileSync(path.join(root, file), text)
  originals = new Map()
  if (fs.existsSync(BACKUP)) fs.rmSync(BACKUP)
  if (distTouched && fs.existsSync(DIST_BACKUP)) {
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true })
    fs.cpSync(DIST_BACKUP, path.join(root, 'dist'), { recursive: true })
    distTouched = false
  }
}

function mutateFile(file, text) {
  const original = fs.readFileSync(path.join(root, file), 'utf8')
  originals.set(file, original)
  fs.mkdirSync(CACHE, { recursive: true })
  fs.writeFileSync(BACKUP, JSON.stringify({ file, text: original }))
  fs.writeFileSync(path.join(root, file), text)
}

/** A previous run that died mid-mutant left its original behind: put it back before anything. */
function recoverFromCrash() {
  if (fs.existsSync(BACKUP)) {
    const { file, text } = JSON.parse(fs.readFileSync(BACKUP, 'utf8'))
    fs.writeFileSync(path.join(root, file), text)
    fs.rmSync(BACKUP)
    console.log(`mutate: restored ${file}, left mutated by an interrupted run`)
  }
  if (fs.existsSync(DIST_BACKUP) && fs.existsSync(path.join(CACHE, 'dist-touched'))) {
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true })
    fs.cpSync(DIST_BACKUP, path.join(root, 'dist'), { recursive: true })
    fs.rmSync(path.join(CACHE, 'dist-touched'))
    console.log('mutate: restored dist/, left rebuilt by an interrupted run')
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (running) killGroup(running)
    restoreAll()
    if (fs.existsSync(path.join(CACHE, 'dist-touched'))) fs.rmSync(path.join(CACHE, 'dist-touched'))
    console.error(`\nmutate: ${signal}; sources and dist/ restored`)
    process.exit(130)
  })
}

// ---------------------------------------------------------------- running tests

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Runs a command in its own process group; resolves { code, timedOut, output }. */
function run(command, args, timeoutMs, env = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: root,
      detached: true,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    running = child
    // The tail of the output for messages, and the first failing test file (its FAIL line may be long
    // gone from the tail by the time a verbose failure has been printed).
    let output = ''
    let failed
    let partial = ''
    const keep = chunk => {
      output = (output + chunk).slice(-20_000)
      const lines = (partial + chunk).split('\n')
      partial = lines.pop()
      failed ??= lines.map(l => /^FAIL (\S+)/.exec(l)?.[1]).find(Boolean)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, timeoutMs)
    child.on('close', code => {
      clearTimeout(timer)
      running = undefined
      resolve({ code, timedOut, output, failed })
    })
  })
}

const node = fs.existsSync(path.join(root, 'node_modules/node/bin/node'))
  ? path.join(root, 'node_modules/node/bin/node')
  : process.execPath

/** Test files that run the bundle (they import the runner helper): the end-to-end suites. */
function bundleSuites() {
  const found = []
  for (const f of fs.readdirSync(path.join(root, '__tests__'), { recursive: true })) {
    const rel = path.posix.join('__tests__', f.split(path.sep).join('/'))
    if (!rel.endsWith('.test.ts')) continue
    const text = fs.readFileSync(path.join(root, rel), 'utf8')
    if (/helpers\/run-action|dist\/index\.js/.test(text)) found.push(rel)
  }
  return found.sort()
}

/**
 * Jest's own configuration with ts-jest's type check off: the bundle is built with --transpile-only,
 * so a mutant that does not type-check still ships and must be judged by behaviour, not by tsc.
 */
async function jestConfig() {
  const { default: config } = await import(path.join(root, 'jest.config.js'))
  const transform = {}
  for (const [pattern, [name, opts]] of Object.entries(config.transform)) {
    transform[pattern] = [name, { ...opts, diagnostics: false, isolatedModules: true }]
  }
  return JSON.stringify({ ...config, rootDir: root, transform, reporters: ['default'] })
}

function jest(config, args, timeoutMs) {
  return run(
    node,
    [path.join(root, 'node_modules/jest/bin/jest.js'), '--config', config, '--ci', ...args],
    timeoutMs,
    { NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' }
  )
}

function buildBundle() {
  distTouched = true
  fs.writeFileSync(path.join(CACHE, 'dist-touched'), '')
  return run('npm', ['run', '--silent', 'build:action'], 10 * 60_000)
}

// ---------------------------------------------------------------- report

function loadEquivalents() {
  if (!fs.existsSync(EQUIVALENTS)) return []
  return JSON.parse(fs.readFileSync(EQUIVALENTS, 'utf8')).equivalents ?? []
}

function writeReport(results, options, startedAt, bundleSuiteList, available = {}, date) {
  const equivalents = loadEquivalents()
  const explain = m =>
    equivalents.find(e => e.file === m.file && e.line === m.lineText && e.mutation === m.mutation)
  const byModule = new Map()
  for (const r of results) {
    const explanation = r.status.startsWith('survived') ? explain(r) : undefined
    if (explanation) {
      r.status = 'equivalent'
      r.reason = explanation.reason
    }
    if (!byModule.has(r.module)) byModule.set(r.module, [])
    byModule.get(r.module).push(r)
  }
  const scoreOf = list => {
    const killed = list.filter(r => r.status.startsWith('killed')).length
    const equivalent = list.filter(r => r.status === 'equivalent').length
    const survived = list.filter(r => r.status.startsWith('survived')).length
    const judged = list.length - equivalent
    return {
      mutants: list.length,
      killed,
      survived,
      equivalent,
      score: judged === 0 ? 100 : Math.round((killed / judged) * 1000) / 10
    }
  }
  const minutes = Math.round((Date.now() - startedAt) / 6000) / 10
  const carriedCount = results.filter(r => r.carried).length
  const modules = Object.fromEntries(
    [...byModule].map(([m, list]) => [m, { ...scoreOf(list), available: available[m] }])
  )
  const total = scoreOf(results)
  const json = {
    date: date ?? new Date().toISOString(),
    minutes,
    options: {
      modules: options.modules,
      max: options.max === Infinity ? null : options.max,
      match: options.match,
      e2e: options.e2e
    },
    bundleSuites: bundleSuiteList,
    total,
    modules,
    mutants: results.map(({ start: _start, end: _end, ...r }) => r)
  }
  fs.writeFileSync(path.join(root, 'mutation-report.json'), `${JSON.stringify(json, null, 2)}\n`)

  const cell = s => String(s).replace(/\|/g, '\\|').replace(/`/g, "'")
  const lines = [
    '# Mutation report',
    '',
    `Written by \`npm run mutate\` (scripts/mutate.mjs) on ${json.date.slice(0, 16).replace('T', ' ')} UTC;`,
    `${results.length} mutants${options.max === Infinity ? '' : ` (at most ${options.max} per module, a fixed sample)`}` +
      (options.match?.length ? ` matching ${options.match.map(t => `'${cell(t)}'`).join(' or ')}` : '') +
      ` in ${minutes} min` +
      (carriedCount
        ? ` (${carriedCount} carried over as killed from the previous report, ${options.carry ? '--carry' : '--survivors'})`
        : '') +
      '. Score = killed / (mutants − equivalent).',
    '',
    '| Module | Mutants (of all) | Killed | Survived | Equivalent | Score |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(modules).map(
      ([m, s]) =>
        `| ${m} | ${s.mutants} (${s.available ?? '?'}) | ${s.killed} | ${s.survived} | ${s.equivalent} | ${s.score} % |`
    ),
    `| **all** | ${total.mutants} | ${total.killed} | ${total.survived} | ${total.equivalent} | ${total.score} % |`,
    '',
    '## Surviving mutants',
    ''
  ]
  const survivors = results.filter(r => r.status.startsWith('survived'))
  if (survivors.length === 0) lines.push('None.')
  for (const r of survivors) lines.push(`- ${r.file}:${r.line} — ${cell(r.mutation)} (${r.status})`)
  lines.push('', '## Equivalent mutants (scripts/mutation-equivalents.json)', '')
  const eq = results.filter(r => r.status === 'equivalent')
  if (eq.length === 0) lines.push('None.')
  for (const r of eq) lines.push(`- ${r.file}:${r.line} — ${cell(r.mutation)}: ${cell(r.reason)}`)
  lines.push('', '## Killed mutants', '', '| Where | Mutation | Killed by |', '| --- | --- | --- |')
  for (const r of results.filter(x => x.status.startsWith('killed'))) {
    const by = `${r.status.replace('killed-', '')}${r.killedBy ? `: ${r.killedBy}` : ''}`
    lines.push(`| ${r.file}:${r.line} | ${cell(r.mutation)} | ${by} |`)
  }
  fs.writeFileSync(path.join(root, 'mutation-report.md'), `${lines.join('\n')}\n`)
  return total
}

/** The reports in the repository's style (format:check runs over them). */
function formatReports() {
  spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/prettier/bin/prettier.cjs'),
      '--write',
      'mutation-report.md',
      'mutation-report.json'
    ],
    { cwd: root, stdio: 'ignore' }
  )
}

// ---------------------------------------------------------------- main

async function main() {
  const options = parseArgs(process.argv.slice(2))
  recoverFromCrash()
  if (options.reportOnly) {
    // An equivalent is a survivor with an explanation: judged again against the file as it is now.
    const last = JSON.parse(fs.readFileSync(path.join(root, 'mutation-report.json'), 'utf8'))
    const mutants = last.mutants.map(m =>
      m.status === 'equivalent' ? { ...m, status: 'survived', reason: undefined } : m
    )
    const opts = { ...options, ...last.options, max: last.options.max ?? Infinity }
    const available = Object.fromEntries(Object.entries(last.modules).map(([m, s]) => [m, s.available]))
    const startedAt = Date.now() - last.minutes * 60_000
    const total = writeReport(mutants, opts, startedAt, last.bundleSuites, available, last.date)
    formatReports()
    console.log(`report written again: score ${total.score} %`)
    return
  }
  // With --survivors: the last report's mutants, found again by file, line text and mutation (the lines
  // may have moved); those it counted as killed keep that status and are not run again.
  const previous = options.survivors
    ? JSON.parse(fs.readFileSync(path.join(root, 'mutation-report.json'), 'utf8'))
    : undefined
  if (previous) {
    options.modules = previous.options.modules
    options.max = previous.options.max ?? Infinity
  }
  const plan = []
  const available = {}
  for (const module of options.modules) {
    const all = filesOf(module).flatMap(file =>
      mutantsOf(file, fs.readFileSync(path.join(root, file), 'utf8')).map(m => ({ ...m, module }))
    )
    available[module] = all.length
    const wanted = all.filter(
      m => options.match.length === 0 || options.match.some(t => keyOf(m).includes(t))
    )
    plan.push(...(previous ? wanted : sample(wanted, options.max)))
  }
  const carried = new Map()
  if (previous) {
    const byKey = new Map(plan.map(m => [keyOf(m), m]))
    plan.length = 0
    for (const old of previous.mutants) {
      const current = byKey.get(keyOf(old))
      if (!current) {
        console.log(`mutate: ${old.file}:${old.line} ${old.mutation} is gone (source changed); left out`)
        continue
      }
      plan.push(current)
      if (old.status.startsWith('killed')) carried.set(keyOf(old), old)
    }
  }
  if (options.carry && !previous) {
    const last = JSON.parse(fs.readFileSync(path.join(root, 'mutation-report.json'), 'utf8'))
    const killed = new Map(last.mutants.filter(m => m.status.startsWith('killed')).map(m => [keyOf(m), m]))
    for (const m of plan) if (killed.has(keyOf(m))) carried.set(keyOf(m), killed.get(keyOf(m)))
  }
  if (options.list) {
    for (const m of plan) console.log(`${m.file}:${m.line}  ${m.mutation}`)
    console.log(`${plan.length} mutants`)
    return
  }
  const startedAt = Date.now()
  const config = await jestConfig()
  const e2eSuites = bundleSuites()
  // The targeted bundle suites (__tests__/bite) take seconds: they run first, so a mutant they kill
  // costs no run of the long end-to-end suites.
  const quick = e2eSuites.filter(s => s.startsWith('__tests__/bite/'))
  const rest = e2eSuites.filter(s => !quick.includes(s))
  const e2eRuns = [quick, rest].filter(list => list.length > 0)
  const runE2e = async () => {
    let last
    for (const suites of e2eRuns) {
      last = await jest(config, ['--bail', '--runTestsByPath', ...suites], E2E_TIMEOUT_MS)
      if (last.timedOut || last.code !== 0) return last
    }
    return last
  }
  fs.mkdirSync(CACHE, { recursive: true })
  fs.rmSync(DIST_BACKUP, { recursive: true, force: true })
  if (fs.existsSync(path.join(root, 'dist')))
    fs.cpSync(path.join(root, 'dist'), DIST_BACKUP, { recursive: true })
  const ignoreBundleSuites = [
    '--testPathIgnorePatterns',
    ...e2eSuites.map(s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    '/node_modules/'
  ]
  const unitArgs = files => [
    '--bail',
    '--passWithNoTests',
    '--findRelatedTests',
    ...files,
    ...ignoreBundleSuites
  ]

  if (options.baseline) {
    const files = [...new Set(plan.map(m => m.file))]
    console.log(`baseline: unit tests related to ${files.length} files`)
    const unit = await jest(config, unitArgs(files), UNIT_TIMEOUT_MS)
    if (unit.code !== 0) fail(`the unit tests fail without any mutant:\n${unit.output.slice(-4000)}`)
    if (options.e2e) {
      console.log('baseline: build and end-to-end suites')
      const build = await buildBundle()
      if (build.code !== 0) fail(`the bundle does not build:\n${build.output}`)
      const e2e = await runE2e()
      if (e2e.code !== 0) fail(`the end-to-end suites fail without any mutant:\n${e2e.output.slice(-4000)}`)
    }
  }

  const results = []
  for (const [i, m] of plan.entries()) {
    const before = carried.get(keyOf(m))
    if (before) {
      results.push({ ...m, status: before.status, seconds: before.seconds, carried: true })
      continue
    }
    const original = fs.readFileSync(path.join(root, m.file), 'utf8')
    const t0 = Date.now()
    let status
    let killedBy
    // The first test file jest reports as failing: which suite noticed the mutant.
    try {
      mutateFile(m.file, apply(original, m))
      const unit = await jest(config, unitArgs([m.file]), UNIT_TIMEOUT_MS)
      if (unit.timedOut) status = 'killed-timeout'
      else if (unit.code !== 0) {
        status = 'killed-unit'
        killedBy = unit.failed
      } else if (!options.e2e) status = 'survived-unit'
      else {
        const build = await buildBundle()
        if (build.code !== 0) status = 'killed-build'
        else {
          const e2e = await runE2e()
          status = e2e.timedOut ? 'killed-timeout' : e2e.code !== 0 ? 'killed-e2e' : 'survived'
          if (status === 'killed-e2e') killedBy = e2e.failed
        }
      }
    } finally {
      restoreAll()
      if (fs.existsSync(path.join(CACHE, 'dist-touched'))) fs.rmSync(path.join(CACHE, 'dist-touched'))
    }
    const seconds = Math.round((Date.now() - t0) / 1000)
    results.push({ ...m, status, killedBy, seconds })
    console.log(
      `[${i + 1}/${plan.length}] ${status.padEnd(14)} ${m.file}:${m.line} ${m.mutation} (${seconds} s)`
    )
    writeReport(
      results.map(r => ({ ...r })),
      options,
      startedAt,
      e2eSuites
    )
  }
  const total = writeReport(results, options, startedAt, e2eSuites, available)
  formatReports()
  console.log(
    `${total.mutants} mutants: ${total.killed} killed, ${total.survived} survived, ${total.equivalent} equivalent; score ${total.score} %`
  )
}

main().catch(error => {
  restoreAll()
  console.error(error)
  process.exit(1)
})
