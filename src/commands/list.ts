import type { RunContext } from '../context.js'
import { offerIdOf } from '../ingestion/types.js'
import { log } from '../log.js'
import { canonicalOfferType, findOfferType } from '../offer-types.js'
import { code, md, partnerCenterUrl, type Report } from '../report/report.js'
import { OUTPUT_BYTE_LIMIT } from '../report/write.js'

export interface OfferSummary {
  productId: string
  offerId: string
  name: string
  type: string
}

/**
 * `list`: every offer the application can reach, optionally of one type. Pages are consumed as
 * they arrive and only four fields of each offer are kept, so 10,000 offers stay cheap.
 */
export async function listCommand(ctx: RunContext): Promise<Report> {
  const wanted = ctx.inputs.offerType
  const offers: OfferSummary[] = []
  let pages = 0
  for await (const page of ctx.ingestion.listProductPages(wanted)) {
    pages++
    for (const product of page) {
      const type = canonicalOfferType(product.resourceType)
      // Filtered here as well: the service's type filter has misbehaved before (docs/partner-center-api.md §1.4).
      if (wanted && type !== wanted) continue
      offers.push({
        productId: product.id,
        offerId: offerIdOf(product) ?? '',
        name: product.name ?? '',
        type
      })
    }
  }
  offers.sort((a, b) => a.offerId.localeCompare(b.offerId) || a.productId.localeCompare(b.productId))
  log.info(`Found ${offers.length} offer(s)${wanted ? ` of type ${wanted}` : ''} in ${pages} page(s).`)

  return {
    title: `Partner Center offers${wanted ? ` (${findOfferType(wanted)?.label ?? wanted})` : ''}`,
    outputs: { offers: offersOutput(offers), count: String(offers.length) },
    sections: [
      {
        text: md`${offers.length} offer(s)${wanted ? md` of type ${code(wanted)}` : ''}.`,
        table: {
          headers: ['Offer ID', 'Name', 'Type', 'Product ID'],
          rows: offers.map(o => [
            { text: o.offerId || '(none)', href: partnerCenterUrl(o.productId) },
            o.name,
            findOfferType(o.type)?.label ?? o.type,
            o.productId
          ])
        }
      }
    ]
  }
}

/** The `offers` output; cut (with a warning) where a huge account would pass GitHub's output limit. */
function offersOutput(offers: OfferSummary[]): string {
  const json = JSON.stringify(offers)
  if (Buffer.byteLength(json) <= OUTPUT_BYTE_LIMIT) return json
  let kept = offers.length
  while (kept > 0 && Buffer.byteLength(JSON.stringify(offers.slice(0, kept))) > OUTPUT_BYTE_LIMIT)
    kept = Math.floor(kept * 0.9)
  log.warning(
    `The 'offers' output holds the first ${kept} of ${offers.length} offers: GitHub limits outputs to 1 MiB per job. Filter with 'offer-type', or use 'count'.`
  )
  return JSON.stringify(offers.slice(0, kept))
}
