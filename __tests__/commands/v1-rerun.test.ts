// What a re-run of a release recognises as its own earlier work (src/commands/v1/rerun.ts), and the
// version rule that lets it through.
import { describe, expect, it } from '@jest/globals'
import type { PlanState } from '../../src/commands/v1/plan-state.js'
import {
  findProcessedPackage,
  movedByEarlierRun,
  packageFileName,
  publishedThisRelease,
  submissionOfEarlierRun
} from '../../src/commands/v1/rerun.js'
import type { RunContext } from '../../src/context.js'
import { HttpError } from '../../src/http/http-error.js'
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
  const notes = (version: string) => `Version ${version} published by partner-center-publish.`

  it('is the newest one in progress when every plan was moved by that run', async () => {
    const list = [
      submission('100', 'Published', 'InStore'),
      submission('102', 'InProgress', 'Submitted', notes('1.1.0'))
    ]
    expect((await submissionOfEarlierRun(list, moved, '1.1.0', ours))?.id).toBe('102')
    // Without notes (the service does not always return publishOption) the draft state decides.
    expect(
      (await submissionOfEarlierRun([submission('102', 'InProgress', 'Submitted')], moved, '1.1.0', ours))?.id
    ).toBe('102')
  })

  it('is none when its notes name another version, when it failed, or when a plan was not moved', async () => {
    const other = [submission('102', 'InProgress', 'Submitted', notes('1.0.9'))]
    expect(await submissionOfEarlierRun(other, moved, '1.1.0', ours)).toBeUndefined()
    expect(
      await submissionOfEarlierRun([submission('102', 'InProgress', 'Failed')], moved, '1.1.0', ours)
    ).toBeUndefined()
    const partly = [plan('a', '1.1.0', 'P-1'), plan('b', '1.0.0', 'P-0')]
    expect(
      await submissionOfEarlierRun([submission('102', 'InProgress', 'Submitted')], partly, '1.1.0', ours)
    ).toBeUndefined()
  })

  it('reached preview or went live: taken only on evidence that it is this release, never the release before', async () => {
    const inPreview = submission('102', 'Published', 'ReadyToPublish')
    const live = submission('100', 'Published', 'InStore')
    // The run before this one failed to submit: the newest submission is the previous release, live.
    // Without notes, and without instances that show what it published, it is not this release's.
    expect(await submissionOfEarlierRun([live], moved, '1.1.0', ours)).toBeUndefined()
    expect(
      await submissionOfEarlierRun([live, inPreview], moved, '1.1.0', ours, async () => false)
    ).toBeUndefined()
    // Its notes, or what its instances published, say it is.
    expect(
      (
        await submissionOfEarlierRun(
          [{ ...inPreview, publishOption: { certificationNotes: notes('1.1.0') } }],
          moved,
          '1.1.0',
          ours
        )
      )?.id
    ).toBe('102')
    const asked: string[] = []
    const found = await submissionOfEarlierRun([live, inPreview], moved, '1.1.0', ours, async s => {
      asked.push(s.id)
      return true
    })
    expect(found?.id).toBe('102')
    expect(asked).toEqual(['102'])
    // Going live or live: the same.
    for (const substate of ['Publishing', 'InStore'])
      expect(
        (
          await submissionOfEarlierRun(
            [submission('103', 'Published', substate, notes('1.1.0'))],
            moved,
            '1.1.0',
            ours
          )
        )?.id
      ).toBe('103')
  })
})

describe('what a submission published, read from the instances it names', () => {
  // Plan 'a' has its draft under instance D-a; the submission names S-a.
  const planA: PlanState = {
    ...plan('a', '1.1.0', 'P-1'),
    packageBranch: {
      module: 'Package',
      currentDraftInstanceID: 'D-a',
      variantID: 'v-a'
    } as PlanState['packageBranch']
  }
  const named = (instance: string): Submission => ({
    ...submission('102', 'Published', 'ReadyToPublish'),
    variantResources: [{ variantID: 'v-a', resources: [{ type: 'Package', value: instance }] }]
  })
  const reading = (configs: Record<string, unknown>) =>
    ({
      ingestion: {
        getPackageConfiguration: async (_product: string, instance: string) => {
          const found = configs[instance]
          if (found instanceof Error) throw found
          return found
        }
      }
    }) as unknown as RunContext
  const config = (version: string, pkg: string) => ({
    version,
    packageReferences: [{ type: 'AzureApplicationPackage', value: pkg }]
  })

  it('is this release when every plan published this version with this package', async () => {
    const ctx = reading({ 'S-a': config('1.1.0', 'p-1') })
    expect(await publishedThisRelease(ctx, 'prod', named('S-a'), [planA], '1.1.0', ours)).toBe(true)
  })

  it('is not when the version or package differ, the instance is the draft, or it cannot be read', async () => {
    expect(
      await publishedThisRelease(
        reading({ 'S-a': config('1.0.0', 'P-1') }),
        'prod',
        named('S-a'),
        [planA],
        '1.1.0',
        ours
      )
    ).toBe(false)
    expect(
      await publishedThisRelease(
        reading({ 'S-a': config('1.1.0', 'P-0') }),
        'prod',
        named('S-a'),
        [planA],
        '1.1.0',
        ours
      )
    ).toBe(false)
    // The same instance as the draft: it shows the draft, which proves nothing.
    expect(
      await publishedThisRelease(
        reading({ 'D-a': config('1.1.0', 'P-1') }),
        'prod',
        named('D-a'),
        [planA],
        '1.1.0',
        ours
      )
    ).toBe(false)
    const gone = new HttpError({
      operation: 'Read the plan technical configuration',
      method: 'GET',
      url: 'https://api.partner.microsoft.com/…',
      status: 404,
      api: { fields: {}, details: [] },
      outcomeUnknown: false,
      attempts: 1
    } as unknown as ConstructorParameters<typeof HttpError>[0])
    expect(
      await publishedThisRelease(reading({ 'S-a': gone }), 'prod', named('S-a'), [planA], '1.1.0', ours)
    ).toBe(false)
    expect(
      await publishedThisRelease(
        reading({ 'S-a': config('1.1.0', 'P-1') }),
        'prod',
        named('S-a'),
        [planA],
        '1.1.0',
        undefined
      )
    ).toBe(false)
  })
})

describe('the version to beat', () => {
  it('is the live version where it was read, else the draft', () => {
    const live = new Map([['a', '1.2.0']])
    // The draft is at 1.3.0 (a release that never went live); live is 1.2.0: 1.2.5 is higher than live.
    expect(() => checkVersionIsHigher('1.2.5', [plan('a', '1.3.0', 'P-9')], undefined, live)).not.toThrow()
    const error = (() => {
      try {
        checkVersionIsHigher('1.2.0', [plan('a', '1.3.0', 'P-9'), plan('b', '1.3.0', 'P-9')], undefined, live)
      } catch (e) {
        return e as InputError
      }
      throw new Error('expected a refusal')
    })()
    expect(error.message).toContain("'a' is live at 1.2.0, 'b' is at 1.3.0")
    expect(error.hint).toContain('tag v1.3.1 (or higher)')
  })
})
