import type { HttpError } from '../http/http-error.js'
import type { RequestSpec, TokenSource, Transport } from '../http/transport.js'
import { joinUrl } from '../http/url-policy.js'
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

export const PARTNER_CENTER_ROLE_HINT =
  'Add the application in Partner Center → Account settings → User management → Microsoft Entra applications, with the Manager role (and check that `tenant-id` is the tenant linked to the Partner Center account).'

/** Hints for any v1 call: 401/403 mean the app is not (yet) allowed into Partner Center. */
export function partnerCenterHint(error: HttpError): string | undefined {
  if (error.status === 401 || error.status === 403) return PARTNER_CENTER_ROLE_HINT
  if (error.status === 429)
    return 'Partner Center is throttling requests; run again later, or lower how often this workflow runs.'
  if (error.status !== undefined && error.status >= 500)
    return 'Partner Center failed on its side; run again later. Quote the request-id if you open a support case.'
  return undefined
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
  constructor(
    private readonly transport: Transport,
    private readonly baseUrl: string,
    private readonly auth: TokenSource
  ) {}

  private async call<T>(
    call: Call
  ): Promise<{ body: T; status: number; headers: Record<string, string | undefined> }> {
    const { path, ...spec } = call
    const url = /^https?:/i.test(path) ? path : joinUrl(this.baseUrl, path)
    const response = await this.transport.request<T>({
      ...spec,
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

  /** Follows every page of a collection, yielding one page at a time (memory stays one page deep). */
  async *pages<T>(firstPath: string, operation: string): AsyncGenerator<T[]> {
    let next: string | undefined = firstPath
    let page = 0
    while (next) {
      page++
      const body: Collection<T> | undefined = await this.get<Collection<T>>(
        next,
        `${operation} (page ${page})`
      )
      yield body?.value ?? []
      const link: string | undefined = body?.nextLink ?? body?.['@odata.nextLink']
      next = link ? resolveNextLink(this.baseUrl, link) : undefined
    }
  }

  private async all<T>(path: string, operation: string): Promise<T[]> {
    const items: T[] = []
    for await (const page of this.pages<T>(path, operation)) items.push(...page)
    return items
  }

  // Products --------------------------------------------------------------------------------------

  /** Every product, page by page; `resourceType` narrows on the server when given. */
  listProductPages(resourceType?: string): AsyncGenerator<Product[]> {
    const filter = resourceType
      ? `?$filter=${encodeURIComponent(`ResourceType eq ${odataString(resourceType)}`)}`
      : ''
    return this.pages<Product>(`products${filter}`, 'List offers')
  }

  async findProductByOfferId(offerId: string): Promise<Product | undefined> {
    const filter = `externalIDs/Any(i:i/type eq 'AzureOfferId' and i/value eq ${odataString(offerId)})`
    const products = await this.all<Product>(
      `products?$filter=${encodeURIComponent(filter)}`,
      `Find offer '${offerId}'`
    )
    return (
      products.find(p => p.externalIDs?.some(e => e.value.toLowerCase() === offerId.toLowerCase())) ??
      products[0]
    )
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

  async getValidations(productId: string, submissionId: string): Promise<ValidationItem[]> {
    const body = await this.get<Collection<ValidationItem>>(
      `products/${productId}/submissions/${submissionId}/validations`,
      'Read submission validations',
      true
    )
    return body?.value ?? []
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
