// Runs after the test framework is installed in each test file. Every test file loads its own nock
// (nock-setup.cjs), which patches node's shared http module; left in place, the next file's nock would
// wrap this one, and this file's interceptor would go on being called after Jest has cleaned up the
// file's globals (the "'emitter' property was accessed … after it was soft deleted" warnings). So each
// file takes its patch off when it ends.
const { afterAll } = require('@jest/globals')
const nock = require('nock')
afterAll(() => {
  nock.restore()
  require('node:module').syncBuiltinESMExports()
})
