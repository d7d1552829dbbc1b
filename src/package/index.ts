/** The Azure Application package: found, zipped if a folder, checked and hashed before any write. */
export { preparePackage, type PackageEntry, type PreparedPackage, type PrepareOptions } from './prepare.js'
export { IGNORE_FILE } from './ignore.js'
export { MAX_PACKAGE_BYTES, MAX_PACKAGE_ENTRIES, MAX_TEMPLATE_BYTES } from './limits.js'
