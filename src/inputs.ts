import * as core from '@actions/core'
import {
  AppSourceContextError,
  parseAppSourceContext,
  type AppSourceContext
} from './auth/appsource-context.js'
import { DEFAULT_IMAGE_TYPE, readReleaseInputs, type ReleaseInputs } from './artifacts/release-inputs.js'
import { InputError } from './errors.js'
import { registerSecret } from './http/redact.js'
import { parseServiceUrl } from './http/url-policy.js'
import { findOfferType, OFFER_TYPES } from './offer-types.js'
import { log } from './log.js'
import { releaseVersion } from './release-version.js'

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
  /** `library-path`: Business Central library apps (paths or globs, one a line). */
  libraryPaths: string[]
  /** `version`, else derived from the tag; undefined when neither gives one. */
  version?: string
  versionSource: 'input' | 'tag' | 'none'
  /** The tag the run was started by when it gave no version (v1.2.3-beta.1), for the error. */
  unusableTag?: string
  technicalConfigurationPath?: string
  configPaths: string[]
  outputPath?: string
  submissionId?: string
  jobId?: string
  target: Target
  wait: boolean
  timeoutMinutes: number
  onConflict: 'fail' | 'cancel'
  /** go-live with `wait: false` before the submission is ready: fail the step, or succeed doing nothing. */
  whenNotReady: 'fail' | 'skip'
  dryRun: boolean
  /** `seller-id`: sent as x-ms-publisherId on every v1 call (docs/partner-center-api.md §7.4). */
  sellerId?: string
  authorityHost: string
  ingestionApiUrl: string
  productIngestionApiUrl: string
  /** The names of the inputs given a non-blank value. */
  given: string[]
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
const SUBMISSION_ID = /^\d{1,30}$/

export function readInputs(
  getRawInput: InputReader = name => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): ActionInputs {
  // The inputs given a value, so that one given where it does nothing can be refused (applicable-inputs.ts).
  const given = new Set<string>()
  const getInput: InputReader = name => {
    const value = getRawInput(name)
    if (value.trim()) given.add(name)
    return value
  }
  const read = (name: string): string => getInput(name).trim()

  const commandValue = read('command')
  if (!commandValue) throw new InputError('command', `is required; one of: ${COMMANDS.join(', ')}.`)
  const command = commandValue.toLowerCase() as Command
  if (!COMMANDS.includes(command)) {
    throw new InputError('command', `'${commandValue}' is not a command. Use one of: ${COMMANDS.join(', ')}.`)
  }

  const context = readAppSourceContext(getInput)
  const tenantId = fromContext('tenant-id', read('tenant-id'), context?.tenantId, 'tenantID')
  if (!tenantId)
    throw new InputError(
      'tenant-id',
      'is required: the Microsoft Entra tenant (directory) ID (or give `appsource-context`).'
    )
  if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new InputError(
      'tenant-id',
      `'${tenantId}' is neither a GUID nor a domain such as contoso.onmicrosoft.com.`
    )
  }

  const clientId = fromContext('client-id', read('client-id'), context?.clientId, 'clientID')
  if (!clientId)
    throw new InputError(
      'client-id',
      'is required: the application (client) ID of the Entra app (or give `appsource-context`).'
    )
  if (!GUID.test(clientId))
    throw new InputError('client-id', `'${clientId}' is not a GUID (application (client) ID).`)

  const credential = readCredential(read, getInput, context)

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

  const { version, versionSource, unusableTag } = releaseVersion(read('version'), env.GITHUB_REF)

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
    // One path or glob a line: file names may hold commas (AL-Go names apps after the app's name).
    libraryPaths: [
      ...new Set(
        getInput('library-path')
          .split(/\r?\n/)
          .map(line => line.trim())
          .filter(Boolean)
      )
    ],
    version,
    versionSource,
    unusableTag,
    technicalConfigurationPath: read('technical-configuration') || undefined,
    configPaths: splitList(getInput('config-path')),
    outputPath: read('output-path') || undefined,
    submissionId,
    jobId,
    target: readChoice(read, 'target', ['draft', 'preview', 'live'], 'preview'),
    // `status` reports at once unless told to wait: a scheduled check must not hold a runner for hours.
    wait: readBoolean(read, 'wait', command !== 'status'),
    timeoutMinutes: readTimeout(read('timeout-minutes')),
    onConflict: readChoice(read, 'on-conflict', ['fail', 'cancel'], 'fail'),
    whenNotReady: readChoice(read, 'when-not-ready', ['fail', 'skip'], 'fail'),
    dryRun: readBoolean(read, 'dry-run', false),
    sellerId: readSellerId(read('seller-id')),
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
    given: [...given],
    ...release,
    placeholders: readPlaceholderValues(read, env, version)
  }
}

