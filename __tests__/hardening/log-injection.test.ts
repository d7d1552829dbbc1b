import { describe, expect, it } from '@jest/globals'
import { defaultSeed } from '../../emulator/seed/default.js'
import { emulatorInputs, useEmulator } from '../helpers/emulator.js'
import { runAction, type ActionRun } from '../helpers/run-action.js'

/**
 * A Partner Center (here the emulator, seeded with hostile text) whose offer IDs, names, plan names
 * and states carry workflow commands after a newline or a carriage return. Whatever the action
 * prints from them must stay text: no line of its stdout may start with `::` from server text (the
 * runner trims leading white space first), and no line may hold the legacy `##[` form anywhere.
 */

const HOSTILE_PRODUCT_ID = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'
const hostile = (tag: string): string =>
  [
    `\n::error::PWNED-${tag}-error`,
    `\r::add-mask::PWNED-${tag}-mask`,
    `\r\n  ::stop-commands::PWNED-${tag}-stop`,
    `\n\t::warning file=x.ts,line=1::PWNED-${tag}-warning`,
    ` ##[error]PWNED-${tag}-legacy`,
    ` %0A::notice::PWNED-${tag}-escaped`,
    ` <img src="https://evil.example/${tag}.png"> [click](https://evil.example/${tag}) @${tag}`
  ].join('')

const seed = defaultSeed()
seed.offers!.push({
  productId: HOSTILE_PRODUCT_ID,
  resourceType: 'AzureApplication',
  offerId: `hostile${hostile('offer-id')}`,
  name: `Hostile${hostile('name')}`,
  plans: [
    {
      planId: `plan${hostile('plan-id')}`,
      name: `Plan${hostile('plan-name')}`,
      variantId: '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
      subType: 'solution-template',
      packageVersion: `1.0.0${hostile('version')}`
    }
  ],
  // A number where an ID string belongs, and a substate no real service sends.
  submissions: [
    {
      id: 4242 as unknown as string,
      state: 'Published',
      substate: `InStore${hostile('substate')}` as 'InStore'
    }
  ]
})

const emulator = useEmulator({ seed })

/**
 * Lines of stdout the runner would read as a command made of server text: a line that starts (after
 * white space) with one of the payload's commands, or that holds the legacy `##[` form anywhere. Our
 * own `::error::` lines may quote server text, escaped (`%0A`), after words of our own.
 */
function injected(run: ActionRun): string[] {
  return run.stdout
    .split(/\r\n|\r|\n/)
    .filter(
      line => /^\s*::[a-z-]+( [^:]*)?::PWNED/.test(line) || (line.includes('##[') && line.includes('PWNED'))
    )
}

describe('server text in the log', () => {
  it('show: the offer ID, name, plans, versions and substate print as text', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'product-id': HOSTILE_PRODUCT_ID })
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('PWNED-offer-id')
    expect(injected(run)).toEqual([])
    // Outputs are data: the values arrive whole, in the file the runner reads them from.
    expect(run.outputs['offer-id']).toBe(`hostile${hostile('offer-id')}`)
  })

  it('list: every offer name prints as text, in the log and in the summary', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'list', 'offer-type': 'AzureApplication' })
    })
    expect(run.code).toBe(0)
    expect(injected(run)).toEqual([])
    const offers = JSON.parse(run.outputs.offers) as Array<{ name: string }>
    expect(offers.map(o => o.name)).toContain(`Hostile${hostile('name')}`)
  })

  it('show: the job summary holds no live image, link or mention from the server', async () => {
    const run = await runAction({
      inputs: emulatorInputs(emulator, { command: 'show', 'product-id': HOSTILE_PRODUCT_ID })
    })
    expect(run.summary).toContain('PWNED-name')
    expect(run.summary).not.toMatch(/<img|<a |\]\(https:\/\/evil|https:\/\/evil/)
    expect(run.summary).not.toMatch(/@offer-id|@name|@plan-name|@substate/)
    // Every line of server text stayed inside its cell or paragraph.
    for (const line of run.summary.split('\n').filter(l => l.includes('PWNED')))
      expect(line).toMatch(/^(\||## |Submission|`)/)
  })
})
