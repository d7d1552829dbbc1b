// ncc minifies the entry file only; the chunks of lazily loaded commands (dist/<id>.index.js) come
// out as written. Minify them the same way, so the bundle stays small to download and to parse.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

const folder = process.argv[2] ?? 'dist'
for (const name of readdirSync(folder).filter(n => /^\d+\.index\.js$/.test(n))) {
  const path = join(folder, name)
  const result = await minify(readFileSync(path, 'utf8'), {
    module: true,
    ecma: 2022,
    compress: true,
    mangle: true,
    format: { comments: false }
  })
  writeFileSync(path, result.code)
}
