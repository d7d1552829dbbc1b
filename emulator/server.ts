// HTTP front of the emulator: inspection endpoints (/_emulator/*, never faulted or delayed), then
// for every other request: fault injection, routing, latency, request log. Handlers return Reply
// objects, which is what makes 'drop-response' possible (process, then destroy the socket).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { Router, type RequestContext } from './http/router.js'
import { jsonReply, type Reply } from './http/reply.js'
import { FaultInjector } from './faults.js'
import { RequestLog } from './requestLog.js'
import { ichError } from './ingestion/errors.js'
import { newGuid } from './ids.js'
import { INGESTION_PREFIX } from './ingestion/common.js'
import type { FaultRule } from './types.js'

const MAX_TEXT_BODY = 16 * 1024 * 1024

export interface ServerCore {
  /** current router; rebuilt on reset so routes see the fresh state */
  router(): Router
  faults: FaultInjector
  log: RequestLog
  quiet: boolean
  inspect: {
    state(): unknown
    reset(): void
    advanceClock(ms: number): void
    /** GET (undefined) or PUT the behaviour switches that are on; answers what is on and what is known */
    behaviours(on?: string[]): unknown
    /** GET (undefined) or PUT the GitHub OIDC stand-in's settings */
    githubOidc?(settings?: unknown): unknown
  }
}

function makeContext(req: IncomingMessage, origin: string): RequestContext {
  const rawUrl = req.url ?? '/'
  const q = rawUrl.indexOf('?')
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl
  let path: string
  try {
    path = decodeURIComponent(rawPath)
  } catch {
    path = rawPath
  }
  let cached: Promise<string> | undefined
  return {
    req,
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    rawUrl: q >= 0 ? `${path}?${rawUrl.slice(q + 1)}` : path,
    query: new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : ''),
    params: {},
    origin,
    text() {
      cached ??= new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = []
        let size = 0
        req.on('data', (c: Buffer) => {
          size += c.length
          if (size > MAX_TEXT_BODY) {
            reject(new Error('request body too large'))
            req.destroy()
            return
          }
          chunks.push(c)
        })
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        req.on('error', reject)
      })
      return cached
    }
  }
}

/** A realistic body for an injected status, in the dialect of the service being faulted. */
function faultReply(rule: FaultRule, ctx: RequestContext): Reply {
  const status = rule.status ?? 500
  const headers: Record<string, string> = {}
  if (rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter)
  if (rule.body !== undefined) {
    const r = jsonReply(status, rule.body, headers)
    r.headers['request-id'] = newGuid()
    return r
  }
  if (ctx.path.startsWith('/blob/')) {
    const code =
      status === 503
        ? 'ServerBusy'
        : status === 500
          ? 'InternalError'
          : status === 429
            ? 'ServerBusy'
            : 'OperationTimedOut'
    return {
      status,
      headers: {
        ...headers,
        'content-type': 'application/xml',
        'x-ms-error-code': code,
        'x-ms-request-id': newGuid()
      },
      body: `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Injected fault.\nRequestId:${newGuid()}\nTime:${new Date().toISOString()}</Message></Error>`
    }
  }
  if (ctx.path.includes('/oauth2/')) {
    return jsonReply(
      status,
      {
        error: 'temporarily_unavailable',
        error_description: `AADSTS50196: The server is temporarily unavailable.\r\nTrace ID: ${newGuid()}\r\nCorrelation ID: ${newGuid()}\r\nTimestamp: ${new Date().toISOString()}`,
        error_codes: [50196]
      },
      headers
    )
  }
  const r = ichError(status, {}, headers)
  r.headers['request-id'] = newGuid()
  return r
}

function notFound(ctx: RequestContext, methodNotAllowed: boolean): Reply {
  if (ctx.path.toLowerCase().startsWith(INGESTION_PREFIX.toLowerCase())) {
    const r = methodNotAllowed
      ? ichError(405, { Method: [`The method ${ctx.method} is not allowed on ${ctx.path}.`] })
      : ichError(404, { Path: [`No resource at ${ctx.path}.`] })
    r.headers['request-id'] = newGuid()
    return r
  }
  return jsonReply(methodNotAllowed ? 405 : 404, {
    error: methodNotAllowed ? 'MethodNotAllowed' : 'NotFound',
    path: ctx.path
  })
}

function send(res: ServerResponse, reply: Reply, head: boolean): void {
  res.writeHead(reply.status, reply.headers)
  if (head || reply.body === undefined) {
    if (reply.body instanceof Readable) reply.body.destroy()
    res.end()
  } else if (reply.body instanceof Readable) {
    reply.body.pipe(res)
  } else {
    res.end(reply.body)
  }
}

export class EmulatorServer {
  readonly server: Server
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false

