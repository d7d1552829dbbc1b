// Prints one plain closing line, "tests: N passed, N failed, N skipped", that CI systems read.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    console.log(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`
    )
  }
}
module.exports = SummaryReporter
