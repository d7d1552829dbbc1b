// JWT-shaped access tokens signed with an emulator key (HS256). Real Entra tokens are RS256; the
// client must treat them as opaque anyway. The emulator verifies its own signature on every API call.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export interface AccessTokenClaims {
  aud: string
  iss: string
  iat: number
  nbf: number
  exp: number
  appid: string
  tid: string
  [k: string]: unknown
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url')

export class TokenSigner {
  private readonly key = randomBytes(32)

  sign(claims: AccessTokenClaims): string {
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'partner-center-emulator' }))
    const payload = b64url(JSON.stringify(claims))
    const sig = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${sig}`
  }

  /** Returns the claims when the signature is ours, else undefined. Expiry is checked by the caller. */
  verify(token: string): AccessTokenClaims | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const [h, p, s] = parts as [string, string, string]
    const expected = createHmac('sha256', this.key).update(`${h}.${p}`).digest()
    const given = Buffer.from(s, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as AccessTokenClaims
    } catch {
      return undefined
    }
  }
}
