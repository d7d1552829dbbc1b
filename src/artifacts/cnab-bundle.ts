/**
 * A CNAB bundle of a Kubernetes application (container offer), pushed beforehand to the publisher's Azure
 * Container Registry by Microsoft's container packaging tool (docs/partner-center-api.md §9), referenced
 * as `<registry>.azurecr.io/<repository>:<tag>@sha256:<digest>`. The digest pins the exact bundle; the
 * tag is what Partner Center shows. Both are required, so that a release cannot point at a moving tag.
 */
import { InputError } from '../errors.js'

export interface CnabBundle {
  registryName: string
  repositoryName: string
  tag: string
  /** `sha256:<64 hex>` as cnabReferences holds it. */
  digest: string
}

/** ACR names: 5-50 letters and digits. Repository: lowercase path components (OCI distribution spec). */
const REFERENCE =
  /^([a-z0-9]{5,50})\.azurecr\.io\/([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})@(sha256:[a-f0-9]{64})$/

export function parseCnabBundle(input: string, value: string): CnabBundle {
  const text = value.trim()
  const match = REFERENCE.exec(
    text.replace(/^([A-Za-z0-9]+)\.azurecr\.io\//i, (_, r: string) => `${r.toLowerCase()}.azurecr.io/`)
  )
  if (!match) {
    throw new InputError(
      input,
      `'${value}' is not a bundle reference: ${explain(text)}`,
      'Give the reference the container packaging tool printed: <registry>.azurecr.io/<repository>:<tag>@sha256:<digest>.'
    )
  }
  const [, registryName, repositoryName, tag, digest] = match
  return { registryName, repositoryName, tag, digest }
}

/** What is wrong, in the user's terms (the first thing that does not fit). */
function explain(text: string): string {
  const host = /^([^/]+)\//.exec(text)?.[1]
  if (!host) return 'it must start with <registry>.azurecr.io/.'
  if (!/^[A-Za-z0-9]+\.azurecr\.io$/i.test(host))
    return `'${host}' is not an Azure Container Registry (<registry>.azurecr.io); Partner Center takes bundles from ACR only.`
  if (!/^[A-Za-z0-9]{5,50}\./.test(host)) return 'the registry name must be 5 to 50 letters and digits.'
  if (!/@sha256:/.test(text)) return 'it has no digest (@sha256:<64 hex digits>); a tag alone can move.'
  if (!/@sha256:[a-f0-9]{64}$/.test(text)) return 'the digest must be sha256: and 64 lowercase hex digits.'
  if (!/:[^/@]+@/.test(text.slice(host.length))) return 'it has no tag (:<tag> before the @).'
  return 'the repository or the tag has characters a registry does not allow (repository: lowercase letters, digits, . _ - and /; tag: letters, digits, _ . -, at most 128).'
}
