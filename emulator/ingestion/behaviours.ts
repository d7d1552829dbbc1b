// v1 ingestion API behaviours of the real service, each behind a named switch (see ../behaviours.ts).
import type { BehaviourInfo } from '../behaviours.js'

export const V1_BEHAVIOURS: Record<string, BehaviourInfo> = {
  'front-door-sas': {
    description:
      'Packages get a fileSasUri on another host in the Azure Front Door shape (/<token>/pkgfile-<id>?<sas>), where one Put Blob works and Put Block / Put Block List are refused with 400.',
    source:
      'docs/partner-center-api.md §7.5 (from 2026-08-28; navcontainerhelper#4191 and PR #4192, ALOps#1010)'
  }
}
