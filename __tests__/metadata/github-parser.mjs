// Validates action.yml files and workflows with GitHub's own parser, @actions/workflow-parser (the
// schemas and model of the Actions service and of the VS Code extension).
//
// Why a separate Node process and not an import in the jest test: the package's modules import their
// schemas as `import schema from "../workflow-v1.0.min.json"`, with no `with { type: 'json' }`.
// Node refuses that outright (ERR_IMPORT_ATTRIBUTE_MISSING), and jest 30 accepts it only with a
// deprecation warning on every run and a promise to fail in its next major. This script installs a
// small module hook that serves those two JSON files as ES modules, so it works on plain Node 20 and
// 24, whatever jest does next.
//
//   node __tests__/metadata/github-parser.mjs action.yml .github/workflows/*.yml
//       prints each file's errors; exit code 1 when there is any.
//   node __tests__/metadata/github-parser.mjs --json < documents.json
//       documents: [{ kind: 'action' | 'workflow', name, content }]; prints [{ name, errors: [...] }].
import { readFileSync } from 'node:fs'
import module from 'node:module'

const hook = `
import { readFileSync } from 'node:fs'
const schema = url => url.includes('/@actions/workflow-parser/') && url.endsWith('.json')
export function load(url, context, nextLoad) {
  if (!schema(url)) return nextLoad(url, context)
  return { format: 'module', shortCircuit: true, source: 'export default ' + readFileSync(new URL(url), 'utf8') }
}
`
if (typeof module.registerHooks === 'function') {
  // Node >= 22.15: synchronous, in-thread hooks.
  const { load } = await import(`data:text/javascript,${encodeURIComponent(hook)}`)
  module.registerHooks({ load })
} else {
  // Node 20: the off-thread loader API.
  module.register(
    `data:text/javascript,${encodeURIComponent(hook.replace('export function load', 'export async function load'))}`
  )
}

const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
  await import('@actions/workflow-parser')
const { parseAction, convertActionTemplate } = await import('@actions/workflow-parser/actions/index')

/** Every error GitHub's parser reports for one document: YAML, schema, then model conversion. */
export async function validate({ kind, name, content }) {
  const trace = new NoOperationTraceWriter()
  if (kind === 'action') {
    // parseAction reads against the strict root (`action-root-strict`): per-kind required keys.
    const parsed = parseAction({ name, content }, trace)
    if (parsed.value !== undefined && parsed.context.errors.count === 0) {
      convertActionTemplate(parsed.context, parsed.value)
    }
    return unique(parsed.context.errors.getErrors().map(e => e.message))
  }
  if (kind === 'workflow') {
    const parsed = parseWorkflow({ name, content }, trace)
    const messages = parsed.context.errors.getErrors().map(e => e.message)
    if (parsed.value !== undefined && messages.length === 0) {
      const template = await convertWorkflowTemplate(parsed.context, parsed.value)
      messages.push(...(template.errors ?? []).map(e => e.Message))
      messages.push(...parsed.context.errors.getErrors().map(e => e.message))
    }
    return unique(messages)
  }
  throw new Error(`unknown document kind '${kind}' for ${name}`)
}

const unique = list => [...new Set(list)]

async function main(args) {
  if (args[0] === '--json') {
    const documents = JSON.parse(readFileSync(0, 'utf8'))
    const results = []
    for (const document of documents) results.push({ name: document.name, errors: await validate(document) })
    process.stdout.write(JSON.stringify(results))
    return 0
  }
  let failed = 0
  for (const path of args) {
    const kind = /(^|\/)action\.ya?ml$/.test(path) ? 'action' : 'workflow'
    const errors = await validate({ kind, name: path, content: readFileSync(path, 'utf8') })
    console.log(
      errors.length === 0 ? `ok    ${path}` : `FAIL  ${path}\n${errors.map(e => `      ${e}`).join('\n')}`
    )
    if (errors.length > 0) failed++
  }
  return failed > 0 ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2))
