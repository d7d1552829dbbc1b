// What is cleaned from text before it leaves the action (src/http/redact.ts).
import { describe, expect, it } from '@jest/globals'
import { redact, registerSecret } from '../../src/http/redact.js'

describe('redact', () => {
  it('removes a registered secret wherever it occurs, and leaves short values alone (they would blank ordinary words)', () => {
    registerSecret('s3cr3t-value-0123')
    registerSecret('dev')
    registerSecret('')
    registerSecret(undefined)
    expect(redact('client s3cr3t-value-0123 and again s3cr3t-value-0123; dev build')).toBe(
      'client *** and again ***; dev build'
    )
  })

  it('removes SAS signatures, bearer tokens and credential fields that were never registered', () => {
    expect(redact('https://a.blob.core.windows.net/c/p?sv=1&sig=abc%2Bdef&se=2')).toBe(
      'https://a.blob.core.windows.net/c/p?sv=1&sig=REDACTED&se=2'
    )
    expect(redact('Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig-_x')).toBe('Authorization: Bearer ***')
    expect(redact('grant_type=client_credentials&client_secret=abc123&scope=x')).toBe(
      'grant_type=client_credentials&client_secret=***&scope=x'
    )
    expect(redact('{"access_token": "eyJ0", "expires_in": 3599}')).toBe(
      '{"access_token": "***", "expires_in": 3599}'
    )
  })
})
