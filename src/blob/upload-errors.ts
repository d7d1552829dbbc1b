import { ActionError } from '../errors.js'
import { HttpError } from '../http/http-error.js'
import { redact } from '../http/redact.js'
import { formatSas, type SasDescription } from './sas.js'

/**
 * Turns the blob service's refusals that have a known cause into an error that says what to do.
 * Anything else is returned unchanged (the transport's HttpError already names the request, status,
 * Azure's `<Code>`/`<Message>` and the request id, with the signature removed from the URL).
 */
export function explainUploadError(error: unknown, sas: SasDescription, now: number): unknown {
  if (!(error instanceof HttpError)) return error
  const code = error.details.api.code
  const where = formatSas(sas)
  if (error.status === 403) {
    const expired = sas.expiresOn && sas.expiresOn.getTime() <= now
    const why = expired
      ? `it expired at ${sas.expiresOn?.toISOString()}`
      : code === 'AuthenticationFailed'
        ? 'its signature was not accepted (expired, or the URL was altered)'
        : `the service answered ${code ?? 'HTTP 403'}`
    return new ActionError(
      redact(
        `The package upload URL was refused by blob storage: ${why}. Target: ${where}. ${error.message}`
      ),
      {
        hint: 'Upload URLs from Partner Center last about 24 hours. Run the action again: it creates a new package with a fresh upload URL.',
        cause: error
      }
    )
  }
  if (error.status === 413 || code === 'RequestBodyTooLarge') {
    return new ActionError(
      redact(
        `Blob storage refused the package as too large (RequestBodyTooLarge). Target: ${where}. ${error.message}`
      ),
      {
        hint: 'Lower the block size or the single-upload limit, or make the package smaller.',
        cause: error
      }
    )
  }
  return error
}
