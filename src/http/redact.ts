/**
 * Redaction of secrets from anything we print. The runner masks values registered with
 * core.setSecret, but only in its own log; error messages also land in the job summary, in outputs
 * and in local runs, so text is cleaned here before it leaves the action.
 */

const known = new Set<string>()

/** Registers a secret so that `redact` removes it from any text. Short values are ignored (noise). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value)
}

const SAS_SIGNATURE = /([?&]sig=)[^&#\s"']+/gi
const BEARER = /(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi
const FORM_SECRET = /((?:client_secret|client_assertion|access_token)=)[^&\s"']+/gi
const JSON_SECRET = /("(?:client_secret|client_assertion|access_token|refresh_token)"\s*:\s*")[^"]*"/gi

/** Removes known secrets, SAS signatures, bearer tokens and credential form fields from text. */
export function redact(text: string): string {
  let out = text
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join('***')
  }
  return out
    .replace(SAS_SIGNATURE, '$1REDACTED')
    .replace(BEARER, '$1***')
    .replace(FORM_SECRET, '$1***')
    .replace(JSON_SECRET, '$1***"')
}

/** A URL fit for a log line: its SAS signature removed. */
export function redactUrl(url: string): string {
  return redact(url)
}
