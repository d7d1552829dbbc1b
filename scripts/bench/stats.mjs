// Small statistics and request-log analysis for the bench.

export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Request-log entries as intervals [start, end] in epoch ms (1 ms resolution). */
export function intervals(entries) {
  return entries.map(e => {
    const start = Date.parse(e.time)
    return { ...e, start, end: start + e.durationMs }
  })
}

/**
 * The critical path of a request log: requests whose time ranges overlap ran in parallel; the
 * critical path is the longest chain of requests each of which started after the previous one
 * ended (longest path in the "finished-before" order, by dynamic programming over start times).
 * With a latency L injected on every response, no run can take less than chain × L.
 */
export function criticalPath(entries) {
  const items = intervals(entries).sort((a, b) => a.start - b.start || a.end - b.end)
  const best = new Array(items.length).fill(1)
  const prev = new Array(items.length).fill(-1)
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < i; j++) {
      // `<=`: the log has 1 ms timestamps; a request that started in the millisecond another ended
      // was sent after its answer (parallel requests start together, they never end before the other starts).
      if (items[j].end <= items[i].start && best[j] + 1 > best[i]) {
        best[i] = best[j] + 1
        prev[i] = j
      }
    }
  }
  let last = -1
  for (let i = 0; i < items.length; i++) if (last < 0 || best[i] > best[last]) last = i
  const chain = []
  for (let i = last; i >= 0; i = prev[i]) chain.unshift(items[i])
  let maxConcurrency = 0
  for (const a of items)
    maxConcurrency = Math.max(maxConcurrency, items.filter(b => b.start <= a.start && b.end > a.start).length)
  return { length: chain.length, chain, maxConcurrency }
}

/**
 * "Waves": groups of requests that were in flight together (a new wave starts when a request
 * starts after every request of the current wave has ended). Used to name parallel groups.
 */
export function waves(entries) {
  const items = intervals(entries).sort((a, b) => a.start - b.start)
  const out = []
  let current
  for (const item of items) {
    if (!current || item.start > current.end) {
      current = { start: item.start, end: item.end, requests: [] }
      out.push(current)
    }
    current.requests.push(item)
    current.end = Math.max(current.end, item.end)
  }
  return out
}

export function fmt(n, digits = 2) {
  if (n === undefined || n === null || Number.isNaN(n)) return '—'
  return Number(n).toFixed(digits)
}
