import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import nock from 'nock'
import { parse } from 'yaml'

/**
 * Replays real recorded Partner Center traffic through nock, so that the client is tested against what
 * the service sent. The recordings (vcrpy YAML from the Azure CLI extension's tests, trimmed to the
 * interactions the tests use) are in __tests__/fixtures/recordings; its README says where each came from.
 */

export const RECORDINGS_DIR = fileURLToPath(new URL('../fixtures/recordings/', import.meta.url))

export interface Interaction {
  method: string
  url: URL
  status: number
  headers: Record<string, string>
  body: string
}

export function loadRecording(name: string): Interaction[] {
  const doc = parse(readFileSync(join(RECORDINGS_DIR, `${name}.yaml`), 'utf8')) as {
    interactions: Array<{
      request: { method: string; uri: string }
      response: { status: { code: number }; headers: Record<string, string[]>; body: { string: string } }
    }>
  }
  return doc.interactions.map(i => ({
    method: i.request.method,
    url: new URL(i.request.uri),
    status: i.response.status.code,
    headers: Object.fromEntries(Object.entries(i.response.headers ?? {}).map(([k, v]) => [k, v[0]])),
    body: i.response.body?.string ?? ''
  }))
}

/** A request key independent of how the query was percent-encoded. */
export function requestKey(method: string, url: URL): string {
  const params = [...url.searchParams.entries()].map(([k, v]) => `${k}=${v}`).sort()
  return `${method} ${url.pathname.toLowerCase()}?${params.join('&')}`
}

/**
 * Serves the recorded interactions for each request key in recorded order (the last one repeats).
 * `aliases` maps a request we send to the recorded one that answers it.
 */
export function replay(
  interactions: Interaction[],
  aliases: Record<string, string> = {}
): { unmatched: string[]; served: string[] } {
  const byKey = new Map<string, Interaction[]>()
  for (const interaction of interactions) {
    const key = requestKey(interaction.method, interaction.url)
    byKey.set(key, [...(byKey.get(key) ?? []), interaction])
  }
  const served: string[] = []
  const unmatched: string[] = []
  const origins = new Set(interactions.map(i => i.url.origin))
  const methods = new Set(interactions.map(i => i.method))
  for (const origin of origins)
    for (const method of methods) {
      nock(origin)
        .persist()
        .intercept(() => true, method)
        .reply(function (uri) {
          const key = requestKey(this.req.method, new URL(uri, origin))
          const queue = byKey.get(aliases[key] ?? key)
          const hit = queue && queue.length > 1 ? queue.shift() : queue?.[0]
          if (!hit) {
            unmatched.push(key)
            return [599, `no recording for ${key}`]
          }
          served.push(key)
          return [
            hit.status,
            hit.body,
            {
              'content-type': hit.headers['content-type'] ?? 'application/json',
              'request-id': hit.headers['request-id'] ?? ''
            }
          ]
        })
    }
  return { unmatched, served }
}