/**
 * `appsource-context`, masked as a whole and field by field before anything can print it. Its
 * clientSecret is masked too (readCredential registers it).
 */
function readAppSourceContext(getInput: InputReader): AppSourceContext | undefined {
  const value = getInput('appsource-context').trim()
  if (!value) return undefined
  log.mask(value)
  registerSecret(value)
  // A pasted JSON may span lines; the runner masks a multi-line value line by line.
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) log.mask(line.trim())
  try {
    const context = parseAppSourceContext(value)
    if (context.clientSecret) {
      log.mask(context.clientSecret)
      registerSecret(context.clientSecret)
    }
    return context
  } catch (error) {
    if (error instanceof AppSourceContextError)
      throw new InputError('appsource-context', error.message, error.hint)
    throw error
  }
}

/** An input that `appsource-context` may also give: either source, or both when they agree. */
function fromContext(
  input: string,
  given: string,
  fromContextValue: string | undefined,
  key: string
): string {
  if (given && fromContextValue && given.toLowerCase() !== fromContextValue.toLowerCase()) {
    throw new InputError(
      input,
      `'${given}' differs from the ${key} in \`appsource-context\`.`,
      `Give \`${input}\` or \`appsource-context\`, or make them agree.`
    )
  }
  return given || fromContextValue || ''
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

function readCredential(
  read: (name: string) => string,
  getInput: InputReader,
  context?: AppSourceContext
): Credential {
  // Trimmed: Entra secrets never begin or end with white space, and a pasted secret often carries a
  // trailing newline.
  const given = getInput('client-secret').trim()
  if (given) {
    registerSecret(given)
    log.mask(given)
  }
  if (context?.clientSecret) {
    if (given && given !== context.clientSecret) {
      throw new InputError(
        'client-secret',
        'differs from the clientSecret in `appsource-context`.',
        'Give `client-secret` or `appsource-context`, not two different secrets.'
      )
    }
    if (getInput('client-certificate').trim()) {
      throw new InputError(
        'client-certificate',
        'is given, and `appsource-context` holds a clientSecret: two credentials for one sign-in.',
        'Leave out `client-certificate`, or use an AppSourceContext without clientSecret.'
      )
    }
  }
  const secret = given || context?.clientSecret
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

/** 7 days: the longest a Product Ingestion job or a certification is known to take. */
export const MAX_TIMEOUT_MINUTES = 10_080

function readTimeout(value: string): number {
  if (!value) return DEFAULTS.timeoutMinutes
  const minutes = Number(value)
  if (
    !/^\d+(\.\d+)?$/.test(value) ||
    !Number.isFinite(minutes) ||
    minutes <= 0 ||
    minutes > MAX_TIMEOUT_MINUTES
  ) {
    throw new InputError(
      'timeout-minutes',
      `'${value}' is not a number of minutes between 0 and ${MAX_TIMEOUT_MINUTES} (7 days).`
    )
  }
  return minutes
}

/** A seller ID is a positive whole number (the service's words: "must be a positive number"). */
function readSellerId(value: string): string | undefined {
  if (!value) return undefined
  if (!/^\d{1,18}$/.test(value) || /^0+$/.test(value)) {
    throw new InputError(
      'seller-id',
      `'${value}' is not a seller ID: use the positive number Partner Center shows as your Seller ID.`,
      'Find it in Partner Center → Account settings → Legal info (Developer tab), or leave `seller-id` empty.'
    )
  }
  return value.replace(/^0+/, '')
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
