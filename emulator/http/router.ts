// Minimal router: patterns like `/products/:productId/branches/getByModule(module=:module)`,
// matched case-insensitively (the v1 service treats path segments case-insensitively, e.g.
// `packageConfigurations` vs `packageconfigurations`). Parameters never contain `/`, `(` or `)`.
import type { IncomingMessage } from 'node:http'
import type { Reply } from './reply.js'

export interface RequestContext {
  req: IncomingMessage
  method: string
  /** decoded path, without query */
  path: string
  /** raw path + query as received (for logging / fault matching) */
  rawUrl: string
  query: URLSearchParams
  params: Record<string, string>
  /** origin the client used, e.g. http://127.0.0.1:4010 */
  origin: string
  /** reads the whole body as UTF-8 (bounded); JSON helpers live in ingestion/common.ts */
  text(): Promise<string>
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply

interface Route {
  method: string
  re: RegExp
  handler: Handler
}

export interface RouteMatch {
  handler?: Handler
  params: Record<string, string>
  /** path matched but not with this method */
  methodNotAllowed: boolean
}

function compile(pattern: string): RegExp {
  let src = ''
  const re = /:([A-Za-z_][A-Za-z0-9_]*)|([^:]+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(pattern)) !== null) {
    if (m[1]) src += `(?<${m[1]}>[^/()]+)`
    else src += (m[2] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${src}/?$`, 'i')
}

export class Router {
  private readonly routes: Route[] = []

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), re: compile(pattern), handler })
    return this
  }

  get(p: string, h: Handler): this {
    return this.add('GET', p, h)
  }
  post(p: string, h: Handler): this {
    return this.add('POST', p, h)
  }
  put(p: string, h: Handler): this {
    return this.add('PUT', p, h)
  }
  delete(p: string, h: Handler): this {
    return this.add('DELETE', p, h)
  }

  match(method: string, path: string): RouteMatch {
    let methodNotAllowed = false
    for (const r of this.routes) {
      const m = r.re.exec(path)
      if (!m) continue
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        methodNotAllowed = true
        continue
      }
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = v
      return { handler: r.handler, params, methodNotAllowed: false }
    }
    return { params: {}, methodNotAllowed }
  }
}
