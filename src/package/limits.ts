/**
 * Size limits for an Azure Application package. Checked before anything is uploaded, so that an
 * oversized package fails in seconds with a clear message instead of after a long upload.
 */

/**
 * Partner Center's documented limit for an Azure Application (managed application / solution
 * template) package: a .zip of at most 1 GB. Larger packages are refused after upload.
 */
export const MAX_PACKAGE_BYTES = 1024 ** 3

/**
 * mainTemplate.json and createUiDefinition.json are the only entries read into memory, to be
 * parsed. Real ones are a few hundred KB at most; anything past this is not a template, and reading
 * it would only put the runner's memory at risk (a zip bomb).
 */
export const MAX_TEMPLATE_BYTES = 20 * 1024 ** 2

/**
 * Most entries a package may hold. Real Azure Application packages hold a handful of templates and
 * scripts; tens of thousands of entries are build output packaged by mistake, or a zip made to
 * exhaust the memory of whoever lists it (every entry costs a record, whatever its size).
 */
export const MAX_PACKAGE_ENTRIES = 10_000

/** The two files Partner Center requires at the root of the zip. */
export const MAIN_TEMPLATE = 'mainTemplate.json'
export const CREATE_UI_DEFINITION = 'createUiDefinition.json'
export const REQUIRED_ROOT_FILES = [MAIN_TEMPLATE, CREATE_UI_DEFINITION] as const

/** Human-readable size for messages: "1.5 GiB", "320 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`
}
