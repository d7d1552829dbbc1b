import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  APPLICABLE_INPUTS,
  checkInputsForCommand,
  checkInputsForOffer
} from '../src/commands/common/applicable-inputs.js'
import { InputError } from '../src/errors.js'
import { COMMANDS, readInputs } from '../src/inputs.js'
import { OFFER_TYPES } from '../src/offer-types.js'

const ACTION = readFileSync(new URL('../action.yml', import.meta.url), 'utf8')

function refusal(check: () => void): InputError {
  try {
    check()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

const saas = { offerId: 'contoso-saas', type: 'SoftwareAsAService', api: 'product-ingestion' as const }
const app = { offerId: 'contoso-app', type: 'AzureApplication', api: 'ingestion' as const }
const vm = { offerId: 'contoso-vm', type: 'AzureThirdPartyVirtualMachine', api: 'product-ingestion' as const }
const consulting = { offerId: 'contoso-consult', type: 'AzureConsultingService', api: 'ingestion' as const }

describe('the applicability table', () => {
  it('names only inputs of action.yml whose default is empty (an input with a default is always "given")', () => {
    for (const input of Object.keys(APPLICABLE_INPUTS)) {
      const declared = new RegExp(`^  ${input}:\\n(?:    .*\\n)*?    default: '([^']*)'`, 'm').exec(ACTION)
      expect([input, declared?.[1]]).toEqual([input, ''])
    }
  })

  it('names only real commands and offer types', () => {
    const known = new Set(OFFER_TYPES.map(t => t.type))
    for (const rule of Object.values(APPLICABLE_INPUTS)) {
      for (const [command, scope] of Object.entries(rule)) {
        expect(COMMANDS).toContain(command)
        if (scope !== 'any') for (const name of scope) expect(known).toContain(name)
      }
    }
  })
})

describe('checkInputsForCommand', () => {
  it.each([
    ['list', 'package-path', 'publish of Azure Application, Dynamics 365 Business Central offers'],
    ['publish', 'config-path', 'configure'],
    ['configure', 'technical-configuration', 'publish of Azure Application offers'],
    ['status', 'output-path', 'export'],
    ['list', 'offer-id', 'show; publish; go-live; status; cancel; export; configure'],
    ['export', 'wait', 'publish; go-live; status; configure'],
    ['publish', 'job-id', 'status; cancel'],
    ['configure', 'library-path', 'publish of Dynamics 365 Business Central offers'],
    ['show', 'cnab-bundle', 'publish of Azure Container offers; configure']
  ] as const)('%s refuses %s, saying where it applies', (command, input, where) => {
    const error = refusal(() => checkInputsForCommand(command, [input]))
    expect(error.input).toBe(input)
    expect(error.message).toBe(
      `Input '${input}': does not apply to command '${command}'; it is used by: ${where}.`
    )
    expect(error.hint).toContain('with:')
  })

  it('accepts inputs where they apply, and inputs that apply everywhere', () => {
    expect(() =>
      checkInputsForCommand('publish', [
        'offer-id',
        'package-path',
        'version',
        'plan-id',
        'wait',
        'tenant-id'
      ])
    ).not.toThrow()
    expect(() => checkInputsForCommand('configure', ['config-path', 'product-id', 'dry-run'])).not.toThrow()
    expect(() => checkInputsForCommand('status', ['job-id', 'wait'])).not.toThrow()
  })
})

describe('checkInputsForOffer', () => {
  it('refuses package-path and technical-configuration on a SaaS offer, naming the input and the offer type', () => {
    for (const input of ['package-path', 'technical-configuration', 'version', 'plan-id']) {
      const error = refusal(() => checkInputsForOffer('publish', ['offer-id', input], saas))
      expect(error.input).toBe(input)
      expect(error.message).toContain(
        `Input '${input}': does not apply to SaaS offer 'contoso-saas' (SoftwareAsAService) with command 'publish'`
      )
    }
  })

  it('refuses a package on the v1 offer types that have none, and accepts what each type uses', () => {
    expect(refusal(() => checkInputsForOffer('publish', ['package-path'], consulting)).message).toContain(
      "Consulting service offer 'contoso-consult'"
    )
    expect(() =>
      checkInputsForOffer('publish', ['package-path', 'technical-configuration', 'plan-id', 'version'], app)
    ).not.toThrow()
    expect(() =>
      checkInputsForOffer('publish', ['plan-id', 'image-version', 'gallery-image-id'], vm)
    ).not.toThrow()
    expect(refusal(() => checkInputsForOffer('publish', ['cnab-bundle'], vm)).message).toContain(
      "Virtual machine offer 'contoso-vm'"
    )
    expect(() => checkInputsForOffer('status', ['submission-id', 'wait'], saas)).not.toThrow()
  })

  it('reads which inputs were given from the inputs, blank values not counted', () => {
    const values: Record<string, string> = {
      command: 'publish',
      'tenant-id': 'contoso.onmicrosoft.com',
      'client-id': '5d2b7e91-8c4a-4f3e-b6d0-1a9c3e7f2b48',
      'client-secret': 'x',
      'offer-id': 'contoso-saas',
      'package-path': ' app.zip ',
      'plan-id': '  \n ',
      target: 'preview'
    }
    const { given } = readInputs(name => values[name] ?? '', {})
    expect(given).toEqual(expect.arrayContaining(['offer-id', 'package-path', 'target']))
    expect(given).not.toContain('plan-id')
    expect(refusal(() => checkInputsForOffer('publish', given, saas)).input).toBe('package-path')
  })
})
