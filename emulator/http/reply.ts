// Handlers return a Reply instead of writing to the socket: the server pipeline then decides
// whether to send it, delay it or drop it (fault 'drop-response' = the request was processed but
// the client never sees the answer).
import type { Readable } from 'node:stream'

export interface Reply {
  status: number
  headers: Record<string, string>
  body?: string | Buffer | Readable
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value)
  }
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-length': '0', ...headers } }
}
