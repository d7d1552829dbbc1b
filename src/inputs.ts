import * as core from '@actions/core'
import { DEFAULT_IMAGE_TYPE, readReleaseInputs, type ReleaseInputs } from './artifacts/release-inputs.js'
import { InputError } from './errors.js'
import { registerSecret } from './http/redact.js'
import { parseServiceUrl } from './http/url-policy.js'
import { findOfferType, OFFER_TYPES } from './offer-types.js'
import { log } from './log.js'

/**
 * Every input is read, validated and typed here, once; nothing else calls core.getInput. Errors name
 * the input and are raised before any request is sent.
 */

export const COMMANDS = [
  'list',
  'show',
  'publish',
  'go-live',
  'status',
  'cancel',
  'configure',
  'export'
] as const
export type Command = (typeof COMMANDS)[number]
export type Target = 'draft' | 'preview' | 'live'

export type Credential =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; pem: string }
  | { kind: 'oidc'; audience: string }

export interface ActionInputs {
  command: Command
  tenantId: string
  clientId: string
  credential: Credential
  offerId?: string
  productId?: string
  /** Canonical v1 resourceType, e.g. `AzureApplication`. */
  offerType?: string
  planIds: string[]
  packagePath?: string
  /** `version`, else derived from the tag; undefined when neither gives one. */
  version?: string
  versionSource: 'input' | 'tag' | 'none'
  technicalConfigurationPath?: string
  configPaths: string[]
  outputPath?: string
  submissionId?: string
  jobId?: string
  target: Target
  wait: boolean
  timeoutMinutes: number
  onConflict: 'fail' | 'cancel'
  dryRun: boolean
  authorityHost: string
  ingestionApiUrl: string
  productIngestionApiUrl: string
  /** publish of a VM offer: the image version to add (image-version, image-type, gallery-image-id or os-disk-uri). */
  vmImage?: ReleaseInputs['vmImage']
  /** publish of a container offer: the CNAB bundle to add (cnab-bundle, cnab-subscription-id, …). */
  containerBundle?: ReleaseInputs['containerBundle']
  /** configure: the values `${{ name }}` placeholders in resource files stand for (version, tag, inputs). */
  placeholders: Record<string, string>
}

export type InputReader = (name: string) => string

