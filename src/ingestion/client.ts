import { ActionError } from '../errors.js'
import { HttpError } from '../http/http-error.js'
import type { RequestSpec, TokenSource, Transport } from '../http/transport.js'
import { PageGuard } from '../http/page-guard.js'
import { joinUrl } from '../http/url-policy.js'
import { OFFER_TYPES } from '../offer-types.js'
import { resolveNextLink } from './paging.js'
import type {
  AzurePackage,
  Branch,
  BranchModule,
  Collection,
  PackageConfiguration,
  Product,
  ProductSetup,
  Property,
  Submission,
  ValidationItem,
  Variant,
  WorkflowDetail
} from './types.js'
import { offerIdOf } from './types.js'

export const PARTNER_CENTER_ROLE_HINT =
  'Add the application in Partner Center → Account settings → User management → Microsoft Entra applications, with the Manager role (and check that `tenant-id` is the tenant linked to the Partner Center account).'

/** Hints for any v1 call: 401/403 mean the app is not (yet) allowed into Partner Center. */
export function partnerCenterHint(error: HttpError): string | undefined {
  if (error.status === 401 || error.status === 403) return PARTNER_CENTER_ROLE_HINT
  if (error.status === 429)
    return 'Partner Center is throttling requests; run again later, or lower how often this workflow runs.'
  if (error.status !== undefined && error.status >= 500)
    return 'Partner Center failed on its side; run again later. Quote the request-id if you open a support case.'
  if (error.status === 400 && /PublisherId/i.test(error.message)) return PUBLISHER_ID_HINT
  return undefined
}

/** docs/partner-center-api.md §7.4: for a week in June 2026 every v1 call needed the seller ID. */
export const PUBLISHER_ID_HINT =
  'Partner Center asks for the x-ms-publisherId header: set the input `seller-id` to your seller ID (Partner Center → Account settings → Legal info → Developer / Seller ID, a number).'

/**
 * The v1 resource types that `list` asks for one by one. An unfiltered `GET /products` has been
 * refused (400 ProductTypeFilter) and has returned a single offer (docs/partner-center-api.md §7.2),
 * so a listing never depends on it: every type the action knows is listed with its own filter.
 */
export const LISTED_RESOURCE_TYPES: readonly string[] = OFFER_TYPES.map(t => t.type)

/** First pages of the listed types asked for at once. */
const FIRST_PAGES_IN_FLIGHT = 4

export interface IngestionClientOptions {
  /** Seller ID sent as `x-ms-publisherId` on every call (docs/partner-center-api.md §7.4). */
  publisherId?: string
}

type Call = Omit<RequestSpec, 'url' | 'auth'> & { path: string }

/** Encodes a value for an OData string literal inside a URL: quotes doubled, then URL-encoded. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/**
 * The Partner Center ingestion API v1.0 (Azure Application offers, and the lookup of every offer).
 * Orchestration lives in the commands; this only speaks the API.
 */
export class IngestionClient {
  private readonly extraHeaders: Record<string, string>

  constructor(
    private readonly transport: Transport,
    private readonly baseUrl: string,
    private readonly auth: TokenSource,
    options: IngestionClientOptions = {}
  ) {
    this.extraHeaders = options.publisherId ? { 'x-ms-publisherId': options.publisherId } : {}
  }

  private async call<T>(
    call: Call
  ): Promise<{ body: T; status: number; headers: Record<string, string | undefined> }> {
    const { path, ...spec } = call
    const url = /^https?:/i.test(path) ? path : joinUrl(this.baseUrl, path)
    const response = await this.transport.request<T>({
      ...spec,
      headers: { ...this.extraHeaders, ...spec.headers },
      url,
      auth: this.auth,
      hint: spec.hint ?? partnerCenterHint
    })
    return { body: response.body, status: response.status, headers: response.headers }
  }

  private async get<T>(path: string, operation: string, allow404 = false): Promise<T | undefined> {
    const response = await this.call<T>({
      method: 'GET',
      path,
      operation,
      retry: 'idempotent',
      allowStatus: allow404 ? [404] : undefined
    })
    return response.status === 404 ? undefined : response.body
  }

