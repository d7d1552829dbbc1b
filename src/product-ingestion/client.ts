import type { HttpError } from '../http/http-error.js'
import type { RequestSpec, TokenSource, Transport } from '../http/transport.js'
import { PageGuard } from '../http/page-guard.js'
import { joinUrl } from '../http/url-policy.js'
import {
  API_VERSION,
  normalizeStatus,
  schemaUri,
  type ConfigureDetail,
  type ConfigureStatus,
  type PiList,
  type PiPlan,
  type PiProduct,
  type PiResource,
  type PiSubmission,
  type ResourceTree
} from './types.js'
import { requestVersions } from './versions.js'

export const GRAPH_ROLE_HINT =
  'The Product Ingestion API accepts app-only tokens of an application added in Partner Center → Account settings → User management → Microsoft Entra applications, with the Manager role.'

function piHint(error: HttpError): string | undefined {
  // The service names the version it no longer takes (docs/partner-center-api.md §7.6).
  if (error.status === 400 && /is a deprecated schema/i.test(error.message))
    return 'The service no longer accepts that schema version for these resources. Set the `$schema` of each resource to a current version (private offers: https://schema.mp.microsoft.com/schema/private-offer/2023-07-15); the action sends the `$version` those `$schema`s call for.'
  if (error.status === 401 || error.status === 403) return GRAPH_ROLE_HINT
  if (error.status === 429) return 'The Product Ingestion API is throttling requests; run again later.'
  if (error.status !== undefined && error.status >= 500)
    return 'The Product Ingestion API failed on its side; run again later.'
  return undefined
}

type Call = Omit<RequestSpec, 'url' | 'auth'> & { path: string; query?: Record<string, string | undefined> }

/**
 * The Product Ingestion API on Microsoft Graph (SaaS, VM, container and private offers):
 * declarative `POST configure` jobs and durable-ID reads. `$version` goes on every call.
 */
export class ProductIngestionClient {
  /** `$version` each configure job was started with: its status, detail and cancel calls use the same. */
  private readonly jobVersions = new Map<string, string>()

  constructor(
    private readonly transport: Transport,
    private readonly baseUrl: string,
    private readonly auth: TokenSource,
    private readonly version = API_VERSION
  ) {}

  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(/^https?:/i.test(path) ? path : joinUrl(this.baseUrl, path))
    if (!url.searchParams.has('$version')) url.searchParams.set('$version', this.version)
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, value)
    return url.href
  }

  private async call<T>(call: Call): Promise<{ body: T; status: number }> {
    const { path, query, ...spec } = call
    const response = await this.transport.request<T>({
      ...spec,
      url: this.url(path, query),
      auth: this.auth,
      hint: spec.hint ?? piHint
    })
    return { body: response.body, status: response.status }
  }

  private async get<T>(
    path: string,
    operation: string,
    query?: Record<string, string | undefined>,
    allow404 = false
  ): Promise<T | undefined> {
    const response = await this.call<T>({
      method: 'GET',
      path,
      query,
      operation,
      retry: 'idempotent',
      allowStatus: allow404 ? [404] : undefined
    })
    return response.status === 404 ? undefined : response.body
  }

  /** Every item of a list, following `@nextLink` (an opaque URL; followed as given). */
  async *pages<T>(
    path: string,
    operation: string,
    query?: Record<string, string | undefined>
  ): AsyncGenerator<T[]> {
    const guard = new PageGuard(operation)
    guard.visit(this.url(path, query))
    let body = await this.get<PiList<T>>(path, operation, query)
    for (;;) {
      yield body?.value ?? []
      const next = body?.['@nextLink'] ?? body?.nextLink
      if (!next) return
      guard.visit(this.url(next))
      body = await this.get<PiList<T>>(next, operation)
    }
  }

  async all<T>(path: string, operation: string, query?: Record<string, string | undefined>): Promise<T[]> {
    const items: T[] = []
    for await (const page of this.pages<T>(path, operation, query)) items.push(...page)
    return items
  }

  getProduct(productGuid: string): Promise<PiProduct | undefined> {
    return this.get<PiProduct>(`product/${productGuid}`, `Read product ${productGuid}`, undefined, true)
  }

  /** Any resource by durable ID, e.g. `plan/<p>/<plan>`. */
  getResource<T extends PiResource = PiResource>(durableId: string): Promise<T | undefined> {
    return this.get<T>(durableId, `Read ${durableId}`, undefined, true)
  }

  listPlans(productGuid: string): Promise<PiPlan[]> {
    return this.all<PiPlan>('plan', 'List plans', { product: `product/${productGuid}` })
  }

  async getResourceTree(
    productGuid: string,
    targetType?: 'draft' | 'preview' | 'live'
  ): Promise<ResourceTree> {
    const tree = await this.get<ResourceTree>(
      `resource-tree/product/${productGuid}`,
      'Read the offer resource tree',
      { targetType }
    )
    return (
      tree ?? {
        $schema: schemaUri('resource-tree'),
        root: `product/${productGuid}`,
        target: { targetType: targetType ?? 'draft' },
        resources: []
      }
    )
  }

  listSubmissions(productGuid: string): Promise<PiSubmission[]> {
    return this.all<PiSubmission>(`submission/${productGuid}`, 'List submissions')
  }

  /**
   * Starts a configure job. A create: never retried blindly (the caller looks for the job).
   * `$version` and the envelope's `$schema` follow the resources' own schema family and versions.
   */
  async configure(resources: PiResource[]): Promise<ConfigureStatus> {
    const { apiVersion, configureSchema } = requestVersions(resources)
    const response = await this.call<Record<string, unknown>>({
      method: 'POST',
      path: 'configure',
      query: { $version: apiVersion },
      operation: 'Start a configure job',
      retry: 'create',
      json: { $schema: configureSchema, resources }
    })
    const status = normalizeStatus(response.body ?? {})
    if (status.jobId) this.jobVersions.set(status.jobId.toLowerCase(), apiVersion)
    return status
  }

  private jobVersion(jobId: string): Record<string, string | undefined> {
    return { $version: this.jobVersions.get(jobId.toLowerCase()) }
  }

  async getJobStatus(jobId: string): Promise<ConfigureStatus> {
    const body = await this.get<Record<string, unknown>>(
      `configure/${jobId}/status`,
      `Read configure job ${jobId}`,
      this.jobVersion(jobId)
    )
    return normalizeStatus(body ?? {})
  }

  async getJobDetail(jobId: string): Promise<ConfigureDetail | undefined> {
    const body = await this.get<ConfigureDetail>(
      `configure/${jobId}`,
      `Read configure job ${jobId} detail`,
      this.jobVersion(jobId),
      true
    )
    return body ? { ...body, resources: body.resources ?? [] } : undefined
  }

  async cancelJob(jobId: string): Promise<ConfigureStatus> {
    const response = await this.call<Record<string, unknown>>({
      method: 'POST',
      path: `configure/${jobId}/cancel`,
      query: this.jobVersion(jobId),
      operation: `Cancel configure job ${jobId}`,
      // Cancelling twice is harmless: the second is refused as already completed.
      retry: 'idempotent',
      json: {}
    })
    return normalizeStatus(response.body ?? {})
  }
}