export const DEFAULTS = {
  audience: 'api://AzureADTokenExchange',
  authorityHost: 'https://login.microsoftonline.com',
  ingestionApiUrl: 'https://api.partner.microsoft.com/v1.0/ingestion',
  productIngestionApiUrl: 'https://graph.microsoft.com/rp/product-ingestion',
  imageType: DEFAULT_IMAGE_TYPE,
  timeoutMinutes: 60
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i
/** Partner Center offer and plan IDs: lowercase letters, digits, '-' and '_', 3 to 50 (PI schema). */
const RESOURCE_ID = /^[a-z0-9][a-z0-9_-]{2,49}$/
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
const SUBMISSION_ID = /^\d{1,30}$/

export function readInputs(
  getInput: InputReader = name => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): ActionInputs {
  const read = (name: string): string => getInput(name).trim()

  const commandValue = read('command')
  if (!commandValue) throw new InputError('command', `is required; one of: ${COMMANDS.join(', ')}.`)
  const command = commandValue.toLowerCase() as Command
  if (!COMMANDS.includes(command)) {
    throw new InputError('command', `'${commandValue}' is not a command. Use one of: ${COMMANDS.join(', ')}.`)
  }

  const tenantId = read('tenant-id')
  if (!tenantId) throw new InputError('tenant-id', 'is required: the Microsoft Entra tenant (directory) ID.')
  if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new InputError(
      'tenant-id',
      `'${tenantId}' is neither a GUID nor a domain such as contoso.onmicrosoft.com.`
    )
  }

  const clientId = read('client-id')
  if (!clientId)
    throw new InputError('client-id', 'is required: the application (client) ID of the Entra app.')
  if (!GUID.test(clientId))
    throw new InputError('client-id', `'${clientId}' is not a GUID (application (client) ID).`)

  const credential = readCredential(read, getInput)

  const offerId = read('offer-id') || undefined
  if (offerId !== undefined && !RESOURCE_ID.test(offerId)) {
    throw new InputError(
      'offer-id',
      `'${offerId}' is not an offer ID: 3 to 50 lowercase letters, digits, '-' or '_'.`,
      'Use the Offer ID shown in Partner Center, or `product-id` for the product GUID.'
    )
  }
  const productId = read('product-id') || undefined
  if (productId !== undefined && !GUID.test(productId)) {
    throw new InputError(
      'product-id',
      `'${productId}' is not a GUID (the product ID in the Partner Center URL).`
    )
  }

  const offerTypeValue = read('offer-type')
  let offerType: string | undefined
  if (offerTypeValue) {
    const info = findOfferType(offerTypeValue)
    if (!info) {
      throw new InputError(
        'offer-type',
        `'${offerTypeValue}' is not an offer type. Use one of: ${OFFER_TYPES.map(t => t.type).join(', ')}.`
      )
    }
    offerType = info.type
  }

  const planIds = splitList(getInput('plan-id'))
  for (const planId of planIds) {
    if (!RESOURCE_ID.test(planId)) {
      throw new InputError(
        'plan-id',
        `'${planId}' is not a plan ID: 3 to 50 lowercase letters, digits, '-' or '_'.`
      )
    }
  }

  const { version, versionSource } = readVersion(read('version'), env)

  const submissionId = read('submission-id') || undefined
  if (
    submissionId !== undefined &&
    !SUBMISSION_ID.test(submissionId) &&
    !/^submission\/[0-9a-f-]+\/\d+$/i.test(submissionId)
  ) {
    throw new InputError(
      'submission-id',
      `'${submissionId}' is not a submission ID (a number such as 1152921505697797881).`
    )
  }
  const jobId = read('job-id') || undefined
  if (jobId !== undefined && !GUID.test(jobId))
    throw new InputError('job-id', `'${jobId}' is not a configure job ID (a GUID).`)

  const release = readReleaseInputs(read, { command, tenantId, version, now: new Date() })

  return {
    command,
    tenantId,
    clientId,
    credential,
    offerId,
    productId,
    offerType,
    planIds,
    packagePath: read('package-path') || undefined,
    version,
    versionSource,
    technicalConfigurationPath: read('technical-configuration') || undefined,
    configPaths: splitList(getInput('config-path')),
    outputPath: read('output-path') || undefined,
    submissionId,
    jobId,
    target: readChoice(read, 'target', ['draft', 'preview', 'live'], 'preview'),
    wait: readBoolean(read, 'wait', true),
    timeoutMinutes: readTimeout(read('timeout-minutes')),
    onConflict: readChoice(read, 'on-conflict', ['fail', 'cancel'], 'fail'),
    dryRun: readBoolean(read, 'dry-run', false),
    authorityHost: parseServiceUrl(
      'authority-host',
      read('authority-host') || DEFAULTS.authorityHost
    ).href.replace(/\/+$/, ''),
    ingestionApiUrl: parseServiceUrl(
      'ingestion-api-url',
      read('ingestion-api-url') || DEFAULTS.ingestionApiUrl
    ).href.replace(/\/+$/, ''),
    productIngestionApiUrl: parseServiceUrl(
      'product-ingestion-api-url',
      read('product-ingestion-api-url') || DEFAULTS.productIngestionApiUrl
    ).href.replace(/\/+$/, ''),
    ...release,
    placeholders: readPlaceholderValues(read, env, version)
  }
}

/**
 * What `${{ name }}` stands for in resource files (`configure`): `version` (the `version` input, else the
 * tag's), `tag` (the tag that triggered the run, as pushed), and every input that describes the release
 * by its name. Credentials are never among them.
 */
