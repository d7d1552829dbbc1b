// Request log behind GET /_emulator/requests. Headers are never recorded (so no Authorization
// values), and secret-bearing query values (SAS sig, client_secret, client_assertion) are redacted.
import type { FaultAction, RequestLogEntry } from './types.js'

const SECRET_PARAMS = /([?&](?:sig|client_secret|client_assertion|access_token|code)=)[^&#]*/gi

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1REDACTED')
}

export class RequestLog {
  private entries: RequestLogEntry[] = []
  private seq = 0
  /** keep memory bounded on long runs */
  constructor(private readonly max = 10000) {}

  add(e: {
    method: string
    url: string
    status: number
    startedAt: number
    fault?: FaultAction
  }): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      time: new Date(e.startedAt).toISOString(),
      method: e.method,
      path: redactUrl(e.url),
      status: e.status,
      durationMs: Date.now() - e.startedAt,
      write: !['GET', 'HEAD', 'OPTIONS'].includes(e.method)
    }
    if (e.fault) entry.fault = e.fault
    this.entries.push(entry)
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max)
    return entry
  }

  list(): RequestLogEntry[] {
    return this.entries.map(e => ({ ...e }))
  }

  clear(): void {
    this.entries = []
    this.seq = 0
  }
}
