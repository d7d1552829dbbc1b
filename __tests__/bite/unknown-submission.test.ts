// A submission ID that Partner Center does not know (a typo, a submission of another offer): the user is
// told, naming the input, that this submission does not exist for the offer; not a crash of ours.
import { expect, it } from '@jest/globals'
import { CONTOSO_APP } from '../../emulator/seed/default.js'
import { emulatorInputs, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, runAction } from '../helpers/run-action.js'

const emulator = useEmulator()

it('status with an unknown submission-id says it does not exist for the offer', async () => {
  const run = await runAction({
    inputs: emulatorInputs(emulator, {
      command: 'status',
      'offer-id': 'contoso-app',
      'submission-id': '1152921505699999999'
    })
  })
  expect(run.code).toBe(1)
  const [error] = errorAnnotations(run)
  expect(error).toBe(
    "Input 'submission-id': submission 1152921505699999999 does not exist for offer 'contoso-app'."
  )
  expect(
    emulator
      .requests()
      .filter(r => r.path.includes(`${CONTOSO_APP.productId}/submissions/1152921505699999999`))
  ).not.toEqual([])
  expect(writes(emulator)).toEqual([])
})
