// Seed → state. Everything derived from a seed has stable ids (from the seed's GUIDs or hashed
// from offer/plan ids), so two runs of the same seed look the same to a client.
import { stableEtag, stableGuid } from '../ids.js'
import { EmulatorState, newProduct, type PackageRecord, type StateConfig, type Variant } from '../state.js'
import type { Seed, SeedOffer } from '../types.js'
import { addPlanDrafts, ensureDrafts, findDraft } from '../ingestion/drafts.js'
import { seedBusinessCentralOffer } from '../ingestion/business-central.js'

function buildOffer(state: EmulatorState, o: SeedOffer): void {
  const id = o.productId ?? stableGuid('offer', o.offerId)
  if (state.getProduct(id) || state.offerIndex.has(o.offerId.toLowerCase())) {
    throw new Error(`seed: duplicate offer '${o.offerId}' / product '${id}'`)
  }
  const p = newProduct({ id, resourceType: o.resourceType, name: o.name, offerId: o.offerId })
  p.failNextSubmission = o.failNextSubmission
  p.seedModules = {
    listing: o.listing,
    property: o.property,
    availability: o.availability,
    resellerConfiguration: o.resellerConfiguration
  }
  if (o.setup) p.setup = { ...p.setup, ...o.setup }
  state.addProduct(p)
  if (o.businessCentral) {
    p.seedModules.property = { appVersion: o.businessCentral.appVersion ?? '', ...o.property }
    ensureDrafts(p)
    seedBusinessCentralOffer(state, p, o)
  }
  if (!o.plans?.length && !o.submissions?.length) return // filler-like: drafts created lazily

  ensureDrafts(p)
  for (const plan of o.plans ?? []) {
    const v: Variant = {
      id: plan.variantId ?? stableGuid(id, 'variant', plan.planId),
      externalID: plan.planId,
      friendlyName: plan.name,
      subType: o.resourceType === 'AzureApplication' ? (plan.subType ?? 'solution-template') : undefined,
      state: 'Active',
      etag: stableEtag(id, 'variant', plan.planId),
      extra: {}
    }
    p.variants.set(v.id.toLowerCase(), v)
    addPlanDrafts(p, v)
    if (plan.listing) Object.assign(findDraft(p, 'Listing', v.id)!.body, plan.listing)
    if (plan.availability) Object.assign(findDraft(p, 'Availability', v.id)!.body, plan.availability)
    if (plan.packageVersion) {
      const pkg: PackageRecord = {
        id: plan.packageId ?? stableGuid(id, 'package', plan.planId, plan.packageVersion),
        resourceType: 'AzureApplicationPackage',
        fileName: `${o.offerId}-${plan.planId}-${plan.packageVersion}.zip`,
        blobName: BigInt(
          '0x' + stableGuid(id, 'blob', plan.planId).replace(/-/g, '').slice(0, 15)
        ).toString(),
        etag: stableEtag(id, 'package', plan.planId),
        state: 'Processed',
        fileSize: 4096,
        outcome: { state: 'Processed', validationItems: [], fileSize: 4096 }
      }
      p.packages.set(pkg.id.toLowerCase(), pkg)
      state.blobs.set(pkg.blobName, { productId: id, packageId: pkg.id })
      const cfg = findDraft(p, 'Package', v.id)!
      Object.assign(cfg.body, plan.packageConfiguration ?? {}, {
        version: plan.packageVersion,
        packageReferences: [{ type: 'AzureApplicationPackage', value: pkg.id }]
      })
    }
  }

  for (const s of o.submissions ?? []) {
    const sid =
      s.id ??
      BigInt(
        '0x' + stableGuid(id, 'submission', String(p.releaseCounter)).replace(/-/g, '').slice(0, 15)
      ).toString()
    const published = s.state === 'Published'
    const snapshot: Record<string, { version: string; packageIds: string[] }> = {}
    const variantResources = [...p.variants.values()].map(v => ({
      variantID: v.id,
      resources: (['Availability', 'Package', 'Listing'] as const).map(m => ({
        type: m,
        value: findDraft(p, m, v.id)!.instanceId
      }))
    }))
    for (const v of p.variants.values()) {
      const cfg = findDraft(p, 'Package', v.id)!
      const refs = (cfg.body.packageReferences as Array<{ value: string }> | undefined) ?? []
      snapshot[v.id] = { version: String(cfg.body.version ?? ''), packageIds: refs.map(r => r.value) }
      if (published && s.substate === 'InStore' && snapshot[v.id]!.version) v.live = { ...snapshot[v.id]! }
    }
    p.submissions.set(sid, {
      id: sid,
      productId: id,
      releaseNumber: ++p.releaseCounter,
      etag: stableEtag(id, 'submission', sid),
      createdAt: state.clock.now() - 24 * 3600 * 1000,
      targets: [{ type: 'Scope', value: published ? 'Live' : 'Preview' }],
      resources: (['Availability', 'Property', 'Package', 'Listing', 'ResellerConfiguration'] as const).map(
        m => ({
          type: m,
          value: findDraft(p, m)!.instanceId
        })
      ),
      variantResources,
      publishOption: { isManualPublish: true, isAutoPromote: false },
      validations: [],
      snapshot,
      fixed: { state: s.state, substate: s.substate },
      wentLive: published
    })
  }
}

export function buildState(seed: Seed, config: StateConfig): EmulatorState {
  const state = new EmulatorState(config)
  state.tenants = structuredClone(seed.identities?.tenants ?? [])
  for (const o of seed.offers ?? []) buildOffer(state, o)
  const n = seed.generate?.offers ?? 0
  const width = Math.max(5, String(n).length)
  for (let i = 1; i <= n; i++) {
    const offerId = `filler-offer-${String(i).padStart(width, '0')}`
    const p = newProduct({
      id: stableGuid('filler', String(i)),
      resourceType: 'AzureApplication',
      name: `Filler Offer ${i}`,
      offerId,
      filler: true
    })
    state.addProduct(p)
  }
  return state
}
