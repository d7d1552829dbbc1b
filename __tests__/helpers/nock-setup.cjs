// Loaded before each test file's module graph: nock must patch node's http/https before any ES
// module imports them, because jest hands ES modules a snapshot of a core module's exports (and
// node's own ES namespaces of built-ins follow patches only after syncBuiltinESMExports).
require('nock')
require('node:module').syncBuiltinESMExports()
