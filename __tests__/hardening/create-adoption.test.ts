import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { HttpError } from '../../src/http/http-error.js'
import { createOnce } from '../../src/commands/common/create-once.js'
import { fakeClock } from '../helpers/fake-clock.js'

/**
 * A create whose answer is lost, while another run creates objects of the same kind: the read-back
 * adopts only an object that appeared after this attempt and matches what it asked for; two
 * matching objects stop the run instead of guessing.
 */

interface Pkg {
  id: string
  fileName: string
}

const lost = (): HttpError =>
  new HttpError({
    operation: 'Create package',
    method: 'POST',
    url: 'https://api.example/packages',
    networkCode: 'ECONNRESET',
    api: { fields: {}, details: [] },
    outcomeUnknown: true,
    attempts: 1
  })

/** A package store shared by "this run" and "another run". */
function store(initial: Pkg[]) {
  const packages = [...initial]
  let next = 100
  return {
    packages,
    add: (fileName: string): Pkg => {
      const pkg = { id: String(next++), fileName }
      packages.push(pkg)
      return pkg
    }
  }
}

function options(s: ReturnType<typeof store>, create: () => Promise<Pkg>) {
  return {
    what: 'the package',
    clock: fakeClock(),
    create,
    existingIds: async () => new Set(s.packages.map(p => p.id)),
    findCandidates: async (existing: Set<string>) =>
      s.packages.filter(p => !existing.has(p.id) && p.fileName === 'app.zip'),
    describe: (p: Pkg) => `package ${p.id}`
  }
}

describe('createOnce after a lost answer', () => {
  it('never adopts what another run created before the attempt', async () => {
    // Another run's app.zip exists already: it is not a candidate, so this run creates its own.
    const s = store([{ id: '1', fileName: 'app.zip' }])
    let calls = 0
    const created = await createOnce(
      options(s, async () => {
        calls++
        if (calls === 1) throw lost() // lost before it reached the service
        return s.add('app.zip')
      })
    )
    expect(created.id).toBe('100')
    expect(calls).toBe(2)
  })

  it('adopts the one object the attempt made', async () => {
    const s = store([{ id: '1', fileName: 'app.zip' }])
    let calls = 0
    const created = await createOnce(
      options(s, async () => {
        calls++
        s.add('app.zip')
        throw lost() // made, but the answer was lost
      })
    )
    expect(created.id).toBe('100')
    expect(calls).toBe(1)
  })

  it('ignores a concurrent object that does not match the request', async () => {
    const s = store([])
    let calls = 0
    const created = await createOnce(
      options(s, async () => {
        calls++
        if (calls === 1) {
          s.add('other.zip') // another run, another package
          throw lost()
        }
        return s.add('app.zip')
      })
    )
    expect(created.fileName).toBe('app.zip')
    expect(s.packages.map(p => p.fileName)).toEqual(['other.zip', 'app.zip'])
  })

  it('stops, naming both, when two matching objects appeared meanwhile', async () => {
    const s = store([])
    const error = await createOnce(
      options(s, async () => {
        s.add('app.zip') // another run's
        s.add('app.zip') // this run's
        throw lost()
      })
    ).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(
      /2 matching ones appeared meanwhile \(package 100, package 101\)/
    )
    expect((error as ActionError).hint).toMatch(/concurrency/)
    expect(s.packages).toHaveLength(2)
  })
})
