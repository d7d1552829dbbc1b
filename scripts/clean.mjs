// Removes a build output folder first, so that a bundle never keeps a stale chunk from an earlier build.
import { rmSync } from 'node:fs'

for (const folder of process.argv.slice(2)) rmSync(folder, { recursive: true, force: true })
