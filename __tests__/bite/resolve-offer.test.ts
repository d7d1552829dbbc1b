// An offer named by a product ID that does not exist (a typo, another seller's offer): the user is told
// that no such offer is in this account and how to find the right ID, not shown a raw HTTP 404.
import { expect, it } from '@jest/globals'
import { emulatorInputs, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, runAction } from '../helpers/run-action.js'

const emulator = useEmulator()

it.each(['show', 'status'])('%s with an unknown product-id says no such offer exists here', async command => {
  const productId = '0badc0de-0000-4000-8000-000000000000'
  const run = await runAction({ inputs: emulatorInputs(emulator, { command, 'product-id': productId }) })
  expect(run.code).toBe(1)
  const [error] = errorAnnotations(run)
  expect(error).toContain(`No offer with product ID ${productId} was found in this Partner Center account.`)
  expect(error).toContain('command: list')
  expect(error).not.toMatch(/HTTP 404/)
  // It was asked once, and nothing was written.
  expect(
    emulator
      .requests()
      .filter(r => r.path.includes(productId))
      .map(r => r.status)
  ).toEqual([404])
  expect(writes(emulator)).toEqual([])
})
