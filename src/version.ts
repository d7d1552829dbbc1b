import packageJson from '../package.json' with { type: 'json' }

/** The action's name and version, for the User-Agent header (marketplace engineering traces by it). */
export const ACTION_NAME = packageJson.name
/** From package.json, the one place the version is kept (a release bumps it there). */
export const ACTION_VERSION = packageJson.version
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION} (+https://github.com/marketplace/actions/partner-center-publish; node ${process.version})`
