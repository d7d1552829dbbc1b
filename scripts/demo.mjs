// `npm run demo`: starts the built-in Partner Center emulator, then runs the bundled action the way
// the GitHub runner does (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) for
// list, show, a publish to preview and go-live of an Azure Application, a Business Central release to
// live and a VM image release to live, and prints each step's outputs and job summary.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bannerComplete, parseEmulatorBanner } from './emulator-banner.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const TIME_SCALE = '60'

const emulator = spawn(
  process.execPath,
  [join(root, 'emulator/dist/index.js'), '--port', '0', '--quiet', '--time-scale', TIME_SCALE],
  {
    stdio: ['ignore', 'pipe', 'inherit']
  }
)
const banner = await new Promise((resolve, reject) => {
  let text = ''
  emulator.stdout.on('data', chunk => {
    text += chunk
    if (bannerComplete(text)) resolve(text)
  })
  emulator.on('exit', code => reject(new Error(`the emulator exited (${code})`)))
})
const { url, connection } = parseEmulatorBanner(banner)
console.log(`Partner Center emulator on ${url}\n`)

async function step(title, inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'pcp-demo-'))
  const output = join(dir, 'output')
  const summary = join(dir, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env = {
    ...process.env,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
    // On a runner the workspace is the repository's checkout; the examples live there.
    GITHUB_WORKSPACE: root,
    PARTNER_CENTER_PUBLISH_TIME_SCALE: TIME_SCALE
  }
  for (const [name, value] of Object.entries({ ...connection, ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value
  console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 90 - title.length))}\n`)
  const started = Date.now()
  // The runner hides ::debug:: lines (unless step debugging is on) and never prints ::add-mask::.
  const child = spawn(process.execPath, [join(root, 'dist/index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let pending = ''
  child.stdout.on('data', chunk => {
    const lines = (pending + chunk).split('\n')
    pending = lines.pop()
    for (const line of lines) if (!/^::(debug|add-mask)::/.test(line)) console.log(line)
  })
  const code = await new Promise(resolve => child.on('close', resolve))
  if (pending && !/^::(debug|add-mask)::/.test(pending)) console.log(pending)
  console.log(`\n--- outputs (exit code ${code}, ${Date.now() - started} ms)`)
  const text = readFileSync(output, 'utf8')
  for (const [, name, , value] of Array.from(text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))) {
    console.log(`${name} = ${value.length > 300 ? `${value.slice(0, 300)}…` : value}`)
  }
  console.log('\n--- job summary\n')
  console.log(readFileSync(summary, 'utf8'))
  rmSync(dir, { recursive: true, force: true })
  if (code !== 0) throw new Error(`${title} failed`)
}

try {
  await step('list: every offer', { command: 'list' })
  await step('show: contoso-app', { command: 'show', 'offer-id': 'contoso-app' })
  await step('publish: contoso-app 1.1.0 to preview', {
    command: 'publish',
    'offer-id': 'contoso-app',
    'package-path': join(root, 'examples/azure-app-package'),
    'technical-configuration': join(root, 'examples/technical-configuration.yaml'),
    version: '1.1.0',
    target: 'preview'
  })
  await step('go-live: contoso-app', { command: 'go-live', 'offer-id': 'contoso-app' })
  // A Business Central app with its library app, as AL-Go builds them: version from the app itself.
  const apps = join(root, 'examples/business-central')
  await step('publish: contoso-bc-app (Business Central) live', {
    command: 'publish',
    'offer-id': 'contoso-bc-app',
    'package-path': join(apps, 'Contoso_Sales Tools_*.app'),
    'library-path': join(apps, '*.app'),
    target: 'live'
  })

  // A VM release: no resource file, just the image to add; every plan gets it, then preview and live.
  await step('publish: contoso-vm image version 1.1.0 from a compute gallery, to live', {
    command: 'publish',
    'offer-id': 'contoso-vm',
    'image-version': '1.1.0',
    'gallery-image-id':
      '/subscriptions/537d2130-be25-451e-b3ff-c5b469a13e2d/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso_gallery/images/contoso-vm/versions/1.1.0',
    target: 'live'
  })
  console.log('\nDemo finished: the emulator was reset by stopping it; nothing left running.')
} finally {
  emulator.kill('SIGINT')
}
