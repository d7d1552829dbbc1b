// Starts the bundled emulator (emulator/dist/index.js) as a child process with `--port 0 --quiet`
// and reads its banner for the URL and the demo credentials, as scripts/demo.mjs does.
import { join } from 'node:path'
import { exited, spawnTracked } from './procs.mjs'
import { bannerComplete, parseEmulatorBanner } from '../emulator-banner.mjs'

export async function startEmulator(root, args = [], { node = process.execPath, tmpDir } = {}) {
  // tmpDir: where the emulator keeps blob files (it uses os.tmpdir(), i.e. TMPDIR).
  const child = spawnTracked(
    node,
    [join(root, 'emulator/dist/index.js'), '--port', '0', '--quiet', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: tmpDir ? { ...process.env, TMPDIR: tmpDir } : process.env
    }
  )
  let stderr = ''
  child.stderr.on('data', d => (stderr += d))
  const banner = await new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(
      () => reject(new Error(`the emulator did not print its banner within 60 s (args: ${args.join(' ')})`)),
      60_000
    )
    child.stdout.on('data', chunk => {
      text += chunk
      if (bannerComplete(text)) {
        clearTimeout(timer)
        resolve(text)
      }
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited (${code}) before it was ready: ${stderr.trim()}`))
    })
  })
  child.stdout.resume()
  const { url, connection } = parseEmulatorBanner(banner)
  const inspect = async (path, init) => {
    const response = await fetch(`${url}/_emulator/${path}`, init)
    if (!response.ok) throw new Error(`GET /_emulator/${path}: ${response.status}`)
    return response.json()
  }
  return {
    url,
    connection,
    pid: child.pid,
    requests: async () => (await inspect('requests')).value,
    state: () => inspect('state'),
    reset: () => inspect('reset', { method: 'POST' }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited(child)
      clearTimeout(timer)
    }
  }
}

/** A v1 access token and a fresh package (with its write SAS URL), for the raw-upload baseline. */
export async function createPackageForBaseline(emu, productId, fileName) {
  const c = emu.connection
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: c['client-id'],
    client_secret: c['client-secret'],
    scope: 'https://api.partner.microsoft.com/.default'
  })
  const tokenResponse = await fetch(`${c['authority-host']}/${c['tenant-id']}/oauth2/v2.0/token`, {
    method: 'POST',
    body: form
  })
  if (!tokenResponse.ok) throw new Error(`token: ${tokenResponse.status} ${await tokenResponse.text()}`)
  const { access_token: token } = await tokenResponse.json()
  const response = await fetch(`${c['ingestion-api-url']}/products/${productId}/packages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ resourceType: 'AzureApplicationPackage', fileName })
  })
  if (response.status !== 201) throw new Error(`create package: ${response.status} ${await response.text()}`)
  return (await response.json()).fileSasUri
}
