// v1 ingestion API behaviours of the real service, each behind a named switch (see ../behaviours.ts).
import type { BehaviourInfo } from '../behaviours.js'

export const V1_BEHAVIOURS: Record<string, BehaviourInfo> = {}