  constructor(private readonly core: ServerCore) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          send(res, jsonReply(500, { error: 'EmulatorError', message: String(err) }), false)
        else res.destroy()
      })
    })
    this.server.keepAliveTimeout = 5000
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise(resolve => {
      const t = setTimeout(() => {
        this.timers.delete(t)
        resolve()
      }, ms)
      this.timers.add(t)
    })
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => resolve())
    })
    const a = this.server.address() as AddressInfo
    const h = a.family === 'IPv6' ? `[${a.address}]` : a.address
    return `http://${h}:${a.port}`
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private origin(req: IncomingMessage): string {
    const host = req.headers.host ?? `127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return `http://${host}`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now()
    const ctx = makeContext(req, this.origin(req))
    if (ctx.path.startsWith('/_emulator/')) {
      send(res, await this.inspection(ctx), ctx.method === 'HEAD')
      return
    }

    const fault = this.core.faults.match(ctx.method, ctx.rawUrl)
    const logAndPrint = (status: number) => {
      const e = this.core.log.add({
        method: ctx.method,
        url: ctx.rawUrl,
        status,
        startedAt,
        fault: fault?.action
      })
      if (!this.core.quiet) {
        process.stdout.write(
          `${e.time} ${e.method} ${e.path} → ${status || 'reset'}${fault ? ` [fault ${fault.action}]` : ''} ${e.durationMs}ms\n`
        )
      }
    }

    if (fault?.action === 'reset') {
      req.socket.destroy()
      logAndPrint(0)
      return
    }
    if (fault?.action === 'status') {
      req.resume()
      await this.sleep(this.core.faults.latencyMs)
      const reply = faultReply(fault, ctx)
      send(res, reply, ctx.method === 'HEAD')
      logAndPrint(reply.status)
      return
    }
    if (fault?.action === 'delay') await this.sleep(fault.delayMs ?? 30000)

    const m = this.core.router().match(ctx.method, ctx.path)
    let reply: Reply
    if (!m.handler) {
      req.resume()
      reply = notFound(ctx, m.methodNotAllowed)
    } else {
      ctx.params = m.params
      reply = await m.handler(ctx)
    }

    if (fault?.action === 'drop-response') {
      // The request was fully processed (state changed); the client never gets the answer.
      if (reply.body instanceof Readable) reply.body.destroy()
      req.socket.destroy()
      logAndPrint(reply.status)
      return
    }
    await this.sleep(this.core.faults.latencyMs)
    if (res.destroyed || req.socket.destroyed) {
      if (reply.body instanceof Readable) reply.body.destroy()
      logAndPrint(reply.status)
      return
    }
    send(res, reply, ctx.method === 'HEAD')
    logAndPrint(reply.status)
  }

  private async inspection(ctx: RequestContext): Promise<Reply> {
    const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`
    try {
      switch (route) {
        case 'GET /_emulator/health':
          return jsonReply(200, { status: 'ok' })
        case 'GET /_emulator/requests':
          return jsonReply(200, { value: this.core.log.list() })
        case 'GET /_emulator/state':
          return jsonReply(200, this.core.inspect.state())
        case 'POST /_emulator/reset':
          this.core.inspect.reset()
          return jsonReply(200, { status: 'reset' })
        case 'GET /_emulator/faults':
          return jsonReply(200, this.core.faults.describe())
        case 'PUT /_emulator/faults': {
          const text = await ctx.text()
          const body = (text.trim() ? JSON.parse(text) : {}) as {
            latencyMs?: number
            rules?: FaultRule[]
            profile?: string
          }
          this.core.faults.set(
            body.profile ?? body.rules ?? [],
            body.latencyMs ?? (body.profile ? undefined : 0)
          )
          return jsonReply(200, this.core.faults.describe())
        }
        case 'GET /_emulator/behaviours':
          return jsonReply(200, this.core.inspect.behaviours())
        case 'PUT /_emulator/behaviours': {
          const text = await ctx.text()
          const body = (text.trim() ? JSON.parse(text) : {}) as { on?: string[] }
          if (!Array.isArray(body.on)) return jsonReply(400, { error: 'body must be {"on": ["name", ...]}' })
          try {
            return jsonReply(200, this.core.inspect.behaviours(body.on))
          } catch (error) {
            return jsonReply(400, { error: (error as Error).message })
          }
        }
        case 'DELETE /_emulator/faults':
          this.core.faults.set([], 0)
          return jsonReply(200, this.core.faults.describe())
        case 'POST /_emulator/clock': {
          const text = await ctx.text()
          const body = (text.trim() ? JSON.parse(text) : {}) as { advanceMs?: number }
          if (typeof body.advanceMs !== 'number' || body.advanceMs < 0)
            return jsonReply(400, { error: 'advanceMs (>= 0) is required' })
          this.core.inspect.advanceClock(body.advanceMs)
          return jsonReply(200, { status: 'advanced', advanceMs: body.advanceMs })
        }
        case 'GET /_emulator/github-oidc':
        case 'PUT /_emulator/github-oidc': {
          if (!this.core.inspect.githubOidc) return jsonReply(404, { error: 'NotFound', path: ctx.path })
          if (ctx.method === 'GET') return jsonReply(200, this.core.inspect.githubOidc())
          const text = await ctx.text()
          return jsonReply(200, this.core.inspect.githubOidc(text.trim() ? JSON.parse(text) : {}))
        }
        default:
          return jsonReply(404, { error: 'NotFound', path: ctx.path })
      }
    } catch (e) {
      return jsonReply(400, { error: 'BadRequest', message: (e as Error).message })
    }
  }
}
