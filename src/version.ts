/** The action's name and version, for the User-Agent header (marketplace engineering traces by it). */
export const ACTION_NAME = 'partner-center-publish'
export const ACTION_VERSION = '0.1.0'
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION} (+https://github.com/marketplace/actions/partner-center-publish; node ${process.version})`
