import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectPlans } from '../../src/commands/v1/plan-selection.js'
import {
  buildPackageConfiguration,
  loadTechnicalConfiguration
} from '../../src/commands/v1/technical-configuration.js'
import { checkVersionIsHigher, compareVersions } from '../../src/commands/v1/version.js'
import type { PlanState } from '../../src/commands/v1/plan-state.js'
import { newestFirst } from '../../src/commands/v1/plan-state.js'
import { InputError } from '../../src/errors.js'

const plan = (planId: string, version?: string, subType = 'solution-template'): PlanState => ({
  planId,
  version,
  variant: { resourceType: 'AzureSkuVariant', id: `v-${planId}`, externalID: planId, subType }
})

describe('versions', () => {
  it('compares numerically, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1)
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0)
    expect(compareVersions('0.9.12', '1.0.0')).toBe(-1)
  })

  it('refuses a version that is not higher than every plan, naming them', () => {
    expect(() => checkVersionIsHigher('1.2.3', [plan('a', '1.2.2'), plan('b')])).not.toThrow()
    const error = (() => {
      try {
        checkVersionIsHigher('1.2.3', [plan('a', '1.2.3'), plan('b', '2.0.0'), plan('c', '1.0.0')])
      } catch (e) {
        return e as InputError
      }
    })()!
    expect(error).toBeInstanceOf(InputError)
    expect(error.input).toBe('version')
    expect(error.message).toContain("'a' is at 1.2.3, 'b' is at 2.0.0")
    expect(error.message).not.toContain("'c'")
  })
})

describe('plan selection', () => {
  const all = [plan('standard'), plan('managed', undefined, 'managed-application')]
  it('takes every plan by default and the named ones in order, case-insensitively', () => {
    expect(selectPlans(all, []).map(p => p.planId)).toEqual(['standard', 'managed'])
    expect(selectPlans(all, ['managed']).map(p => p.planId)).toEqual(['managed'])
  })
  it("lists the offer's plans when one is unknown", () => {
    expect(() => selectPlans(all, ['premium'])).toThrow(
      "'premium' is not a plan of this offer. Its plans: standard, managed."
    )
  })
})

describe('technical configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }

  it('maps friendly YAML names to the API fields and checks them', async () => {
    const settings = await loadTechnicalConfiguration(
      file(
        'ok.yaml',
        `tenantId: 11111111-2222-3333-4444-555555555555
authorizations:
  - principalId: 66666666-7777-8888-9999-000000000000
    roleDefinitionId: Owner
jitAccess: true
deploymentMode: complete
policies:
  - name: audit
    definitionId: /providers/Microsoft.Authorization/policyDefinitions/abc
`
      )
    )
    expect(settings).toEqual({
      publicAzureTenantID: '11111111-2222-3333-4444-555555555555',
      publicAzureAuthorizations: [
        { principalID: '66666666-7777-8888-9999-000000000000', roleDefinitionID: 'Owner' }
      ],
      allowJitAccess: true,
      deploymentMode: 'Complete',
      policies: [
        {
          policyName: 'audit',
          policyDefinitionID: '/providers/Microsoft.Authorization/policyDefinitions/abc',
          policyParameters: null,
          policySku: 'Standard'
        }
      ]
    })
  })

  it.each([
    ['bad.json', '{"tenantId": ', 'not valid JSON'],
    ['unknown.json', '{"colour": "blue"}', "unknown setting 'colour'"],
    ['guid.json', '{"tenantId": "nope"}', 'must be a GUID'],
    ['mode.json', '{"deploymentMode": "Sometimes"}', 'Incremental, Complete'],
    [
      'auth.json',
      '{"authorizations": [{"principalId": "66666666-7777-8888-9999-000000000000", "roleDefinitionId": "Owner"}]}',
      "need 'tenantId'"
    ],
    ['list.json', '[1,2]', 'must hold an object']
  ])('refuses %s naming the input', async (name, text, message) => {
    const error = (await loadTechnicalConfiguration(file(name, text)).catch(e => e)) as InputError
    expect(error).toBeInstanceOf(InputError)
    expect(error.input).toBe('technical-configuration')
    expect(error.message).toContain(message)
  })

  it('replaces the package reference, sets the version and merges settings only into managed applications', () => {
    const current = {
      resourceType: 'AzureManagedApplicationPackageConfiguration',
      id: 'c1',
      version: '1.0.0',
      allowJitAccess: false,
      packageReferences: [{ type: 'AzureApplicationPackage', value: 'old' }]
    }
    expect(buildPackageConfiguration(current, 'new', '1.1.0', { allowJitAccess: true })).toEqual({
      ...current,
      version: '1.1.0',
      allowJitAccess: true,
      packageReferences: [{ type: 'AzureApplicationPackage', value: 'new' }]
    })
    const template = { resourceType: 'AzureSolutionTemplatePackageConfiguration', id: 'c2', version: '1.0.0' }
    expect(buildPackageConfiguration(template, 'new', '1.1.0', { allowJitAccess: true })).toEqual({
      ...template,
      version: '1.1.0',
      packageReferences: [{ type: 'AzureApplicationPackage', value: 'new' }]
    })
  })
})

describe('newestFirst', () => {
  it('orders 19-digit submission IDs numerically', () => {
    const ids = ['1152921505697797881', '1152921505697797999', '999']
    expect(newestFirst(ids.map(id => ({ id }))).map(s => s.id)).toEqual([
      '1152921505697797999',
      '1152921505697797881',
      '999'
    ])
  })
})
