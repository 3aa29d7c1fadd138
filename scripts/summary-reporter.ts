import type { Reporter, TestModule, TestSuite } from 'vitest/node';

/**
 * Ends a test run with one plain line, `N passed, N failed[, N skipped]`,
 * summing every test of every suite in the run (unit, both databases,
 * connectors, browser), for people and for CI to read. A file or suite that
 * failed outside any test (a failing beforeAll, an import error) counts as
 * one failure, so a broken setup can never pass as "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failedOutsideTests = (s: TestModule | TestSuite) =>
      s.state() === 'failed' && ![...s.children.allTests()].some((t) => t.result().state === 'failed');
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      const suites = [m, ...m.children.allSuites()];
      // Count the outermost broken suite only.
      for (const s of suites) {
        if (!failedOutsideTests(s)) continue;
        const parent = s.type === 'suite' ? s.parent : null;
        if (parent && failedOutsideTests(parent)) continue;
        failed++;
      }
    }
    failed += errors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
