// Fails when the committed bundles (dist/, emulator/dist/) are not what the sources build to:
// GitHub runs dist/index.js, so a stale bundle ships code nobody reviewed.
import { execFileSync } from 'node:child_process'

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
run('npm', ['run', '--silent', 'build'])
const changed = run('git', ['status', '--porcelain', '--', 'dist', 'emulator/dist']).trim()
if (changed) {
  console.error('dist/ is stale: the sources build to something else than what is committed.')
  console.error(changed)
  console.error('Run `npm run build` and commit dist/ and emulator/dist/.')
  process.exit(1)
}
console.log('dist/ and emulator/dist/ are in step with the sources.')
