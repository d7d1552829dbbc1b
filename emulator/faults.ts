// Fault injection: rules matched on method + path/query, with `after` (let N matching requests
// through) and `times` (fire N times; 0 = forever). Every rule counts every request it matches;
// the first rule that is armed fires. Named profiles bundle the failure modes a publishing client
// must survive (see emulator/README.md).
import type { FaultRule } from './types.js'

export interface FaultProfile {
  rules: FaultRule[]
  latencyMs?: number
}

const API = '^/v1\\.0/ingestion/'

export const FAULT_PROFILES: Record<string, FaultProfile> = {
  none: { rules: [] },
  // 429 storms with Retry-After: 1 at the start of the run and again later
  throttle: {
    rules: [
      { path: API, action: 'status', status: 429, retryAfter: 1, times: 3 },
      { path: API, action: 'status', status: 429, retryAfter: 1, after: 8, times: 3 },
      { path: API, action: 'status', status: 429, retryAfter: 1, after: 20, times: 2 }
    ]
  },
  // bursts of 500/502/503/504 on reads and writes (never processed: retrying is safe)
  flaky: {
    rules: [
      { method: 'GET', path: API, action: 'status', status: 500, after: 1, times: 1 },
      { method: 'GET', path: API, action: 'status', status: 503, retryAfter: 1, after: 3, times: 2 },
      { method: 'PUT', path: API, action: 'status', status: 502, times: 1 },
      { method: 'POST', path: API, action: 'status', status: 503, times: 1 },
      { method: 'GET', path: API, action: 'status', status: 504, after: 8, times: 1 },
      { method: 'PUT', path: '^/blob/', action: 'status', status: 500, times: 1 },
      { method: 'POST', path: '/oauth2/', action: 'status', status: 503, times: 1 }
    ]
  },
  // connections reset without a response (reads, a blob upload, the token endpoint)
  resets: {
    rules: [
      { method: 'GET', path: API, action: 'reset', after: 1, times: 1 },
      { method: 'PUT', path: '^/blob/', action: 'reset', times: 1 },
      { method: 'GET', path: API, action: 'reset', after: 6, times: 1 },
      { method: 'POST', path: '/oauth2/', action: 'reset', times: 1 }
    ]
  },
  // everything 200 ms slower, and one read held for 20 s to trip client socket timeouts
  slow: {
    latencyMs: 200,
    rules: [{ method: 'GET', path: API, action: 'delay', delayMs: 20000, after: 2, times: 1 }]
  },
  // the create happens but its response is lost: clients must look before re-POSTing
  'lost-create': {
    rules: [
      { method: 'POST', path: `${API}products/[^/]+/packages$`, action: 'drop-response', times: 1 },
      { method: 'POST', path: `${API}products/[^/]+/submissions$`, action: 'drop-response', times: 1 }
    ]
  },
  // someone else edited the technical configuration between read and write
  'etag-conflict': {
    rules: [
      {
        method: 'PUT',
        path: `${API}products/[^/]+/packageconfigurations/`,
        action: 'status',
        status: 412,
        times: 1
      }
    ]
  },
  // another submission is in progress when the client submits
  'submission-conflict': {
    rules: [
      { method: 'POST', path: `${API}products/[^/]+/submissions$`, action: 'status', status: 409, times: 1 }
    ]
  }
}

interface ArmedRule {
  rule: FaultRule
  re?: RegExp
  seen: number
  fired: number
}

export class FaultInjector {
  private rules: ArmedRule[] = []
  latencyMs = 0

  constructor(rules: FaultRule[] | string | undefined, latencyMs = 0) {
    this.set(rules ?? [], latencyMs)
  }

  /** Replaces the rules (counters restart). A profile name may also set latency. */
  set(rules: FaultRule[] | string, latencyMs?: number): void {
    let list: FaultRule[]
    let profileLatency: number | undefined
    if (typeof rules === 'string') {
      const profile = FAULT_PROFILES[rules]
      if (!profile)
        throw new Error(`unknown fault profile '${rules}' (known: ${Object.keys(FAULT_PROFILES).join(', ')})`)
      list = profile.rules
      profileLatency = profile.latencyMs
    } else {
      list = rules
    }
    for (const r of list) validateRule(r)
    this.rules = list.map(rule => ({
      rule: { ...rule },
      re: rule.path ? new RegExp(rule.path, 'i') : undefined,
      seen: 0,
      fired: 0
    }))
    this.latencyMs = latencyMs ?? profileLatency ?? this.latencyMs
  }

  /** Returns the rule to apply to this request, if any. */
  match(method: string, pathAndQuery: string): FaultRule | undefined {
    let chosen: FaultRule | undefined
    for (const a of this.rules) {
      if (a.rule.method && a.rule.method.toUpperCase() !== method) continue
      if (a.re && !a.re.test(pathAndQuery)) continue
      a.seen++
      if (chosen) continue
      const times = a.rule.times ?? 1
      if (a.seen <= (a.rule.after ?? 0)) continue
      if (times !== 0 && a.fired >= times) continue
      a.fired++
      chosen = a.rule
    }
    return chosen
  }

  describe(): { latencyMs: number; rules: Array<FaultRule & { seen: number; fired: number }> } {
    return {
      latencyMs: this.latencyMs,
      rules: this.rules.map(a => ({ ...a.rule, seen: a.seen, fired: a.fired }))
    }
  }
}

export function validateRule(r: FaultRule): void {
  if (!['status', 'reset', 'delay', 'drop-response'].includes(r.action))
    throw new Error(`invalid fault action '${String(r.action)}'`)
  if (r.action === 'status' && !(typeof r.status === 'number' && r.status >= 100 && r.status <= 599)) {
    throw new Error("fault action 'status' needs a status between 100 and 599")
  }
  if (r.path) new RegExp(r.path)
}
