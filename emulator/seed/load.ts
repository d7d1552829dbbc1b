// Seed files: JSON or YAML (by extension; YAML parser also reads JSON). Checked for the fields the
// builder relies on so a typo fails at start-up with the path of the bad field.
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import type { Seed } from '../types.js'
import { defaultSeed } from './default.js'

export function loadSeedFile(path: string): Seed {
  const text = readFileSync(path, 'utf8')
  const data: unknown = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text)
  return validateSeed(data, path)
}

export function resolveSeed(seed: Seed | string | undefined): Seed {
  if (seed === undefined) return defaultSeed()
  if (typeof seed === 'string') return loadSeedFile(seed)
  return validateSeed(structuredClone(seed), 'seed')
}

function fail(where: string, msg: string): never {
  throw new Error(`invalid seed (${where}): ${msg}`)
}

export function validateSeed(data: unknown, where: string): Seed {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail(where, 'expected an object')
  const seed = data as Seed
  for (const [ti, t] of (seed.identities?.tenants ?? []).entries()) {
    const at = `${where}: identities.tenants[${ti}]`
    if (typeof t.id !== 'string') fail(at, 'id (tenant GUID) is required')
    t.domains ??= []
    if (!Array.isArray(t.apps)) fail(at, 'apps[] is required')
    for (const [ai, a] of t.apps.entries()) {
      if (typeof a.clientId !== 'string') fail(`${at}.apps[${ai}]`, 'clientId is required')
      a.displayName ??= a.clientId
      if (a.partnerCenterRole === undefined) a.partnerCenterRole = null
      if (![null, 'Manager', 'Developer'].includes(a.partnerCenterRole))
        fail(`${at}.apps[${ai}]`, "partnerCenterRole must be 'Manager', 'Developer' or null")
      a.secrets ??= []
      for (const [si, s] of a.secrets.entries()) {
        if (typeof s.value !== 'string' || typeof s.id !== 'string')
          fail(`${at}.apps[${ai}].secrets[${si}]`, 'id and value are required')
      }
    }
  }
  for (const [oi, o] of (seed.offers ?? []).entries()) {
    const at = `${where}: offers[${oi}]`
    if (typeof o.offerId !== 'string' || typeof o.resourceType !== 'string' || typeof o.name !== 'string') {
      fail(at, 'offerId, resourceType and name are required')
    }
    for (const [pi, p] of (o.plans ?? []).entries()) {
      if (typeof p.planId !== 'string' || typeof p.name !== 'string')
        fail(`${at}.plans[${pi}]`, 'planId and name are required')
      if (p.subType && !['solution-template', 'managed-application'].includes(p.subType)) {
        fail(`${at}.plans[${pi}]`, "subType must be 'solution-template' or 'managed-application'")
      }
    }
    if (o.failNextSubmission && !['validation', 'certification'].includes(o.failNextSubmission)) {
      fail(at, "failNextSubmission must be 'validation' or 'certification'")
    }
  }
  const n = seed.generate?.offers
  if (n !== undefined && !(Number.isInteger(n) && n >= 0))
    fail(`${where}: generate.offers`, 'must be a non-negative integer')
  return seed
}
