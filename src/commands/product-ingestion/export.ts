import type { RunContext } from '../../context.js'
import { ActionError } from '../../errors.js'
import { checkOutputPath, writeOutputFile } from '../../files/output-file.js'
import { log } from '../../log.js'
import {
  exportFormat,
  READ_ONLY_FIELDS,
  resourceType,
  serialize,
  SKIPPED_TYPES,
  toConfigureBody
} from './export-tree.js'
import { code, joinMarkdown, md, type Report } from '../../report/report.js'
import { resolveOfferWithInputs } from '../common/applicable-inputs.js'
import { offerOutputs } from '../common/offer-outputs.js'

/**
 * `export`: the offer's draft resource tree, written to `output-path` as a configure body ready to
 * edit and send back with `command: configure`. The draft is what configure changes, so it is what
 * is exported.
 */
export const exportCommand = async (ctx: RunContext): Promise<Report> => {
  // The path is checked before any request: a bad extension is an input error, not a wasted run.
  const format = exportFormat(ctx.inputs.outputPath)
  const outputPath = checkOutputPath('output-path', ctx.inputs.outputPath!)
  const offer = await resolveOfferWithInputs(ctx)
  if (offer.api !== 'product-ingestion') {
    throw new ActionError(
      `Offer '${offer.offerId}' is a ${offer.type} offer, which the Product Ingestion API does not serve; there is no resource tree to export.`,
      {
        hint: 'Use `command: show` for Azure Application offers.'
      }
    )
  }
  const tree = await ctx.productIngestion.getResourceTree(offer.productId, 'draft')
  const body = toConfigureBody(tree.resources)
  writeOutputFile('output-path', outputPath, serialize(body, format))
  const counts = new Map<string, number>()
  for (const resource of body.resources)
    counts.set(resourceType(resource), (counts.get(resourceType(resource)) ?? 0) + 1)
  const skipped = tree.resources.length - body.resources.length
  log.info(`Wrote ${body.resources.length} resource(s) of offer '${offer.offerId}' to ${outputPath}.`)
  return {
    title: `${offer.offerId}: exported`,
    outputs: {
      ...offerOutputs(offer),
      'output-path': outputPath
    },
    sections: [
      {
        text: md`Exported the draft of ${code(offer.offerId)} to ${code(outputPath)} (${format.toUpperCase()}). Edit it and send it back with \`command: configure\`.`,
        table: { headers: ['Type', 'Count'], rows: [...counts].map(([type, count]) => [type, String(count)]) }
      },
      {
        text: md`Left out: ${joinMarkdown(
          READ_ONLY_FIELDS.map(f => code(f)),
          ', '
        )} (read-only) and ${SKIPPED_TYPES.join(', ')} resources (sending one publishes)${skipped ? `; ${skipped} resource(s) skipped` : ''}.`
      }
    ]
  }
}
