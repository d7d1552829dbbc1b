// Product Ingestion API behaviours of the real service, each behind a named switch (see ../behaviours.ts).
import type { BehaviourInfo } from '../behaviours.js'

export const PRODUCT_INGESTION_BEHAVIOURS: Record<string, BehaviourInfo> = {}
