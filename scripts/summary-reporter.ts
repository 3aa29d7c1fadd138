import { existsSync } from 'node:fs';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * A service a test suite may need, which CI provides. When CI provides it,
 * a suite skipped for lack of it is a failure: it means the suite looked for
 * the service somewhere CI does not put it, and a green run would hide that
 * none of its tests ran.
 */
export interface ServiceNeed {
  /** What to call it in the failure line. */
  service: string;
  /** Whether the run has it (CI set its address, or it is installed). */
  provided: boolean;
  /** A suite or test needs it when its name matches (suites say which engine or broker they run on). */
  named?: RegExp;
  /** A test file needs it when its path (relative to the project) matches. */
  path?: RegExp;
}

/** A test file, suite or test as the rule sees it: enough to be built from vitest's reported tasks or by hand in a test. */
export interface SkipNode {
  name: string;
  kind: 'module' | 'suite' | 'test';
  /** For a test: it was skipped. For a file or suite: derived from its tests. */
  skipped?: boolean;
  children?: SkipNode[];
}

/**
 * The services of the test environment: PostgreSQL, MySQL and the MQTT
 * broker when their WATCHFLOOR_TEST_* address is set, Chromium when it is
 * installed where the browser tests look for it. Only under CI=true: run by
 * hand, a missing service is a reason to skip, not to fail.
 */
export function servicesOfEnvironment(env: Record<string, string | undefined>, chromiumInstalled: boolean): ServiceNeed[] {
  if (env.CI !== 'true') return [];
  return [
    { service: 'PostgreSQL (WATCHFLOOR_TEST_PG_URL)', provided: Boolean(env.WATCHFLOOR_TEST_PG_URL), named: /postgres/i },
    { service: 'MySQL (WATCHFLOOR_TEST_MYSQL_URL)', provided: Boolean(env.WATCHFLOOR_TEST_MYSQL_URL), named: /mysql/i },
    { service: 'the MQTT broker (WATCHFLOOR_TEST_MQTT_URL)', provided: Boolean(env.WATCHFLOOR_TEST_MQTT_URL), named: /mqtt/i },
    { service: 'Chromium', provided: chromiumInstalled, path: /^e2e\// },
  ];
}

const tests = (n: SkipNode): SkipNode[] => (n.kind === 'test' ? [n] : (n.children ?? []).flatMap(tests));

/**
 * The files and suites that were skipped whole although every service they
 * need was provided, each as "<path> > <suite> ...: <services>". Only the
 * outermost such one counts, so a skipped file is one failure, not one per
 * test. A suite needs a service when its name or an enclosing suite's
 * (or, for a file, its path) says so; a skip that names no service, a lone
 * test skipped in a suite that ran (for one engine only, say), and a suite
 * that needs a service the run does not have are left alone.
 */
export function skippedDespiteServices(modules: readonly SkipNode[], services: readonly ServiceNeed[]): string[] {
  const out: string[] = [];
  const visit = (node: SkipNode, trail: string[], inherited: readonly ServiceNeed[]) => {
    const own = services.filter((s) => (node.kind === 'module' ? s.path?.test(node.name) : s.named?.test(node.name)));
    const needs = [...new Set([...inherited, ...own])];
    const here = [...trail, node.name];
    const all = tests(node);
    // Files and suites only: a single test skipped inside a suite that ran is a choice (one engine only), not a missing service.
    if (node.kind !== 'test' && needs.length > 0 && all.length > 0 && all.every((t) => t.skipped) && needs.every((s) => s.provided)) {
      out.push(`${here.join(' > ')}: skipped although CI provides ${needs.map((s) => s.service).join(' and ')}`);
      return;
    }
    for (const child of node.children ?? []) visit(child, here, needs);
  };
  for (const m of modules) visit(m, [], []);
  return out;
}

/** The reported vitest task as a SkipNode. */
function toNode(task: TestModule | TestSuite | TestCase): SkipNode {
  if (task.type === 'test') return { name: task.name, kind: 'test', skipped: task.result().state === 'skipped' };
  return {
    name: task.type === 'module' ? task.relativeModuleId : task.name,
    kind: task.type,
    children: [...task.children].map(toNode),
  };
}

const CHROMIUM = process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Ends a test run with one plain line, `N passed, N failed[, N skipped]`,
 * summing every test of every suite in the run (unit, both databases,
 * connectors, browser), for people and for CI to read. A file or suite that
 * failed outside any test (a failing beforeAll, an import error) counts as
 * one failure, so a broken setup can never pass as "0 failed"; so does a
 * file that never finished (named, with how many of its tests never
 * reported), and, under CI, a file or suite skipped for lack of a service
 * CI provides.
 */
/**
 * The files whose run never ended (their worker process exited, say), each as
 * "<path>: K of N tests never reported". Their tests are neither passed nor
 * skipped, and vitest's own summary names no file: this line does.
 */
export function unfinishedModules(modules: ReadonlyArray<{ name: string; tests: ReadonlyArray<{ state: string }> }>): string[] {
  return modules.flatMap((m) => {
    const open = m.tests.filter((t) => t.state === 'pending').length;
    return open > 0 ? [`${m.name}: ${open} of ${m.tests.length} tests never reported`] : [];
  });
}

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
        else if (state === 'skipped') skipped++;
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
    const unfinished = unfinishedModules(modules.map((m) => ({ name: m.relativeModuleId, tests: [...m.children.allTests()].map((t) => ({ state: t.result().state })) })));
    for (const line of unfinished) process.stdout.write(`\nFAILED (did not finish) ${line}`);
    failed += unfinished.length;
    if (unfinished.length > 0) process.exitCode = 1;
    const unserved = skippedDespiteServices(modules.map(toNode), servicesOfEnvironment(process.env, existsSync(CHROMIUM)));
    for (const line of unserved) process.stdout.write(`\nFAILED (skipped) ${line}`);
    failed += unserved.length;
    if (unserved.length > 0) process.exitCode = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
