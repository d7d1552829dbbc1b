/**
 * An Azure compute gallery image version, the other source of a VM image (docs/partner-center-api.md §9):
 * `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<g>/images/<def>/versions/<v>`.
 * A malformed ID is refused before anything is written: the service would only fail the job later.
 */
import { InputError } from '../errors.js'

export interface GalleryImageVersion {
  /** The canonical form sent to Partner Center (segment names in Azure's casing). */
  resourceId: string
  subscriptionId: string
  resourceGroup: string
  gallery: string
  image: string
  version: string
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
/** Azure naming rules: resource group 1-90 of letters, digits, _ . - ( ), not ending in '.'. */
export const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/
const GALLERY = '[A-Za-z0-9_.]{1,80}'
const IMAGE = '[A-Za-z0-9_.-]{1,80}'
const VERSION = '\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}'

const PATTERN = new RegExp(
  `^/subscriptions/(${GUID})/resourceGroups/([^/]{1,90})/providers/Microsoft\\.Compute/galleries/(${GALLERY})/images/(${IMAGE})/versions/(${VERSION})$`,
  'i'
)

export function parseGalleryImageId(input: string, value: string): GalleryImageVersion {
  const match = PATTERN.exec(value.trim().replace(/\/+$/, ''))
  if (!match || !RESOURCE_GROUP.test(match[2])) {
    throw new InputError(
      input,
      `'${value}' is not the resource ID of a gallery image version: /subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<gallery>/images/<definition>/versions/<major.minor.patch>.`,
      "Copy the Resource ID from the image version's page in the Azure portal (Properties), or `az sig image-version show --query id`."
    )
  }
  const [, subscriptionId, resourceGroup, gallery, image, version] = match
  return {
    resourceId: `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/${gallery}/images/${image}/versions/${version}`,
    subscriptionId: subscriptionId.toLowerCase(),
    resourceGroup,
    gallery,
    image,
    version
  }
}
