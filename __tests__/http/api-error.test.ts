import { describe, expect, it } from '@jest/globals'
import { parseApiError, describeApiError } from '../../src/http/api-error.js'
import { loadRecording } from '../helpers/recordings.js'

describe('parseApiError', () => {
  it('reads the recorded v1 ICH50400 string: code, reason phrase, correlation id and field messages', () => {
    const [interaction] = loadRecording('test_marketplace_offer_setup_test_drive_on_vm_type').filter(
      i => i.status === 400
    )
    const parsed = parseApiError(interaction.body)
    expect(parsed.code).toBe('ICH50400')
    expect(parsed.message).toBe('Request validation failed.')
    expect(parsed.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(Object.keys(parsed.fields).length).toBeGreaterThan(0)
    for (const messages of Object.values(parsed.fields)) expect(messages.length).toBeGreaterThan(0)
    expect(describeApiError(parsed)).toContain('ICH50400: Request validation failed.')
  })

  it('reads the 2026 RestClientException variant wrapping ProblemDetails', () => {
    const text = JSON.stringify(
      'Microsoft.Ingestion.Shared.WebApi.Client.ErrorHandler.RestClientException: Product request failed, API=GetProduct, HttpStatusCode=BadRequest, ResponseContent={"errors":{"x-ms-publisherId":["PublisherId is a required header, and must be a positive number."]},"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"traceId":"00-abc-def-00"}'
    )
    const parsed = parseApiError(text)
    expect(parsed.message).toBe('One or more validation errors occurred.')
    expect(parsed.fields['x-ms-publisherId']).toEqual([
      'PublisherId is a required header, and must be a positive number.'
    ])
    expect(parsed.correlationId).toBe('00-abc-def-00')
  })

  it('reads Product Ingestion errors with nested details', () => {
    const parsed = parseApiError(
      JSON.stringify({
        error: {
          code: 'badRequest',
          message: 'Validation failed',
          details: [
            {
              code: 'schemaValidationError',
              message: 'alias is required',
              resourceId: 'product/1',
              details: [{ code: 'invalidId', message: 'bad id' }]
            }
          ]
        }
      })
    )
    expect(parsed.code).toBe('badRequest')
    expect(parsed.details).toEqual([
      { code: 'schemaValidationError', message: 'alias is required', resourceId: 'product/1' },
      { code: 'invalidId', message: 'bad id', resourceId: undefined }
    ])
    expect(describeApiError(parsed)).toContain('schemaValidationError (product/1): alias is required')
  })

  it('reads Entra errors with their AADSTS codes and keeps only the first line of the description', () => {
    const parsed = parseApiError(
      JSON.stringify({
        error: 'invalid_client',
        error_description:
          'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: c-1\r\nTimestamp: 2026',
        error_codes: [7000215],
        correlation_id: 'c-1'
      })
    )
    expect(parsed).toMatchObject({
      code: 'invalid_client',
      message: 'AADSTS7000215: Invalid client secret provided.',
      entraCodes: [7000215],
      correlationId: 'c-1'
    })
  })

  it('reads Azure Storage XML errors', () => {
    const parsed = parseApiError(
      '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.\nRequestId:1</Message></Error>'
    )
    expect(parsed).toMatchObject({ code: 'AuthenticationFailed', message: 'Signature did not match.' })
  })

  it('never throws on empty or odd bodies', () => {
    expect(parseApiError('')).toEqual({ fields: {}, details: [] })
    expect(parseApiError('42').message).toBeUndefined()
    expect(parseApiError('<html>gateway</html>').message).toBe('<html>gateway</html>')
  })
})