export const PLACEHOLDER_INPUTS = [
  'offer-id',
  'product-id',
  'plan-id',
  'image-version',
  'image-type',
  'gallery-image-id',
  'gallery-tenant-id',
  'os-disk-uri',
  'data-disk-uris',
  'cnab-bundle',
  'cnab-subscription-id',
  'cnab-resource-group',
  'cnab-tenant-id'
] as const

function readPlaceholderValues(
  read: (name: string) => string,
  env: NodeJS.ProcessEnv,
  version: string | undefined
): Record<string, string> {
  const values: Record<string, string> = {}
  if (version) values.version = version
  const tag = /^refs\/tags\/(.+)$/.exec(env.GITHUB_REF ?? '')?.[1]
  if (tag) values.tag = tag
  for (const name of PLACEHOLDER_INPUTS) {
    const value = read(name)
    if (value) values[name] = value
  }
  if (!values['image-version'] && version) values['image-version'] = version
  values['image-type'] ??= DEFAULTS.imageType
  return values
}

function readCredential(read: (name: string) => string, getInput: InputReader): Credential {
  // Trimmed: Entra secrets never begin or end with white space, and a pasted secret often carries a
  // trailing newline.
  const secret = getInput('client-secret').trim()
  if (secret) {
    registerSecret(secret)
    log.mask(secret)
    return { kind: 'secret', secret }
  }
  const pem = getInput('client-certificate').trim()
  if (pem) {
    // Every line of the PEM is masked: the runner masks multi-line secrets line by line.
    log.mask(pem)
    registerSecret(pem)
    for (const line of pem.split(/\r?\n/))
      if (line.length >= 16 && !line.startsWith('-----')) registerSecret(line)
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      throw new InputError(
        'client-certificate',
        'holds no private key: give a PEM with the private key and the certificate.'
      )
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(pem)) {
      throw new InputError(
        'client-certificate',
        'holds no certificate: give a PEM with the private key and the certificate.'
      )
    }
    return { kind: 'certificate', pem }
  }
  return { kind: 'oidc', audience: read('audience') || DEFAULTS.audience }
}

function readVersion(value: string, env: NodeJS.ProcessEnv): Pick<ActionInputs, 'version' | 'versionSource'> {
  if (value) {
    const version = value.replace(/^v/i, '')
    if (!SEMVER.test(version)) {
      throw new InputError(
        'version',
        `'${value}' is not a version of the form major.minor.patch (e.g. 1.2.3).`
      )
    }
    return { version, versionSource: 'input' }
  }
  const ref = env.GITHUB_REF ?? ''
  const tag = /^refs\/tags\/v?(.+)$/i.exec(ref)?.[1]
  if (tag && SEMVER.test(tag)) return { version: tag, versionSource: 'tag' }
  return { version: undefined, versionSource: 'none' }
}

function readChoice<T extends string>(
  read: (name: string) => string,
  name: string,
  choices: T[],
  fallback: T
): T {
  const value = read(name).toLowerCase()
  if (!value) return fallback
  if (!choices.includes(value as T)) {
    throw new InputError(name, `'${value}' is not valid. Use one of: ${choices.join(', ')}.`)
  }
  return value as T
}

function readBoolean(read: (name: string) => string, name: string, fallback: boolean): boolean {
  const value = read(name).toLowerCase()
  if (!value) return fallback
  if (['true', 'yes', '1', 'on'].includes(value)) return true
  if (['false', 'no', '0', 'off'].includes(value)) return false
  throw new InputError(name, `'${value}' is not a boolean. Use 'true' or 'false'.`)
}

function readTimeout(value: string): number {
  if (!value) return DEFAULTS.timeoutMinutes
  const minutes = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(minutes) || minutes <= 0 || minutes > 4320) {
    throw new InputError(
      'timeout-minutes',
      `'${value}' is not a number of minutes between 0 and 4320 (72 hours).`
    )
  }
  return minutes
}

/** Splits a newline- or comma-separated list, dropping blanks and duplicates, keeping order. */
export function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n,]/)
        .map(item => item.trim())
        .filter(Boolean)
    )
  ]
}
