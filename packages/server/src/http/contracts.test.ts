import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { ROUTE_POLICY } from './policy';

/** Routes that are not the API: the description of the API itself and the web app's files. */
const NOT_API = /^(\/api\/docs|\/api\/openapi\.json$|\/\*$|\/assets\/)/;

const [engine] = testEngines();

describe.skipIf(!engine || engine.skip)('the route contracts', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await openTestServer(engine!);
  });
  afterAll(async () => s?.close());

  const key = (method: string, path: string) => `${method} ${path}`;

  it('are what the server serves: every route of the API registered from its contract, every contract registered once', () => {
    const served = s.app.routeTable.filter((r) => !NOT_API.test(r.url)).map((r) => key(r.method, r.url));
    const declared = CONTRACTS.map((c) => key(c.method, c.path));
    expect(new Set(declared).size).toBe(declared.length);
    expect([...served].sort()).toEqual([...declared].sort());
  });

  it('each name who may call it in the access table', () => {
    for (const c of CONTRACTS) expect(ROUTE_POLICY[key(c.method, c.path)], key(c.method, c.path)).toBeDefined();
  });

  it('each name one path parameter schema field per :name in its path, and nothing else', () => {
    for (const c of CONTRACTS) {
      const names = [...c.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      expect(Object.keys(c.params?.shape ?? {}).sort(), key(c.method, c.path)).toEqual(names);
    }
  });
});
