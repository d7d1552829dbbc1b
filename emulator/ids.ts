// Identifier and ETag formats as seen in real traffic (docs/partner-center-api.md §1.2, §1.12).
import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** A GUID derived from a name, so seeded entities keep the same ids across runs. */
export function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

export function newGuid(): string {
  return randomUUID()
}

/** 32 hex chars, like the ICH error `operationId`. */
export function newOperationId(): string {
  return randomBytes(16).toString('hex')
}

let etagCounter = 0x6a000000
/**
 * Cosmos-style ETag, quoted: `"6a022fbd-0000-0800-0000-6802710c0000"` — a counter, then the
 * epoch seconds in hex, as the real service's values look.
 */
export function newEtag(nowMs: number = Date.now()): string {
  etagCounter = (etagCounter + 1 + Math.floor(Math.random() * 64)) >>> 0
  const secs = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
  return `"${etagCounter.toString(16).padStart(8, '0')}-0000-0800-0000-${secs}0000"`
}

/** Deterministic ETag for seeded entities. */
export function stableEtag(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `"${h.slice(0, 8)}-0000-0800-0000-${h.slice(8, 16)}0000"`
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isGuid(v: unknown): v is string {
  return typeof v === 'string' && GUID_RE.test(v)
}

let submissionCounter = 1152921505697797881n
/** Submission ids are large decimal strings (`1152921505697797881`). */
export function newSubmissionId(): string {
  submissionCounter += BigInt(1 + Math.floor(Math.random() * 1000))
  return submissionCounter.toString()
}

/** Blob names of package uploads are decimal strings (`/file/3050487256057890282`). */
export function newBlobName(): string {
  return (
    (BigInt('0x' + randomBytes(8).toString('hex')) % 9000000000000000000n) +
    1000000000000000000n
  ).toString()
}
