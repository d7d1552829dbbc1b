// Runs the bundled action (dist/index.js) the way the GitHub runner does: INPUT_* variables (upper
// case, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, RUNNER_TEMP. Optionally under
// GNU time (`/usr/bin/time -v`) for the peak RSS (VmHWM) of the node process itself.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exited, removeTempDir, spawnTracked, tempDir } from './procs.mjs'

export const GNU_TIME = ['/usr/bin/time', '/bin/time'].find(p => existsSync(p))

export async function runAction(
  root,
  {
    inputs,
    connection,
    env = {},
    node = process.execPath,
    measureMemory = false,
    timeoutMs = 300_000,
    nodeArgs = []
  }
) {
  const dir = tempDir('pcp-bench-run-')
  const outputFile = join(dir, 'github_output')
  const summaryFile = join(dir, 'step_summary')
  const timeFile = join(dir, 'time.txt')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const childEnv = {
    ...baseEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    ...env
  }
  for (const [name, value] of Object.entries({ ...connection, ...inputs }))
    childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const bundle = join(root, 'dist/index.js')
  const [cmd, args] =
    measureMemory && GNU_TIME
      ? [GNU_TIME, ['-v', '-o', timeFile, node, ...nodeArgs, bundle]]
      : [node, [...nodeArgs, bundle]]
  const startedEpochMs = Date.now()
  const started = process.hrtime.bigint()
  const child = spawnTracked(cmd, args, { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  // Without GNU time: sample VmHWM from /proc while the process runs (the last sample may miss a final peak).
  let sampledHwmKiB = 0
  const sampler =
    measureMemory && !GNU_TIME
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
            if (m) sampledHwmKiB = Math.max(sampledHwmKiB, Number(m[1]))
          } catch {
            // exited
          }
        }, 20)
      : undefined
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const [code, signal] = await exited(child)
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  clearTimeout(killer)
  if (sampler) clearInterval(sampler)
  let maxRssKiB = measureMemory ? sampledHwmKiB || undefined : undefined
  if (measureMemory && GNU_TIME && existsSync(timeFile)) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))
    if (m) maxRssKiB = Number(m[1])
  }
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  removeTempDir(dir)
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs,
    wallMs,
    maxRssKiB,
    startedEpochMs,
    endedEpochMs: startedEpochMs + wallMs
  }
}

export function parseOutputs(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** Throws with the action's error annotations when a run failed. */
export function expectSuccess(run, what) {
  if (run.code === 0) return run
  const errors = run.stdout
    .split('\n')
    .filter(l => l.startsWith('::error'))
    .map(l => l.replace(/^::error[^:]*::/, '').replace(/%0A/g, '\n'))
  throw new Error(
    `${what}: the action exited with ${run.code ?? run.signal}\n${errors.join('\n') || run.stderr || run.stdout.slice(-2000)}`
  )
}

/**
 * The environment every measured process gets (the action and `node -e 0` alike): PATH and HOME
 * only. Variables such as NODE_EXTRA_CA_CERTS (set on this machine) or NODE_OPTIONS change node's
 * start-up time by tens of ms, so neither side inherits them.
 */
export function baseEnv() {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }
}

/** Times `node -e 0` (the cold-start baseline) on the same node binary, with the same environment as the action. */
export async function timeNodeNoop(node = process.execPath) {
  const started = process.hrtime.bigint()
  const child = spawnTracked(node, ['-e', '0'], { stdio: 'ignore', env: baseEnv() })
  const [code] = await exited(child)
  if (code !== 0) throw new Error(`node -e 0 exited with ${code}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}
