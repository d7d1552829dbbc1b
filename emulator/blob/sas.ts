// Service SAS of the emulator's blob endpoint. The URL shape follows the recorded ones
// (`?sv=2018-03-28&sr=b&sig=…&se=<+24h>&sp=rwl`); the signature is an HMAC over the fields that
// matter, with a key private to this emulator run.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SAS_VERSION = '2018-03-28'

/** The path of a Front Door upload URL: `/<token>/pkgfile-<name>` (docs/partner-center-api.md §7.5). */
export const FRONT_DOOR_PREFIX = 'pkgfile-'

export class SasSigner {
  private readonly key = randomBytes(32)
  /** Front Door routing token → container, one token per container for this emulator run. */
  private readonly frontDoorTokens = new Map<string, string>()

  private signature(container: string, name: string, sp: string, se: string, sv: string, sr: string): string {
    return createHmac('sha256', this.key)
      .update([sp, se, `/blob/${container}/${name}`, sv, sr].join('\n'))
      .digest('base64')
  }

  /** Absolute SAS URL. `expiresAt` is wall-clock ms (SAS expiry is compared with real time). */
  url(origin: string, container: string, name: string, sp: string, expiresAt: number): string {
    const se = new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z')
    const sig = this.signature(container, name, sp, se, SAS_VERSION, 'b')
    const q = new URLSearchParams({ sv: SAS_VERSION, sr: 'b', sig, se, sp })
    return `${origin}/blob/${container}/${name}?${q.toString()}`
  }

  /**
   * The same blob's SAS URL in the Azure Front Door shape the real service moved to: another host
   * (`localhost` for `127.0.0.1` and the other way round, so the origin differs while staying on
   * loopback) and a path `/<token>/pkgfile-<name>` that says nothing of account or container.
   */
  frontDoorUrl(origin: string, container: string, name: string, sp: string, expiresAt: number): string {
    const blobUrl = new URL(this.url(origin, container, name, sp, expiresAt))
    let token = [...this.frontDoorTokens].find(([, c]) => c === container)?.[0]
    if (!token) {
      token = randomBytes(12).toString('hex')
      this.frontDoorTokens.set(token, container)
    }
    const host = blobUrl.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
    return `${blobUrl.protocol}//${host}:${blobUrl.port}/${token}/${FRONT_DOOR_PREFIX}${name}${blobUrl.search}`
  }

  /** The container a Front Door token stands for, if this emulator handed it out. */
  frontDoorContainer(token: string): string | undefined {
    return this.frontDoorTokens.get(token)
  }

  /** Checks signature and expiry; returns the granted permissions, or a reason for 403. */
  check(
    container: string,
    name: string,
    q: URLSearchParams
  ): { ok: true; sp: string } | { ok: false; reason: 'signature' | 'expired' } {
    const sv = q.get('sv') ?? ''
    const sr = q.get('sr') ?? ''
    const sig = q.get('sig') ?? ''
    const se = q.get('se') ?? ''
    const sp = q.get('sp') ?? ''
    const expected = Buffer.from(this.signature(container, name, sp, se, sv, sr), 'base64')
    const given = Buffer.from(sig, 'base64')
    if (!sig || given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'signature' }
    const exp = Date.parse(se)
    if (!Number.isFinite(exp) || exp <= Date.now()) return { ok: false, reason: 'expired' }
    return { ok: true, sp }
  }
}
