// @actions/http-client imports undici at its top level only for ProxyAgent, which serves fetch()
// users through getAgentDispatcher(). The action sends every request through http-client's own
// agents (proxies go through `tunnel`), so undici is dead weight: stubbing it halves dist/index.js
// and takes about a quarter off start-up (docs/performance.md). Anything that did reach for it
// would fail loudly here rather than misbehave.
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not part of the partner-center-publish bundle (ProxyAgent is unused).')
  }
}
