// GET /products/{p}/branches/getByModule(module=X): one Main branch per module at offer level and,
// for Listing/Availability/Package, one per plan carrying variantID (recorded). Right after
// POST /products the list is empty for a few reads (recorded eventual consistency).
import { jsonReply } from '../http/reply.js'
import type { Branch, EmulatorState, ModuleName } from '../state.js'
import { MODULES } from '../state.js'
import { ensureDrafts } from './drafts.js'
import { badRequest } from './errors.js'
import { requireProduct, type ScopedRouter } from './common.js'

/** Modules the SPEC lists that Azure offers never have: answered with an empty list. */
const EMPTY_MODULES = ['supplementalcontent', 'cosell']

export function serializeBranch(b: Branch): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resourceType: 'Branch',
    friendlyName: 'Main',
    type: 'Main',
    module: b.module,
    currentDraftInstanceID: b.instanceId
  }
  if (b.variantId) out.variantID = b.variantId
  return out
}

export function registerBranchRoutes(r: ScopedRouter, state: EmulatorState): void {
  r.get('/products/:productId/branches/getByModule(module=:module)', ctx => {
    const p = requireProduct(state, ctx.params.productId!)
    const raw = ctx.params.module!.trim()
    const module = MODULES.find(m => m.toLowerCase() === raw.toLowerCase()) as ModuleName | undefined
    if (!module) {
      if (EMPTY_MODULES.includes(raw.toLowerCase())) return jsonReply(200, { value: [] })
      throw badRequest(
        'module',
        `The field module is invalid (value '${raw}'). Allowed: ${MODULES.join(', ')}.`
      )
    }
    if (p.branchReadsPending > 0) {
      p.branchReadsPending--
      return jsonReply(200, { value: [] })
    }
    ensureDrafts(p)
    return jsonReply(200, { value: p.branches!.filter(b => b.module === module).map(serializeBranch) })
  })
}
