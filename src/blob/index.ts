/** Streaming upload of a package to the blob SAS URL Partner Center hands out. */
export { uploadFileToSas, type UploadOptions, type UploadResult } from './upload.js'
export { describeSas, formatSas, type SasDescription } from './sas.js'
export { ChecksumAccumulator, DEFAULT_BLOCK_BYTES, fileChecksums, type FileChecksums } from './checksums.js'
