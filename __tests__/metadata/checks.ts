// Checks of the action's GitHub-facing metadata: action.yml, the workflows, the README's examples.
// Each check is a pure function from text to a list of problems (empty = fine), so that the tests can
// run it on the real files and on deliberately broken strings alike.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { isMap, isScalar, parse, parseDocument, Scalar } from 'yaml'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PARSER = fileURLToPath(new URL('./github-parser.mjs', import.meta.url))

export interface Document {
  kind: 'action' | 'workflow'
  name: string
  content: string
}

/**
 * GitHub's own parser (@actions/workflow-parser) on each document, in a child Node process (see
 * github-parser.mjs for why). Returns the errors by document name.
 */
export function githubParse(documents: Document[]): Record<string, string[]> {
  const run = spawnSync(process.execPath, [PARSER, '--json'], {
    cwd: ROOT,
    input: JSON.stringify(documents),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 60_000
  })
  if (run.status !== 0)
    throw new Error(`github-parser.mjs failed (${run.status ?? run.signal}):\n${run.stderr}`)
  const results = JSON.parse(run.stdout) as Array<{ name: string; errors: string[] }>
  return Object.fromEntries(results.map(r => [r.name, r.errors]))
}

// ---------------------------------------------------------------------------------------------- action.yml

export interface ActionInterface {
  inputs: string[]
  required: string[]
  outputs: string[]
}

export function actionInterface(actionYaml: string): ActionInterface {
  const action = parse(actionYaml) as {
    inputs?: Record<string, { required?: boolean }>
    outputs?: Record<string, unknown>
  }
  const inputs = Object.entries(action.inputs ?? {})
  return {
    inputs: inputs.map(([name]) => name),
    required: inputs.filter(([, input]) => input?.required === true).map(([name]) => name),
    outputs: Object.keys(action.outputs ?? {})
  }
}

/**
 * What GitHub's parser lets through but our contract forbids: every input has a description and a
 * default that is a quoted string in the raw text (`default: 'false'`, not `default: false`, which
 * YAML reads as a boolean); `required`, when given, is a boolean; every output has a description.
 */
export function checkInputsAndOutputs(actionYaml: string): string[] {
  const problems: string[] = []
  const document = parseDocument(actionYaml)
  if (document.errors.length > 0) return document.errors.map(e => `action.yml: ${e.message}`)
  const line = (node: { range?: [number, number, number] | null } | null | undefined): string => {
    const offset = node?.range?.[0]
    return offset === undefined ? '' : ` (line ${actionYaml.slice(0, offset).split('\n').length})`
  }
  const inputs = document.get('inputs', true)
  if (!isMap(inputs)) problems.push('action.yml: `inputs` is missing or not a mapping')
  else {
    for (const pair of inputs.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '?'
      const input = pair.value
      if (!isMap(input)) {
        problems.push(`input '${name}'${line(pair.key as Scalar)}: is not a mapping`)
        continue
      }
      const description = input.get('description', true)
      if (
        !isScalar(description) ||
        typeof description.value !== 'string' ||
        description.value.trim() === ''
      ) {
        problems.push(`input '${name}'${line(pair.key as Scalar)}: has no description`)
      }
      const def = input.get('default', true)
      if (def === undefined)
        problems.push(`input '${name}'${line(pair.key as Scalar)}: has no default (give '' for none)`)
      else if (
        !isScalar(def) ||
        typeof def.value !== 'string' ||
        (def.type !== Scalar.QUOTE_SINGLE && def.type !== Scalar.QUOTE_DOUBLE)
      ) {
        problems.push(
          `input '${name}'${line(def)}: default must be a quoted string, e.g. default: '${isScalar(def) ? String(def.value) : ''}'`
        )
      }
      const required = input.get('required', true)
      if (required !== undefined && !(isScalar(required) && typeof required.value === 'boolean')) {
        problems.push(`input '${name}'${line(required)}: required must be true or false`)
      }
    }
  }
  const outputs = document.get('outputs', true)
  if (outputs !== undefined && !isMap(outputs)) problems.push('action.yml: `outputs` is not a mapping')
  else if (isMap(outputs)) {
    for (const pair of outputs.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '?'
      const description = isMap(pair.value) ? pair.value.get('description', true) : undefined
      if (
        !isScalar(description) ||
        typeof description.value !== 'string' ||
        description.value.trim() === ''
      ) {
        problems.push(`output '${name}'${line(pair.key as Scalar)}: has no description`)
      }
    }
  }
  return problems
}

