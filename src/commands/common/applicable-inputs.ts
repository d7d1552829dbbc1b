import type { RunContext } from '../../context.js'
import { InputError } from '../../errors.js'
import type { Command } from '../../inputs.js'
import { findOfferType } from '../../offer-types.js'
import { resolveOffer, type ResolvedOffer } from './resolve-offer.js'

/**
 * Which inputs apply to which command and offer, in one table: an input given where it does nothing
 * is refused before anything is written, instead of being ignored (a `package-path` on a SaaS
 * offer, a `config-path` on `publish`). Checked twice: by command as soon as the inputs are read,
 * and by offer once the offer is resolved.
 *
 * Only inputs whose action.yml default is empty are listed: an input with a default (`target`,
 * `on-conflict`, `dry-run`, …) always arrives with a value, so "given" cannot be told from "left
 * out". Inputs not listed (sign-in, service URLs, limits) apply everywhere.
 */

/**
 * Where an input applies for one command: `'any'` (with or without an offer), or the offers it
 * applies to, by canonical offer type (`AzureApplication`).
 */
type Scope = 'any' | readonly string[]
export type Applicability = Partial<Record<Command, Scope>>

const LIFECYCLE: Applicability = { 'go-live': 'any', status: 'any', cancel: 'any' }
const ON_AN_OFFER: Applicability = { show: 'any', publish: 'any', ...LIFECYCLE, export: 'any' }
/**
 * One line per input, saying what the code does today: a new input that applies only somewhere gets
 * its line here, and an offer type that starts using an input is added to its line (VM publish:
 * `plan-id`, `image-version`, …; Business Central: `package-path`, `version`, `library-path`).
 */
const VM = 'AzureThirdPartyVirtualMachine'
const CONTAINER = 'AzureContainer'
const BUSINESS_CENTRAL = 'AzureDynamics365BusinessCentral'
/** Release inputs also fill `${{ name }}` placeholders in the resource files of `configure`. */
const RELEASE_INPUT_FOR = (offerTypes: readonly string[]): Applicability => ({
  publish: offerTypes,
  configure: 'any'
})

export const APPLICABLE_INPUTS: Record<string, Applicability> = {
  'offer-id': { ...ON_AN_OFFER, configure: 'any' },
  // configure: the product named in the outputs and the link (the resource files name theirs).
  'product-id': { ...ON_AN_OFFER, configure: 'any' },
  'offer-type': { list: 'any' },
  'plan-id': RELEASE_INPUT_FOR(['AzureApplication', VM, CONTAINER]),
  'package-path': { publish: ['AzureApplication', BUSINESS_CENTRAL] },
  'library-path': { publish: [BUSINESS_CENTRAL] },
  version: RELEASE_INPUT_FOR(['AzureApplication', BUSINESS_CENTRAL, VM]),
  'technical-configuration': { publish: ['AzureApplication'] },
  'image-version': RELEASE_INPUT_FOR([VM]),
  'gallery-image-id': RELEASE_INPUT_FOR([VM]),
  'gallery-tenant-id': RELEASE_INPUT_FOR([VM]),
  'os-disk-uri': RELEASE_INPUT_FOR([VM]),
  'data-disk-uris': RELEASE_INPUT_FOR([VM]),
  'cnab-bundle': RELEASE_INPUT_FOR([CONTAINER]),
  'cnab-subscription-id': RELEASE_INPUT_FOR([CONTAINER]),
  'cnab-resource-group': RELEASE_INPUT_FOR([CONTAINER]),
  'cnab-tenant-id': RELEASE_INPUT_FOR([CONTAINER]),
  'config-path': { configure: 'any' },
  'output-path': { export: 'any' },
  'submission-id': LIFECYCLE,
  'job-id': { status: 'any', cancel: 'any' },
  wait: { publish: 'any', 'go-live': 'any', status: 'any', configure: 'any' },
  'when-not-ready': { 'go-live': 'any' }
}

const HINT = "Remove it from the step's `with:`, or use the command and offer it belongs to."

function describeScope(command: Command, scope: Scope): string {
  if (scope === 'any') return command
  const names = scope.map(s => findOfferType(s)?.label ?? s)
  return `${command} of ${names.join(', ')} offers`
}

function usedBy(rule: Applicability): string {
  return Object.entries(rule)
    .map(([command, scope]) => describeScope(command as Command, scope))
    .join('; ')
}

/** Before any request: refuses every given input that the command does not use at all. */
export function checkInputsForCommand(command: Command, given: Iterable<string>): void {
  for (const input of given) {
    const rule = APPLICABLE_INPUTS[input]
    if (rule && !rule[command]) {
      throw new InputError(
        input,
        `does not apply to command '${command}'; it is used by: ${usedBy(rule)}.`,
        HINT
      )
    }
  }
}

export interface OfferKind {
  offerId: string
  /** Canonical offer type. */
  type: string
}

/** Once the offer is known, before anything is written: refuses every given input that does nothing for it. */
export function checkInputsForOffer(command: Command, given: Iterable<string>, offer: OfferKind): void {
  for (const input of given) {
    const scope = APPLICABLE_INPUTS[input]?.[command]
    if (!scope || scope === 'any' || scope.includes(offer.type)) continue
    const label = findOfferType(offer.type)?.label ?? offer.type
    throw new InputError(
      input,
      `does not apply to ${label} offer '${offer.offerId}' (${offer.type}) with command '${command}'; it is used by: ${usedBy(APPLICABLE_INPUTS[input]!)}.`,
      HINT
    )
  }
}

/** The offer of a command, with every given input checked against it: the one way commands resolve an offer. */
export async function resolveOfferWithInputs(ctx: RunContext): Promise<ResolvedOffer> {
  const offer = await resolveOffer(ctx)
  checkInputsForOffer(ctx.inputs.command, ctx.inputs.given, offer)
  return offer
}
