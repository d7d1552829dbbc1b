// README.md's ```yaml examples are what users copy: each workflow or list of steps must pass GitHub's
// parser, give this action only declared inputs and read only declared outputs. The rule for which
// blocks are examples is classifyBlock's (checks.ts); everything else is skipped, visibly.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  actionInterface,
  checkOutputReferences,
  checkRunExpressions,
  checkWithKeys,
  classifyBlock,
  githubParse,
  relocate,
  ROOT,
  yamlBlocks,
  type YamlBlock
} from './checks.js'

const ACTION = actionInterface(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Every problem with the yaml blocks of a Markdown text, and what was validated or skipped. */
function checkMarkdown(markdown: string, file = 'README.md') {
  const problems: string[] = []
  const validated: string[] = []
  const skipped: string[] = []
  const documents: Array<{ block: YamlBlock; headerLines: number; name: string; content: string }> = []
  for (const block of yamlBlocks(markdown)) {
    const where = `${file}:${block.line}`
    const classified = classifyBlock(block.text)
    if (classified.kind === 'skip') skipped.push(`${where}: ${classified.reason}`)
    else if (classified.kind === 'invalid') problems.push(`${where}: ${classified.problem}`)
    else {
      validated.push(`${where}: ${classified.how}`)
      documents.push({ block, headerLines: classified.headerLines, name: where, content: classified.content })
      problems.push(...checkWithKeys(classified.content, ACTION, where))
      problems.push(...checkOutputReferences(classified.content, ACTION, where))
      problems.push(...checkRunExpressions(classified.content, where))
    }
  }
  const errors = githubParse(documents.map(({ name, content }) => ({ kind: 'workflow', name, content })))
  for (const { block, headerLines, name } of documents) {
    problems.push(...errors[name].map(message => relocate(message, block, headerLines)))
  }
  return { problems, validated, skipped }
}

describe('README.md yaml examples', () => {
  const result = checkMarkdown(README)

  it('are all validated, except blocks that are not workflow YAML at all', () => {
    expect(result.validated.length).toBeGreaterThanOrEqual(6)
    expect(result.validated.length + result.skipped.length).toBe(yamlBlocks(README).length)
    // Today the one block skipped is the technical-configuration example.
    for (const skipped of result.skipped) {
      const line = Number(skipped.split(':')[1])
      expect(yamlBlocks(README).find(b => b.line === line)?.text).not.toMatch(/uses:|steps:|jobs:|^on:/m)
    }
  })

  it("pass GitHub's parser, use only declared inputs and outputs of this action, and pass outputs to run: through env:", () => {
    expect(result.problems).toEqual([])
  })
})

describe('the README check itself', () => {
  const fence = (text: string) => '```yaml\n' + text + '```\n'

  it('classifies workflows, jobs, steps and other YAML', () => {
    expect(classifyBlock('on: push\njobs: {}\n')).toMatchObject({ kind: 'workflow', headerLines: 0 })
    expect(classifyBlock('jobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n')).toMatchObject({
      kind: 'workflow',
      headerLines: 1
    })
    expect(classifyBlock('- uses: ./\n- run: echo\n')).toMatchObject({ kind: 'workflow', headerLines: 5 })
    expect(classifyBlock('tenantId: x\njitAccess: false\n')).toMatchObject({ kind: 'skip' })
    expect(classifyBlock('- name: a\n  uses: ./\n- name: b\n')).toMatchObject({ kind: 'invalid' })
    expect(classifyBlock('- uses: ./\n  with: [unclosed\n')).toMatchObject({ kind: 'invalid' })
  })

  it('finds parser errors, unknown inputs, missing required inputs and unknown outputs, at README lines', () => {
    const markdown = [
      '# Title',
      '',
      fence(
        [
          '- uses: partner-center-publish/partner-center-publish@v1',
          '  id: pcp',
          '  with:',
          '    command: list',
          '    tenant-id: t',
          '    client-id: c',
          '    offer-typ: AzureApplication',
          '- run: echo "${{ steps.pcp.outputs.offer }}"',
          '  shell: bash',
          '  timeout-minutes: soon',
          ''
        ].join('\n')
      ),
      fence(
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          tenant-id: t\n'
      ),
      fence('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n'),
      fence('tenantId: 00000000-0000-0000-0000-000000000000\n')
    ].join('\n')
    const result = checkMarkdown(markdown, 'EXAMPLE.md')
    expect(result.validated).toHaveLength(3)
    expect(result.skipped).toEqual([expect.stringMatching(/^EXAMPLE\.md:\d+: neither a workflow/)])
    expect(result.problems).toEqual([
      "EXAMPLE.md:4: job 'snippet' step pcp (partner-center-publish/partner-center-publish@v1): with: 'offer-typ' is not an input of action.yml",
      "EXAMPLE.md:4: steps.pcp.outputs.offer: 'offer' is not an output of action.yml",
      `EXAMPLE.md:4: job 'snippet' step #2: \${{ steps.pcp.outputs.offer }} inside run:; pass it through env: and use "$VAR"`,
      "EXAMPLE.md:17: job 'a' step 1 (./): required input 'command' is missing",
      expect.stringMatching(/^EXAMPLE\.md:4 \(README line: 13, Col: \d+\): .*soon/),
      expect.stringMatching(/^EXAMPLE\.md:28 \(README line: 32, Col: 5\): Unexpected value 'stepz'$/)
    ])
  })
})