// ---------------------------------------------------------------------------------------------- README

export interface YamlBlock {
  /** 1-based line in the Markdown of the block's first YAML line. */
  line: number
  text: string
}

export function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = []
  const pattern = /^```ya?ml[ \t]*\n([\s\S]*?)^```[ \t]*$/gm
  for (let match = pattern.exec(markdown); match !== null; match = pattern.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length + 1, text: match[1] })
  }
  return blocks
}

export type Classified =
  | { kind: 'workflow'; content: string; headerLines: number; how: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; problem: string }

const WORKFLOW_WORDS = /^\s*(?:-\s+)?(?:uses|steps|jobs|on|runs-on|run):/m

/**
 * The rule for README blocks:
 * - a mapping with `on:` is a workflow, validated as is;
 * - a mapping with `jobs:` and no `on:` is a workflow without its trigger: `on: workflow_dispatch` is
 *   put in front;
 * - a list of mappings that each have `uses:` or `run:` is a list of steps: it becomes the steps of
 *   one job of a minimal workflow;
 * - anything else is skipped only when it has no workflow keyword (`uses:`, `run:`, `steps:`, `jobs:`,
 *   `on:`, `runs-on:`) at all, e.g. the technical-configuration example; a block that has one but fits
 *   no shape above is a mistake, not something to skip.
 */
export function classifyBlock(text: string): Classified {
  let value: unknown
  try {
    value = parse(text)
  } catch (error) {
    return WORKFLOW_WORDS.test(text)
      ? { kind: 'invalid', problem: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }
      : { kind: 'skip', reason: 'not YAML that a workflow could hold' }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if ('on' in value) return { kind: 'workflow', content: text, headerLines: 0, how: 'a workflow' }
    if ('jobs' in value) {
      return {
        kind: 'workflow',
        content: `on: workflow_dispatch\n${text}`,
        headerLines: 1,
        how: 'jobs, with `on:` added'
      }
    }
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(step => step !== null && typeof step === 'object' && ('uses' in step || 'run' in step))
  ) {
    const header = 'on: workflow_dispatch\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n'
    const body = text.replace(/^(?=.)/gm, '      ')
    return { kind: 'workflow', content: header + body, headerLines: 5, how: 'steps, wrapped in a job' }
  }
  if (WORKFLOW_WORDS.test(text)) {
    return {
      kind: 'invalid',
      problem: 'has workflow keys but is neither a workflow (`on:`/`jobs:`) nor a list of steps'
    }
  }
  return {
    kind: 'skip',
    reason: 'neither a workflow nor a list of steps (no uses:, run:, steps:, jobs: or on:)'
  }
}

