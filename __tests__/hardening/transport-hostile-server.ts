import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What a hostile server saw of one request: enough to tell whether a credential reached it. */
export interface SeenRequest {
  method: string
  url: string
  authorization?: string
  body: string
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  port: number
  seen: SeenRequest[]
  close(): Promise<void>
}

export const TENANT = '11111111-2222-3333-4444-555555555555'
export const CLIENT = '66666666-7777-8888-9999-000000000000'
export const SECRET = 'hostile-test-client-secret-0123456789'
export const TOKEN = 'hostile-test-access-token-abcdefghijklmnop'

/**
 * A local HTTP server (127.0.0.1 only) that answers as a test tells it to and records every request,
 * its Authorization header and body: the other end of a hardening test.
 */
export async function hostileServer(handler: HostileHandler): Promise<HostileServer> {
  const sockets = new Set<Socket>()
  const seen: SeenRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body
      })
      void Promise.resolve(handler(req, res, body)).catch(() => res.destroy())
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Answers a client-credentials token request; true when it did. */
export function answerToken(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST' || !req.url?.endsWith('/oauth2/v2.0/token')) return false
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: TOKEN }))
  return true
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * Inputs for `list` against a hostile server playing both Entra and Partner Center. One offer type,
 * so that the listing is one chain of pages (without it, `list` asks for every type in parallel).
 */
export function hostileInputs(
  server: HostileServer,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    command: 'list',
    'offer-type': 'AzureApplication',
    'tenant-id': TENANT,
    'client-id': CLIENT,
    'client-secret': SECRET,
    'authority-host': server.origin,
    'ingestion-api-url': `${server.origin}/v1.0/ingestion`,
    'product-ingestion-api-url': `${server.origin}/rp/product-ingestion`,
    ...extra
  }
}

/** Requests that carried a credential: a bearer token or the client secret. */
export function credentialsSeen(server: HostileServer): SeenRequest[] {
  return server.seen.filter(r => r.authorization !== undefined || r.body.includes(SECRET))
}
