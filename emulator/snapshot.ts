// What GET /_emulator/state shows: a readable summary of the account. Secrets are never included
// (apps are listed with their ids and roles only). Filler offers are counted, not listed.
import type { EmulatorState } from './state.js'
import { computeStatus, settleSubmissions } from './ingestion/submissions.js'
import { settlePackage } from './ingestion/packages.js'

export function snapshot(state: EmulatorState): Record<string, unknown> {
  const products: unknown[] = []
  let fillers = 0
  for (const id of state.productOrder) {
    const p = state.products.get(id)
    if (!p) continue
    if (p.filler && !p.branches) {
      fillers++
      continue
    }
    settleSubmissions(state, p)
    products.push({
      id: p.id,
      offerId: p.offerId,
      resourceType: p.resourceType,
      name: p.name,
      failNextSubmission: p.failNextSubmission ?? null,
      plans: [...p.variants.values()].map(v => ({
        id: v.id,
        planId: v.externalID,
        subType: v.subType ?? null,
        live: v.live ?? null
      })),
      packages: [...p.packages.values()].map(pkg => {
        settlePackage(state, pkg)
        return {
          id: pkg.id,
          fileName: pkg.fileName,
          state: pkg.state,
          validationItems: pkg.outcome?.validationItems ?? []
        }
      }),
      submissions: [...p.submissions.values()].map(s => {
        const st = computeStatus(state, s, state.clock.now())
        return { id: s.id, releaseNumber: s.releaseNumber, state: st.state, substate: st.substate }
      })
    })
  }
  return {
    clock: { now: state.clock.iso(), timeScale: state.clock.timeScale },
    timings: state.config.timings,
    pageSize: state.config.pageSize,
    productCount: state.products.size,
    fillerProductsNotShown: fillers,
    tenants: state.tenants.map(t => ({
      id: t.id,
      domains: t.domains,
      apps: t.apps.map(a => ({
        clientId: a.clientId,
        displayName: a.displayName,
        disabled: a.disabled ?? false,
        partnerCenterRole: a.partnerCenterRole
      }))
    })),
    products,
    blobs: state.blobs.size,
    productIngestion: state.productIngestion
  }
}