/** Points a parser message's `(Line: n, ...)` at the Markdown line instead of the wrapped document's. */
export function relocate(message: string, block: YamlBlock, headerLines: number): string {
  return message.replace(
    /\(Line: (\d+)/,
    (_, n: string) => `(README line: ${Number(n) - headerLines + block.line - 1}`
  )
}

// ---------------------------------------------------------------------------------------------- uses of this action

/** `uses: ./`, or `<owner>/partner-center-publish@<ref>`: the steps that run this action. */
export const THIS_ACTION = /^(?:\.\/?|[\w.-]+\/partner-center-publish@[\w./-]+)$/

interface Step {
  id?: string
  uses?: string
  run?: unknown
  with?: Record<string, unknown>
}
interface Job {
  steps?: Step[]
  outputs?: Record<string, unknown>
}

function jobsOf(workflowYaml: string): Record<string, Job> {
  const workflow = parse(workflowYaml) as { jobs?: Record<string, Job> } | null
  return workflow?.jobs ?? {}
}

/**
 * Every `with:` key of a step that runs this action is a declared input (the runner only warns about an
 * unknown one and the step runs without it), and every required input is given.
 */
export function checkWithKeys(workflowYaml: string, action: ActionInterface, where: string): string[] {
  const problems: string[] = []
  for (const [jobName, job] of Object.entries(jobsOf(workflowYaml))) {
    for (const [index, step] of (job?.steps ?? []).entries()) {
      if (typeof step?.uses !== 'string' || !THIS_ACTION.test(step.uses)) continue
      const label = `${where}: job '${jobName}' step ${step.id ?? index + 1} (${step.uses})`
      const given = Object.keys(step.with ?? {})
      for (const key of given) {
        if (!action.inputs.includes(key))
          problems.push(`${label}: with: '${key}' is not an input of action.yml`)
      }
      for (const key of action.required) {
        if (!given.includes(key)) problems.push(`${label}: required input '${key}' is missing`)
      }
    }
  }
  return problems
}

/**
 * Every `steps.<id>.outputs.<name>` names a step of the workflow, and when that step runs this action,
 * a declared output; every `needs.<job>.outputs.<name>` names an output the job declares.
 */
export function checkOutputReferences(
  workflowYaml: string,
  action: ActionInterface,
  where: string
): string[] {
  const problems: string[] = []
  const jobs = jobsOf(workflowYaml)
  const ours = new Set<string>()
  const all = new Set<string>()
  for (const job of Object.values(jobs)) {
    for (const step of job?.steps ?? []) {
      if (typeof step?.id !== 'string') continue
      all.add(step.id)
      if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses)) ours.add(step.id)
    }
  }
  const name = String.raw`[A-Za-z_][\w-]*`
  const stepRef = new RegExp(String.raw`\bsteps\.(${name})\.outputs(?:\.(${name})|\[\s*'([^']+)'\s*\])`, 'g')
  for (const match of workflowYaml.matchAll(stepRef)) {
    const [text, id] = match
    const output = match[2] ?? match[3]
    if (!all.has(id)) problems.push(`${where}: ${text}: no step has the id '${id}'`)
    else if (ours.has(id) && !action.outputs.includes(output)) {
      problems.push(`${where}: ${text}: '${output}' is not an output of action.yml`)
    }
  }
  const needsRef = new RegExp(String.raw`\bneeds\.(${name})\.outputs\.(${name})`, 'g')
  for (const match of workflowYaml.matchAll(needsRef)) {
    const [text, jobName, output] = match
    const job = jobs[jobName]
    if (job === undefined) problems.push(`${where}: ${text}: no job '${jobName}'`)
    else if (!Object.keys(job.outputs ?? {}).includes(output))
      problems.push(`${where}: ${text}: job '${jobName}' has no output '${output}'`)
  }
  return problems
}

/**
 * Values that come from outside the workflow's own text (outputs of steps and jobs, event payloads, the
 * head ref, workflow inputs) must reach a `run:` script through `env:` and be used as "$VAR": an
 * expression inside the script is pasted into it before bash reads it, so an output holding a quote,
 * `$(…)` or a newline changes the script (the action's outputs carry offer names and server text).
 */
const UNTRUSTED_IN_RUN =
  /\$\{\{[^}]*\b(?:steps\.[\w-]+\.outputs|needs\.[\w-]+\.outputs|github\.event\b|github\.head_ref|inputs\.)[^}]*\}\}/g

export function checkRunExpressions(workflowYaml: string, where: string): string[] {
  const problems: string[] = []
  for (const [jobName, job] of Object.entries(jobsOf(workflowYaml))) {
    for (const [index, step] of (job?.steps ?? []).entries()) {
      if (typeof step?.run !== 'string') continue
      for (const [expression] of step.run.matchAll(UNTRUSTED_IN_RUN)) {
        const stepName = typeof step.id === 'string' ? step.id : `#${index + 1}`
        problems.push(
          `${where}: job '${jobName}' step ${stepName}: ${expression} inside run:; pass it through env: and use "$VAR"`
        )
      }
    }
  }
  return problems
}
