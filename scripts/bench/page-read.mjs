// Reading one large answer: the action's transport (src/http/transport.ts, compiled by tsc into
// node_modules/.cache, since the bundle exports nothing) against a raw node:http read of the same
// bytes, both followed by the one JSON.parse any client needs to use a page. Issue #15 item 5: the
// transport once read bodies through @actions/http-client's readBody, which concatenates a string on
// every chunk (quadratic: a 40 MB page took seconds, 100 MB far longer).
import { execFileSync } from 'node:child_process'
import { createServer, request } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** A JSON page of about `bytes` bytes: `{"value":[{…},…]}` of product-like objects. */
function makePage(bytes) {
  const item = JSON.stringify({
    id: '0f6d8a3c-2b1e-4c5d-9e8f-1a2b3c4d5e60',
    name: 'Contoso offer with a name of ordinary length',
    resourceType: 'AzureApplication',
    externalIDs: [{ type: 'AzureOfferId', value: 'contoso-offer' }]
  })
  const count = Math.ceil(bytes / (item.length + 1))
  return Buffer.from(`{"value":[${Array.from({ length: count }, () => item).join(',')}]}`)
}

/** Serves `page` in 64 KiB writes (as a real server's chunks arrive), on 127.0.0.1. */
async function servePage(page) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(page.length) })
    let offset = 0
    const more = () => {
      while (offset < page.length) {
        const chunk = page.subarray(offset, offset + 64 * 1024)
        offset += chunk.length
        if (!res.write(chunk)) return void res.once('drain', more)
      }
      res.end()
    }
    more()
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/page`, close: () => server.close() }
}

function rawRead(url) {
  return new Promise((resolve, reject) => {
    request(url, res => {
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
    })
      .on('error', reject)
      .end()
  })
}

async function timed(fn) {
  const started = process.hrtime.bigint()
  const value = await fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value }
}

/** Compiles the transport and returns its module. */
async function loadTransport(root) {
  const out = join(root, 'node_modules/.cache/pcp-bench-transport')
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      join(root, 'src/http/transport.ts'),
      '--outDir',
      out,
      '--rootDir',
      join(root, 'src'),
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck'
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] }
  )
  return import(pathToFileURL(join(out, 'http/transport.js')).href)
}

/**
 * Reads a `bytes`-sized page `runs` times each way, interleaved; returns the medians and the count of
 * items both saw (the same, or the comparison is void).
 */
export async function pageRead(root, { bytes, runs, progress }) {
  progress(`page read: compiling the transport with tsc`)
  const { Transport } = await loadTransport(root)
  const page = makePage(bytes)
  const server = await servePage(page)
  const transport = new Transport({ userAgent: 'bench', maxResponseBytes: page.length + 1 })
  try {
    const raw = []
    const action = []
    let items
    for (let i = 0; i < runs; i++) {
      progress(`page read ${i + 1}/${runs}: ${(page.length / 1e6).toFixed(0)} MB, raw then transport`)
      const r = await timed(() => rawRead(server.url))
      const t = await timed(() =>
        transport.request({ method: 'GET', url: server.url, operation: 'read a page', retry: 'idempotent' })
      )
      if (r.value.value.length !== t.value.body.value.length) throw new Error('page read: item counts differ')
      items = r.value.value.length
      raw.push(r.ms)
      action.push(t.ms)
    }
    const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
    return { bytes: page.length, items, rawMs: median(raw), transportMs: median(action), raw, action }
  } finally {
    server.close()
  }
}
