// Writes the inputs and outputs tables of README.md from action.yml (between the marker comments).
// `node scripts/sync-readme.mjs --check` fails instead when they differ; a test runs the check.
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

export function renderTables(actionYaml) {
  const action = parse(actionYaml)
  const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const inputs = ['| input | default | description |', '|---|---|---|']
  for (const [name, input] of Object.entries(action.inputs)) {
    inputs.push(
      `| \`${name}\` | ${input.default ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`
    )
  }
  const outputs = ['| output | description |', '|---|---|']
  for (const [name, output] of Object.entries(action.outputs))
    outputs.push(`| \`${name}\` | ${cell(output.description)} |`)
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') }
}

export function syncReadme(readme, actionYaml) {
  const tables = renderTables(actionYaml)
  let out = readme
  for (const name of ['inputs', 'outputs']) {
    const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`)
    if (!pattern.test(out))
      throw new Error(`README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> block`)
    out = out.replace(pattern, `$1${tables[name]}\n$2`)
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8')
  const synced = syncReadme(readme, readFileSync('action.yml', 'utf8'))
  if (process.argv.includes('--check')) {
    if (synced !== readme) {
      console.error(
        'README.md inputs/outputs tables differ from action.yml: run `node scripts/sync-readme.mjs`.'
      )
      process.exit(1)
    }
  } else {
    writeFileSync('README.md', synced)
  }
}
