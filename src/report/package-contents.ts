import type { PreparedPackage } from '../package/index.js'
import { formatBytes } from '../package/limits.js'
import type { Section } from './report.js'

/**
 * What the package holds, entry by entry, and what a folder package left out: shown in the dry run
 * and in the summary of a real run, so that a file packaged by mistake (or missing) is seen before
 * customers see it.
 */
export function packageContentsSections(prepared: PreparedPackage): Section[] {
  const leftOut = prepared.leftOut.length
  const contents: Section = {
    heading: 'Package contents',
    text: `${prepared.fileName}: ${prepared.entries} file(s), ${formatBytes(prepared.contents.reduce((sum, entry) => sum + entry.sizeBytes, 0))} uncompressed${prepared.fromFolder ? `; ${leftOut} left out of the folder` : ''}.`,
    table: {
      headers: ['File', 'Size'],
      rows: prepared.contents.map(entry => [entry.name, formatBytes(entry.sizeBytes)])
    }
  }
  return leftOut ? [contents, { text: 'Left out:', list: prepared.leftOut }] : [contents]
}

/** The same, as log lines. */
export function packageContentsLines(prepared: PreparedPackage): string {
  return [
    `Package ${prepared.fileName}: ${prepared.entries} file(s).`,
    ...prepared.contents.map(entry => `  ${entry.name} (${formatBytes(entry.sizeBytes)})`),
    ...prepared.leftOut.map(name => `  left out: ${name}`)
  ].join('\n')
}
