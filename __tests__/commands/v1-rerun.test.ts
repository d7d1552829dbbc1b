// What a re-run of a release recognises as its own earlier work (src/commands/v1/rerun.ts), and the
// version rule that lets it through.
import { describe, expect, it } from '@jest/globals'
import type { PlanState } from '../../src/commands/v1/plan-state.js'
import {
  findProcessedPackage,
  movedByEarlierRun,
  packageFileName,
  submissionOfEarlierRun
} from '../../src/commands/v1/rerun.js'
import { checkVersionIsHigher, nextPatch } from '../../src/commands/v1/version.js'
import { InputError } from '../../src/errors.js'
import type { AzurePackage, Submission } from '../../src/ingestion/types.js'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90'
const NAME = packageFileName({ fileName: 'app.zip', sha256: SHA })
const ours: AzurePackage = {
  resourceType: 'AzureApplicationPackage',
  id: 'P-1',
  fileName: NAME,
  state: 'Processed'
}

const plan = (planId: string, version: string | undefined, packageId?: string): PlanState => ({
  planId,
  version,
  variant: { resourceType: 'AzureSkuVariant', id: `v-${planId}`, externalID: planId },
  packageConfig: {
    resourceType: 'AzureSolutionTemplatePackageConfiguration',
    id: `c-${planId}`,
    version,
    packageReferences: packageId ? [{ type: 'AzureApplicationPackage', value: packageId }] : []
  }
})

const submission = (id: string, state: string, substate: string, notes?: string): Submission => ({
  id,
  state,
  substate,
  ...(notes ? { publishOption: { certificationNotes: notes } } : {})
})

describe('the package of an earlier run', () => {
  it('is named with the start of its SHA-256, so the same contents give the same name', () => {
    expect(NAME).toBe('app.a1b2c3d4e5f60718.zip')
    expect(packageFileName({ fileName: 'My App.ZIP', sha256: SHA.toUpperCase() })).toBe(
      'My App.a1b2c3d4e5f60718.zip'
    )
  })

  it('is used again only when processed and of the same contents', () => {
    expect(findProcessedPackage([ours], NAME)).toBe(ours)
    expect(findProcessedPackage([{ ...ours, state: 'PendingUpload' }], NAME)).toBeUndefined()
    expect(findProcessedPackage([{ ...ours, state: 'ProcessFailed' }], NAME)).toBeUndefined()
    expect(
      findProcessedPackage([ours], packageFileName({ fileName: 'app.zip', sha256: 'f'.repeat(64) }))
    ).toBeUndefined()
  })
})

describe('plans moved by an earlier run', () => {
  it('hold this version and point at this package', () => {
    expect(movedByEarlierRun(plan('a', '1.1.0', 'p-1'), '1.1.0', ours)).toBe(true)
    expect(movedByEarlierRun(plan('a', '1.1.0', 'P-2'), '1.1.0', ours)).toBe(false)
    expect(movedByEarlierRun(plan('a', '1.0.0', 'P-1'), '1.1.0', ours)).toBe(false)
    expect(movedByEarlierRun(plan('a', '1.1.0', 'P-1'), '1.1.0', undefined)).toBe(false)
  })

  it('pass the version rule; a plan at the same version with another package does not, and the advice names a real next version', () => {
    expect(() =>
      checkVersionIsHigher('1.1.0', [plan('a', '1.1.0', 'P-1')], p => movedByEarlierRun(p, '1.1.0', ours))
    ).not.toThrow()
    const error = (() => {
      try {
        checkVersionIsHigher('1.1.0', [plan('a', '1.1.0', 'P-2'), plan('b', '1.3.9', 'P-1')], p =>
          movedByEarlierRun(p, '1.1.0', ours)
        )
      } catch (e) {
        return e as InputError
      }
      throw new Error('expected a refusal')
    })()
    expect(error.input).toBe('version')
    expect(error.message).toContain("'a' is at 1.1.0, 'b' is at 1.3.9")
    expect(error.hint).toContain('tag v1.3.10 (or higher)')
    expect(nextPatch('1.4.0')).toBe('1.4.1')
  })
})

describe('the submission of an earlier run', () => {
  const moved = [plan('a', '1.1.0', 'P-1'), plan('b', '1.1.0', 'P-1')]

  it('is the newest one in progress when every plan was moved by that run', () => {
    const list = [
      submission('100', 'Published', 'InStore'),
      submission('102', 'InProgress', 'Submitted', 'Version 1.1.0 published by partner-center-publish.')
    ]
    expect(submissionOfEarlierRun(list, moved, '1.1.0', ours)?.id).toBe('102')
    // Without notes (the service does not always return publishOption) the draft state decides.
    expect(
      submissionOfEarlierRun([submission('102', 'InProgress', 'Submitted')], moved, '1.1.0', ours)?.id
    ).toBe('102')
  })

  it('is none when its notes name another version, when it failed, or when a plan was not moved', () => {
    const other = [
      submission('102', 'InProgress', 'Submitted', 'Version 1.0.9 published by partner-center-publish.')
    ]
    expect(submissionOfEarlierRun(other, moved, '1.1.0', ours)).toBeUndefined()
    expect(
      submissionOfEarlierRun([submission('102', 'InProgress', 'Failed')], moved, '1.1.0', ours)
    ).toBeUndefined()
    const partly = [plan('a', '1.1.0', 'P-1'), plan('b', '1.0.0', 'P-0')]
    expect(
      submissionOfEarlierRun([submission('102', 'InProgress', 'Submitted')], partly, '1.1.0', ours)
    ).toBeUndefined()
  })
})
