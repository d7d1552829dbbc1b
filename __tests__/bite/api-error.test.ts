// Error bodies a service may send that fit none of the shapes we know well: the user gets the service's
// words, never a TypeError from our parser in their place.
import { describe, expect, it } from '@jest/globals'
import { describeApiError, parseApiError } from '../../src/http/api-error.js'

describe('error bodies with an empty error field', () => {
  it('{"error": null} with ProblemDetails fields reads the title and the field errors', () => {
    const parsed = parseApiError(
      JSON.stringify({
        error: null,
        title: 'One or more validation errors occurred.',
        errors: { Version: ['Too low.'] }
      })
    )
    expect(describeApiError(parsed)).toBe('One or more validation errors occurred.; Version: Too low.')
  })

  it('{"error": null, "message", "code"} reads the message and the code', () => {
    const parsed = parseApiError(
      JSON.stringify({ error: null, code: 'Conflict', message: 'A submission is in progress.' })
    )
    expect(describeApiError(parsed)).toBe('Conflict: A submission is in progress.')
  })
})
