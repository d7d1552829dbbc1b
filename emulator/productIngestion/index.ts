// Registration point for the Product Ingestion API (`/rp/product-ingestion`, Microsoft Graph).
// Not implemented yet: a later module fills this in, keeping its state under
// `state.productIngestion` and checking tokens with audience https://graph.microsoft.com
// (see ingestion/auth.ts `authorize(ctx, state, signer, GRAPH_RESOURCE)`).
import type { Router } from '../http/router.js'
import type { EmulatorState } from '../state.js'
import type { TokenSigner } from '../entra/jwt.js'
import type { Clock } from '../clock.js'
import { registerRoutes } from '../product-ingestion/routes.js'

export const PRODUCT_INGESTION_PREFIX = '/rp/product-ingestion'
export const GRAPH_RESOURCE = 'https://graph.microsoft.com'

export interface ProductIngestionDeps {
  state: EmulatorState
  signer: TokenSigner
  clock: Clock
}

/** Registers Product Ingestion routes on `router`; called again after every reset with the new state. */
export function registerProductIngestionRoutes(router: Router, deps: ProductIngestionDeps): void {
  registerRoutes(router, deps)
}
