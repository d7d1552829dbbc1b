import {
  createHash,
  createPrivateKey,
  constants,
  randomUUID,
  sign,
  X509Certificate,
  type KeyObject
} from 'node:crypto'
import { InputError } from '../errors.js'

/**
 * Certificate credentials (docs/partner-center-api.md §3.3): a JWT client assertion signed with the app's
 * certificate key, `alg: PS256` with the `x5t#S256` thumbprint as Entra asks today.
 */

export interface LoadedCertificate {
  key: KeyObject
  certificate: X509Certificate
  /** base64url SHA-256 of the certificate DER (the assertion's `x5t#S256`). */
  thumbprintSha256: string
  /** Upper-case hex SHA-1 of the DER: the "Thumbprint" the Entra portal lists under Certificates. */
  thumbprintSha1Hex: string
}

const INPUT = 'client-certificate'

/** Reads the PEM, checks key, certificate, their match and the validity period. */
export function loadCertificate(pem: string, now = new Date()): LoadedCertificate {
  const keyBlock = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(pem)?.[0]
  if (!keyBlock) throw new InputError(INPUT, 'holds no PEM private key block.')
  if (/ENCRYPTED PRIVATE KEY/.test(keyBlock)) {
    throw new InputError(
      INPUT,
      'the private key is encrypted; give it unencrypted (keep the PEM in a secret).'
    )
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: keyBlock, format: 'pem' })
  } catch (error) {
    throw new InputError(INPUT, `the private key cannot be read (${(error as Error).message}).`)
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') {
    throw new InputError(
      INPUT,
      `the key is ${key.asymmetricKeyType}; Microsoft Entra certificate credentials need an RSA key.`
    )
  }
  // The first certificate is the app's; a chain may follow.
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  if (!certBlock) throw new InputError(INPUT, 'holds no PEM certificate block.')
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(certBlock)
  } catch (error) {
    throw new InputError(INPUT, `the certificate cannot be read (${(error as Error).message}).`)
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new InputError(
      INPUT,
      `the private key does not belong to the certificate (${certificate.subject.replace(/\n/g, ', ')}).`
    )
  }
  const notAfter = new Date(certificate.validTo)
  const notBefore = new Date(certificate.validFrom)
  if (notAfter.getTime() < now.getTime()) {
    throw new InputError(
      INPUT,
      `the certificate expired on ${notAfter.toISOString()}.`,
      'Create a new certificate and upload it to the app registration.'
    )
  }
  if (notBefore.getTime() > now.getTime()) {
    throw new InputError(INPUT, `the certificate is not valid before ${notBefore.toISOString()}.`)
  }
  return {
    key,
    certificate,
    thumbprintSha256: createHash('sha256').update(certificate.raw).digest('base64url'),
    thumbprintSha1Hex: createHash('sha1').update(certificate.raw).digest('hex').toUpperCase()
  }
}

/** A client assertion for one token request; `audience` is the token endpoint it is sent to. */
export function createClientAssertion(
  cert: LoadedCertificate,
  clientId: string,
  audience: string,
  nowMs = Date.now()
): string {
  const now = Math.floor(nowMs / 1000)
  const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': cert.thumbprintSha256 }
  const claims = {
    aud: audience,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600
  }
  const signingInput = `${base64url(header)}.${base64url(claims)}`
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: cert.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32
  })
  return `${signingInput}.${signature.toString('base64url')}`
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
