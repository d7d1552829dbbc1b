import { InputError } from './errors.js'

/**
 * Release versions: the one place that knows their form. The versions Partner Center takes from a
 * release (a technical configuration's `version`, a VM image's `versionNumber`) are major.minor.patch,
 * without the pre-release or build suffix that semantic versioning allows (1.2.3-beta.1, 1.2.3+5).
 */
export const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
/** A Business Central app's version: four parts, as its NavxManifest.xml gives it (1.2.45.0). */
export const APP_VERSION_PATTERN = /^(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})$/

/** `1.2.3` or `v1.2.3` (either case) to `1.2.3`; undefined for anything else. */
export function parseVersion(text: string): string | undefined {
  const version = text.trim().replace(/^v/i, '')
  return VERSION_PATTERN.test(version) ? version : undefined
}

export function isVersion(text: string): boolean {
  return VERSION_PATTERN.test(text)
}

/** Version comparison, part by part (three parts, or four for app versions); a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length, 3); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}

/** The version of a release and where it came from; `tag` is the tag that gave none, if any. */
export interface ReleaseVersion {
  version?: string
  versionSource: 'input' | 'tag' | 'none'
  /** The tag the run was started by, when it is not a version (v1.2.3-beta.1, latest). */
  unusableTag?: string
}

/** From `version`, else from the tag the run was started by (`refs/tags/v1.2.3` or `refs/tags/1.2.3`). */
export function releaseVersion(input: string, ref: string | undefined): ReleaseVersion {
  if (input) {
    // Four parts are a Business Central app version; publish refuses them for other offer types.
    const appVersion = input.trim().replace(/^v/i, '')
    if (APP_VERSION_PATTERN.test(appVersion)) return { version: appVersion, versionSource: 'input' }
    const version = parseVersion(input)
    if (!version) {
      throw new InputError(
        'version',
        `'${input}' is not a Partner Center version: that is major.minor.patch (e.g. 1.2.3), without a pre-release or build suffix, or major.minor.build.revision for a Business Central app.`
      )
    }
    return { version, versionSource: 'input' }
  }
  const tag = /^refs\/tags\/(.+)$/.exec(ref ?? '')?.[1]
  if (!tag) return { versionSource: 'none' }
  const version = parseVersion(tag)
  return version ? { version, versionSource: 'tag' } : { versionSource: 'none', unusableTag: tag }
}

/** The error of a command that needs a version and has none: it names the tag that did not give one. */
export function missingVersionError(release: ReleaseVersion): InputError {
  const suffix = release.unusableTag ? /^v?(\d+\.\d+\.\d+)[-+]/i.exec(release.unusableTag)?.[1] : undefined
  if (release.unusableTag) {
    return new InputError(
      'version',
      `is not set, and the tag '${release.unusableTag}' is not a version Partner Center accepts: its versions are major.minor.patch (e.g. 1.2.3), without a pre-release or build suffix.`,
      suffix
        ? `Set \`version\` (e.g. \`version: ${suffix}\`), or tag the release v${suffix}.`
        : 'Set `version` (e.g. `version: 1.2.3`), or run on a tag such as v1.2.3.'
    )
  }
  return new InputError(
    'version',
    'is not set and the run was not started by a version tag (v1.2.3 or 1.2.3).',
    'Set `version`, or run on a tag push such as v1.2.3.'
  )
}
