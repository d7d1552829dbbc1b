// The test environment: Jest's node environment, plus a home for what the code under test writes to
// stdout. Commands run in-process write to the runner (@actions/core: `::debug::`, `::add-mask::`, log
// lines) on stdout, where Jest's own report never goes (it writes to stderr); those lines are kept while
// a test runs and shown, on stderr, only when the test or a hook fails. End-to-end runs are separate
// processes and are not affected: runAction captures their output.
const { Buffer } = require('node:buffer')
const process = require('node:process')
const { TestEnvironment } = require('jest-environment-node')

class RunnerOutputEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    this.held = []
    this.originalWrite = undefined
  }

  async setup() {
    await super.setup()
    const stdout = process.stdout
    this.originalWrite = stdout.write
    stdout.write = (chunk, encoding, callback) => {
      this.held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') process.nextTick(done)
      return true
    }
  }

  async teardown() {
    if (this.originalWrite) process.stdout.write = this.originalWrite
    this.originalWrite = undefined
    await super.teardown()
  }

  handleTestEvent(event) {
    if (event.name === 'test_start') this.held = []
    const failed =
      (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure'
    if (failed && this.held.length > 0) {
      const name = event.test ? event.test.name : `${event.hook.type} hook`
      process.stderr.write(
        `\n--- what "${name}" wrote to the runner (stdout) ---\n${this.held.join('')}--- end ---\n`
      )
    }
    if (event.name === 'test_done' || event.name === 'hook_failure') this.held = []
  }
}

module.exports = RunnerOutputEnvironment
