import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The README's first command (`npm run demo`) is what a newcomer runs first: it must go through every
 * step against the emulator, with the bundles as committed.
 */
describe('npm run demo', () => {
  it('runs every step to the end and exits 0', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/demo.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT }
    })
    expect(run.stderr).not.toMatch(/failed/)
    expect(run.status).toBe(0)
    for (const heading of [
      '## contoso-app 1.1.0: in preview',
      '## contoso-app: live',
      '## contoso-bc-app 1.1.0.0: live',
      '## contoso-vm: live'
    ])
      expect(run.stdout).toContain(heading)
    expect(run.stdout).toContain('Demo finished')
  }, 300_000)
})