  /**
   * Follows every page of a collection, yielding one page at a time (memory stays one page deep).
   * A list whose first page was read elsewhere passes the guard that counted it, so that the page
   * limit and the loop check cover the whole list.
   */
  async *pages<T>(
    firstPath: string,
    operation: string,
    firstPage = 1,
    guard = new PageGuard(operation)
  ): AsyncGenerator<T[]> {
    let next: string | undefined = firstPath
    let page = firstPage - 1
    while (next) {
      page++
      guard.visit(/^https?:/i.test(next) ? next : joinUrl(this.baseUrl, next))
      const body: Collection<T> | undefined =
        page === 1
          ? await this.get<Collection<T>>(next, `${operation} (page ${page})`)
          : await this.nextPage<T>(next, `${operation} (page ${page})`)
      yield body?.value ?? []
      const link: string | undefined = body?.nextLink ?? body?.['@odata.nextLink']
      next = link ? resolveNextLink(this.baseUrl, link) : undefined
    }
  }

  /**
   * A page the service linked to itself. A 404 there happened (docs/partner-center-api.md §7.8,
   * navcontainerhelper#3151) and asking again once worked; a second 404 ends the listing with an error
   * rather than a silently short list.
   */
  private async nextPage<T>(path: string, operation: string): Promise<Collection<T> | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.get<Collection<T>>(path, operation)
      } catch (error) {
        if (!(error instanceof HttpError) || error.status !== 404) throw error
        if (attempt >= 2) {
          throw new ActionError(
            `${operation} failed: Partner Center answered 404 twice for the next page it had linked to itself.`,
            {
              hint: 'Partner Center lost its own paging position; run again in a few minutes.',
              cause: error
            }
          )
        }
      }
    }
  }

  private async all<T>(path: string, operation: string): Promise<T[]> {
    const items: T[] = []
    for await (const page of this.pages<T>(path, operation)) items.push(...page)
    return items
  }

  // Products --------------------------------------------------------------------------------------

  /**
   * Every product of one resource type, or of every type the action knows when none is given, page
   * by page. Each type is asked for with its own `$filter` (see LISTED_RESOURCE_TYPES), and a product
   * of another type in the answer is dropped: a filter the service did not apply adds nothing twice.
   * The first pages of the types go out a few at a time (most types hold few offers or none); the
   * pages of one type follow each other through its nextLinks.
   */
  async *listProductPages(resourceType?: string): AsyncGenerator<Product[]> {
    const types = resourceType ? [resourceType] : LISTED_RESOURCE_TYPES
    const path = (type: string) =>
      `products?$filter=${encodeURIComponent(`ResourceType eq ${odataString(type)}`)}`
    const firstPages: Array<Promise<Collection<Product> | undefined>> = []
    const startUpTo = (index: number) => {
      for (let i = firstPages.length; i <= Math.min(index, types.length - 1); i++) {
        const page = this.get<Collection<Product>>(path(types[i]!), `List ${types[i]} offers (page 1)`)
        page.catch(() => undefined) // awaited below, in order; this only keeps it from counting as unhandled
        firstPages.push(page)
      }
    }
    for (let i = 0; i < types.length; i++) {
      startUpTo(i + FIRST_PAGES_IN_FLIGHT - 1)
      const type = types[i]!
      const ofType = (page: Product[]) =>
        page.filter(p => p.resourceType?.toLowerCase() === type.toLowerCase())
      const first = await firstPages[i]!
      yield ofType(first?.value ?? [])
      const link = first?.nextLink ?? first?.['@odata.nextLink']
      if (!link) continue
      const guard = new PageGuard(`List ${type} offers`)
      guard.visit(joinUrl(this.baseUrl, path(type)))
      for await (const page of this.pages<Product>(
        resolveNextLink(this.baseUrl, link),
        `List ${type} offers`,
        2,
        guard
      ))
        yield ofType(page)
    }
  }

  /**
   * The product whose offer ID is `offerId` (case-insensitively), looked for in every page. Only an
   * exact match counts: when the service ignores the filter (§7.2) the first product it returns
   * is some other offer, and a release must never be written there.
   */
  async findProductByOfferId(offerId: string): Promise<Product | undefined> {
    const filter = `externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq ${odataString(offerId)})`
    const wanted = offerId.toLowerCase()
    for await (const page of this.pages<Product>(
      `products?$filter=${encodeURIComponent(filter)}`,
      `Find offer '${offerId}'`
    )) {
      const found = page.find(p => offerIdOf(p)?.toLowerCase() === wanted)
      if (found) return found
    }
    return undefined
  }

  getProduct(productId: string): Promise<Product | undefined> {
    return this.get<Product>(`products/${productId}`, `Read product ${productId}`, true)
  }

  /** The offer's setup; for Business Central offers its `packageType` (AddOn, Connect). */
  getSetup(productId: string): Promise<ProductSetup | undefined> {
    return this.get<ProductSetup>(`products/${productId}/setup`, 'Read the offer setup', true)
  }

  // Plans, branches, modules ---------------------------------------------------------------------

  listVariants(productId: string): Promise<Variant[]> {
    return this.all<Variant>(`products/${productId}/variants`, 'List plans')
  }

  async getBranches(productId: string, module: BranchModule): Promise<Branch[]> {
    return this.all<Branch>(
      `products/${productId}/branches/getByModule(module=${module})`,
      `Read ${module} branches`
    )
  }

  async getPackageConfiguration(
    productId: string,
    instanceId: string
  ): Promise<PackageConfiguration | undefined> {
    const body = await this.get<Collection<PackageConfiguration>>(
      `products/${productId}/packageConfigurations/getByInstanceID(instanceID=${instanceId})`,
      'Read the plan technical configuration'
    )
    return body?.value?.[0]
  }

  async putPackageConfiguration(
    productId: string,
    config: PackageConfiguration,
    etag: string
  ): Promise<{ config: PackageConfiguration; etag?: string }> {
    const response = await this.call<PackageConfiguration>({
      method: 'PUT',
      path: `products/${productId}/packageconfigurations/${config.id}`,
      operation: 'Update the plan technical configuration',
      // Guarded by If-Match: a repeat either lands on the same state or is refused with 412.
      retry: 'idempotent',
      headers: { 'if-match': etag },
      json: config
    })
    return { config: response.body, etag: response.headers.etag ?? response.body?.['@odata.etag'] }
  }

  /** The Property module's draft (offer properties; a Business Central offer's `appVersion`). */
  async getProperty(productId: string, instanceId: string): Promise<Property | undefined> {
    const body = await this.get<Collection<Property>>(
      `products/${productId}/properties/getByInstanceID(instanceID=${instanceId})`,
      'Read the offer properties'
    )
    return body?.value?.[0]
  }

  async putProperty(productId: string, property: Property, etag: string): Promise<Property> {
    const response = await this.call<Property>({
      method: 'PUT',
      path: `products/${productId}/properties/${property.id}`,
      operation: 'Update the offer properties',
      // Guarded by If-Match: a repeat either lands on the same state or is refused with 412.
      retry: 'idempotent',
      headers: { 'if-match': etag },
      json: property
    })
    return response.body
  }

  // Packages ---------------------------------------------------------------------------------------

  /** `resourceType`: AzureApplicationPackage, or a Business Central package type (§8). */
  async createPackage(
    productId: string,
    fileName: string,
    resourceType = 'AzureApplicationPackage'
  ): Promise<AzurePackage> {
    const response = await this.call<AzurePackage>({
      method: 'POST',
      path: `products/${productId}/packages`,
      operation: `Create package '${fileName}'`,
      retry: 'create',
      json: { resourceType, fileName }
    })
    return response.body
  }

  listPackages(productId: string): Promise<AzurePackage[]> {
    return this.all<AzurePackage>(`products/${productId}/packages`, 'List packages')
  }

  getPackage(productId: string, packageId: string): Promise<AzurePackage | undefined> {
    return this.get<AzurePackage>(
      `products/${productId}/packages/${packageId}`,
      `Read package ${packageId}`,
      true
    )
  }

  async markPackageUploaded(productId: string, pkg: AzurePackage): Promise<AzurePackage> {
    const etag = pkg['@odata.etag']
    const response = await this.call<AzurePackage>({
      method: 'PUT',
      path: `products/${productId}/packages/${pkg.id}`,
      operation: `Mark package ${pkg.id} uploaded`,
      // Setting the same state again is harmless.
      retry: 'idempotent',
      headers: etag ? { 'if-match': etag } : undefined,
      json: { ...pkg, state: 'Uploaded' }
    })
    return response.body
  }

  // Submissions ------------------------------------------------------------------------------------

  listSubmissions(productId: string): Promise<Submission[]> {
    return this.all<Submission>(`products/${productId}/submissions`, 'List submissions')
  }

  getSubmission(productId: string, submissionId: string): Promise<Submission | undefined> {
    return this.get<Submission>(
      `products/${productId}/submissions/${submissionId}`,
      `Read submission ${submissionId}`,
      true
    )
  }

  /**
   * A submission by ID; when the read by ID answers 404, the submissions list is asked before
   * concluding it is gone. The service answered 404 for submissions that had reached preview
   * (docs/partner-center-api.md §7.3) while listing them as usual. Undefined: in neither.
   */
  async readSubmission(productId: string, submissionId: string): Promise<Submission | undefined> {
    const direct = await this.getSubmission(productId, submissionId)
    if (direct) return direct
    return (await this.listSubmissions(productId)).find(s => s.id === submissionId)
  }

  async createSubmission(productId: string, request: unknown): Promise<Submission> {
    const response = await this.call<Submission>({
      method: 'POST',
      path: `products/${productId}/submissions`,
      operation: 'Create a submission (publish to preview)',
      retry: 'create',
      json: request
    })
    return response.body
  }

  async promoteSubmission(productId: string, submissionId: string): Promise<Submission> {
    const response = await this.call<Submission>({
      method: 'POST',
      path: `products/${productId}/submissions/${submissionId}/promote`,
      operation: `Go live with submission ${submissionId}`,
      retry: 'create',
      json: {}
    })
    return response.body
  }

  async deleteSubmission(productId: string, submissionId: string): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: `products/${productId}/submissions/${submissionId}`,
      operation: `Cancel submission ${submissionId}`,
      retry: 'idempotent',
      allowStatus: [404]
    })
  }

  /**
   * The validation findings of a submission. A submission whose creation failed names where they are
   * in `pendingUpdateInfo.href`, a path relative to the service host like a nextLink
   * (docs/partner-center-api.md §7.1); that is followed when it is a validations path of this product
   * on this service, else the documented path is read.
   */
  async getValidations(productId: string, submission: string | Submission): Promise<ValidationItem[]> {
    const [id, href] =
      typeof submission === 'string'
        ? [submission, undefined]
        : [submission.id, submission.pendingUpdateInfo?.href]
    const body = await this.get<Collection<ValidationItem>>(
      this.validationsPath(productId, id, href),
      'Read submission validations',
      true
    )
    return body?.value ?? []
  }

  private validationsPath(productId: string, submissionId: string, href: string | undefined): string {
    const documented = `products/${productId}/submissions/${submissionId}/validations`
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return documented
    const resolved = resolveNextLink(this.baseUrl, href)
    const base = new URL(this.baseUrl)
    const target = new URL(resolved)
    const expected = `/products/${productId}/submissions/${submissionId}/validations`.toLowerCase()
    const samePlace =
      target.origin === base.origin && target.pathname.toLowerCase().endsWith(expected) && !target.search
    return samePlace ? resolved : documented
  }

  async getWorkflowDetails(productId: string, submissionId: string): Promise<WorkflowDetail[]> {
    const body = await this.get<Collection<WorkflowDetail> | WorkflowDetail[]>(
      `products/${productId}/submissions/${submissionId}/workflowdetails`,
      'Read submission workflow',
      true
    )
    if (Array.isArray(body)) return body
    return body?.value ?? []
  }
}
