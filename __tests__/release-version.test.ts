import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import { compareVersions, missingVersionError, releaseVersion } from '../src/release-version.js'

describe('missingVersionError', () => {
  it('names a pre-release tag, says what Partner Center versions are, and which tag or version to use', () => {
    const error = missingVersionError(releaseVersion('', 'refs/tags/v1.2.3-beta.1'))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      "Input 'version': is not set, and the tag 'v1.2.3-beta.1' is not a version Partner Center accepts: its versions are major.minor.patch (e.g. 1.2.3), without a pre-release or build suffix."
    )
    expect(error.hint).toBe('Set `version` (e.g. `version: 1.2.3`), or tag the release v1.2.3.')
  })

  it('names any other tag that is not a version', () => {
    const error = missingVersionError(releaseVersion('', 'refs/tags/latest'))
    expect(error.message).toContain("the tag 'latest' is not a version")
    expect(error.hint).toBe('Set `version` (e.g. `version: 1.2.3`), or run on a tag such as v1.2.3.')
  })

  it('says the run was not started by a tag when it was not', () => {
    const error = missingVersionError(releaseVersion('', 'refs/heads/main'))
    expect(error.message).toBe(
      "Input 'version': is not set and the run was not started by a version tag (v1.2.3 or 1.2.3)."
    )
  })
})

describe('compareVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1)
    expect(compareVersions('2.0.0', '10.0.0')).toBe(-1)
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0)
  })

  it('compares the four parts of a Business Central version', () => {
    expect(compareVersions('1.2.3.10', '1.2.3.9')).toBe(1)
    expect(compareVersions('1.2.3.4', '1.2.3.4')).toBe(0)
    expect(compareVersions('1.10.0.0', '1.9.99.99')).toBe(1)
    expect(compareVersions('0.9.0.0', '1.0.0.0')).toBe(-1)
    expect(compareVersions('1.2.3.0', '1.2.3')).toBe(0)
  })
})
