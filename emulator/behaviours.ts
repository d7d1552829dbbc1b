// Behaviour switches: ways the real Partner Center has behaved (docs/partner-center-api.md §7) that a
// client must survive. Each is off by default and switched on by name: `--behaviour a,b` on the
// command line, `behaviours: [a, b]` in a seed, `behaviours` in startEmulator(), or
// `PUT /_emulator/behaviours` at run time. Handlers ask `state.behaves('name')`.
//
// The v1 switches live in ingestion/behaviours.ts, the Product Ingestion ones in
// product-ingestion/behaviours.ts; this file only joins and checks them.
import { V1_BEHAVIOURS } from './ingestion/behaviours.js'
import { PRODUCT_INGESTION_BEHAVIOURS } from './product-ingestion/behaviours.js'

export interface BehaviourInfo {
  /** What the emulator does when the switch is on, in one sentence. */
  description: string
  /** Where the real service was seen doing it (an issue thread, a doc). */
  source: string
}

export const BEHAVIOURS: Readonly<Record<string, BehaviourInfo>> = {
  ...V1_BEHAVIOURS,
  ...PRODUCT_INGESTION_BEHAVIOURS
}

/** Checks names and returns them as a set; an unknown name is an error that lists the known ones. */
export function parseBehaviours(names: string | readonly string[] | undefined): Set<string> {
  const list = typeof names === 'string' ? names.split(',') : (names ?? [])
  const chosen = new Set<string>()
  for (const raw of list) {
    const name = raw.trim()
    if (!name) continue
    if (!Object.hasOwn(BEHAVIOURS, name)) {
      throw new Error(
        `unknown behaviour '${name}'; known: ${Object.keys(BEHAVIOURS).sort().join(', ') || '(none)'}`
      )
    }
    chosen.add(name)
  }
  return chosen
}
