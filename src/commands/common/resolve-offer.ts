import type { RunContext } from '../../context.js'
import { ActionError, InputError } from '../../errors.js'
import { offerIdOf, type Product } from '../../ingestion/types.js'
import { canonicalOfferType, findOfferType } from '../../offer-types.js'

export interface ResolvedOffer {
  productId: string
  offerId: string
  name: string
  /** Canonical v1 resourceType. */
  type: string
  /** Which API publishes it. */
  api: 'ingestion' | 'product-ingestion'
  product: Product
}

const LIST_HINT =
  'Run the action with `command: list` to see the offers this application can reach, and check `offer-id` (the Offer ID in Partner Center, not the alias).'

/**
 * Finds the offer named by `offer-id` or `product-id`. The v1 API knows every offer type (its
 * `/products` lists SaaS, VM and container offers too), so the lookup always starts there and the
 * offer's type then decides the API for everything else.
 */
export async function resolveOffer(ctx: RunContext): Promise<ResolvedOffer> {
  const { offerId, productId } = ctx.inputs
  if (!offerId && !productId) {
    throw new InputError(
      'offer-id',
      `is required for command '${ctx.inputs.command}' (or give \`product-id\`).`
    )
  }
  let product: Product | undefined
  if (productId) {
    product = await ctx.ingestion.getProduct(productId)
    if (!product) {
      throw new ActionError(
        `No offer with product ID ${productId} was found in this Partner Center account.`,
        { hint: LIST_HINT }
      )
    }
    const found = offerIdOf(product)
    if (offerId && found && found.toLowerCase() !== offerId.toLowerCase()) {
      throw new InputError(
        'offer-id',
        `'${offerId}' does not match product ${productId}, whose offer ID is '${found}'. Give one of the two, or both consistent.`
      )
    }
  } else {
    product = await ctx.ingestion.findProductByOfferId(offerId!)
    if (!product) {
      throw new ActionError(`Offer '${offerId}' was not found in this Partner Center account.`, {
        hint: LIST_HINT
      })
    }
  }
  const type = canonicalOfferType(product.resourceType)
  return {
    productId: product.id,
    offerId: offerIdOf(product) ?? offerId ?? '',
    name: product.name ?? offerIdOf(product) ?? product.id,
    type,
    api: findOfferType(type)?.api ?? 'ingestion',
    product
  }
}
