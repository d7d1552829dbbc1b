/** The Azure Application package: found, zipped if a folder, checked and hashed before any write. */
export { preparePackage, type PreparedPackage, type PrepareOptions } from './prepare.js'
export { MAX_PACKAGE_BYTES, MAX_TEMPLATE_BYTES } from './limits.js'
