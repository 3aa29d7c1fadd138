import { describe, expect, it } from 'vitest';
import { servicesOfEnvironment, skippedDespiteServices, unfinishedModules, type SkipNode } from './summary-reporter';

const test = (name: string, skipped: boolean): SkipNode => ({ name, kind: 'test', skipped });
const suite = (name: string, children: SkipNode[]): SkipNode => ({ name, kind: 'suite', children });
const file = (name: string, children: SkipNode[]): SkipNode => ({ name, kind: 'module', children });

const CI = { CI: 'true', WATCHFLOOR_TEST_PG_URL: 'postgres://postgres@127.0.0.1:5432/test', WATCHFLOOR_TEST_MQTT_URL: 'mqtt://127.0.0.1:1883' };

/** The shape testEngines() gives a database test file: one suite per engine. */
const engines = (pgSkipped: boolean) =>
  file('packages/server/src/features/places/routes.test.ts', [
    suite('place API on sqlite', [test('lists the communes', false)]),
    suite('place API on postgres', [test('lists the communes', pgSkipped)]),
  ]);

describe('the summary reporter under CI', () => {
  it('fails a PostgreSQL suite that was skipped although CI set WATCHFLOOR_TEST_PG_URL', () => {
    expect(skippedDespiteServices([engines(true)], servicesOfEnvironment(CI, true))).toEqual([
      'packages/server/src/features/places/routes.test.ts > place API on postgres: skipped although CI provides PostgreSQL (WATCHFLOOR_TEST_PG_URL)',
    ]);
    expect(skippedDespiteServices([engines(false)], servicesOfEnvironment(CI, true))).toEqual([]);
  });

  it('lets a suite skip for a service CI does not provide, and everything skip when not under CI', () => {
    const mysql = file('packages/connectors/src/sql-pull/sql-pull.test.ts', [suite('SQL pull from mysql', [test('reads rows', true)])]);
    expect(skippedDespiteServices([mysql], servicesOfEnvironment(CI, true))).toEqual([]);
    const { CI: _ci, ...byHand } = CI;
    expect(skippedDespiteServices([engines(true)], servicesOfEnvironment(byHand, true))).toEqual([]);
  });

  it('fails a browser test file skipped while Chromium is installed, once for the file', () => {
    const wall = file('e2e/wall.test.ts', [suite('the video wall in a browser', [test('rotates', true), test('goes live', true)])]);
    expect(skippedDespiteServices([wall], servicesOfEnvironment(CI, true))).toEqual([
      'e2e/wall.test.ts: skipped although CI provides Chromium',
    ]);
    expect(skippedDespiteServices([wall], servicesOfEnvironment(CI, false))).toEqual([]);
  });

  it('leaves alone a test skipped on purpose inside a suite that ran (one engine only)', () => {
    const pgOnly = file('packages/server/src/features/pulls/sql-pull.test.ts', [
      suite('sql_pull sources stored on sqlite', [test('stores a pull', false), test("refuses Watchfloor's own PostgreSQL database", true)]),
    ]);
    expect(skippedDespiteServices([pgOnly], servicesOfEnvironment(CI, true))).toEqual([]);
  });

  it('needs every service a suite names: MQTT on PostgreSQL skips when only the broker is provided', () => {
    const mqtt = file('packages/server/src/features/stations/mqtt.test.ts', [suite('MQTT channel on postgres', [test('stores readings', true)])]);
    const brokerOnly = { CI: 'true', WATCHFLOOR_TEST_MQTT_URL: 'mqtt://127.0.0.1:1883' };
    expect(skippedDespiteServices([mqtt], servicesOfEnvironment(brokerOnly, true))).toEqual([]);
    expect(skippedDespiteServices([mqtt], servicesOfEnvironment(CI, true))).toHaveLength(1);
  });
});

describe('a file whose worker exited', () => {
  it('is named with the tests that never reported; files that ended, even skipped, are not', () => {
    const modules = [
      { name: 'packages/db/src/a.test.ts', tests: [{ state: 'passed' }, { state: 'pending' }, { state: 'pending' }] },
      { name: 'packages/db/src/b.test.ts', tests: [{ state: 'passed' }, { state: 'skipped' }, { state: 'failed' }] },
    ];
    expect(unfinishedModules(modules)).toEqual(['packages/db/src/a.test.ts: 2 of 3 tests never reported']);
  });
});
