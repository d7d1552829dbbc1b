// Child-process bookkeeping for the bench: every child is tracked and killed on exit, and temp
// folders are removed, whatever way the bench ends (normal end, error, Ctrl-C, SIGTERM).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const children = new Set()
const tempDirs = new Set()

export function track(child) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export function spawnTracked(cmd, args, options) {
  return track(spawn(cmd, args, options))
}

export function tempDir(prefix, parent = tmpdir()) {
  const dir = mkdtempSync(join(parent, prefix))
  tempDirs.add(dir)
  return dir
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

export function cleanupAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  children.clear()
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

let installed = false
export function installCleanup() {
  if (installed) return
  installed = true
  process.on('exit', cleanupAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping child processes and removing temp files`)
      cleanupAll()
      process.exit(130)
    })
  }
}

/** Waits for a child to end: [code, signal]. */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve([child.exitCode, child.signalCode])
  return new Promise(resolve => child.once('close', (code, signal) => resolve([code, signal])))
}
