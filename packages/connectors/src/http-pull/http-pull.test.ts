import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, httpPullConfigSchema, parseOutboundAllow } from '@watchfloor/core';
import { OutboundGuard } from '../outbound/index';
import type { ReadRow } from '../rows';
import { httpPullConnector } from './index';

/** A local API whose answer per request the test decides. */
let server: Server;
let base = '';
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_req, _body, res) => res.end('{}');
const seen: { url: string; body: string; headers: IncomingMessage['headers'] }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body, headers: req.headers });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** The test's peer listens on loopback: allowed, as an administrator would list it. */
const local = new OutboundGuard(parseOutboundAllow('127.0.0.1').allow);

const config = (extra: Record<string, unknown>) => httpPullConfigSchema.parse({ kind: 'http', url: `${base}/feed`, records: 'data', ...extra });

async function readAll(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const failure = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
};

describe('HTTP pull connector', () => {
  it('follows page tokens; rows resume at their page, the last of each at the next one', async () => {
    seen.length = 0;
    const pages: Record<string, { data: unknown[]; next?: string }> = {
      '': { data: [{ v: 1 }, { v: 2 }], next: 'p2' },
      p2: { data: [{ v: 3 }], next: 'p3' },
      p3: { data: [] },
    };
    handler = (req, _b, res) => res.end(JSON.stringify(pages[new URL(req.url ?? '', base).searchParams.get('page') ?? '']));
    const rows = await readAll(httpPullConnector(config({ cursorParam: 'page', nextCursor: 'next' }), null, local).read(null, new AbortController().signal));
    expect(rows.map((r) => [r.line, r.value, r.cursor])).toEqual([
      [1, { v: 1 }, undefined],
      [2, { v: 2 }, 'p2'],
      [3, { v: 3 }, 'p3'],
    ]);
    expect(seen.map((s) => s.url)).toEqual(['/feed', '/feed?page=p2', '/feed?page=p3']);
  });

  it('fills the cursor and credentials into a POST body, escaped for JSON, and stops at maxPages', async () => {
    seen.length = 0;
    handler = (_req, body, res) => res.end(JSON.stringify({ data: [{ since: (JSON.parse(body) as { since: string }).since }], next: 'a"b' }));
    const c = config({ method: 'POST', body: '{"since": "{{cursor}}", "key": "{{credentials.key}}"}', nextCursor: 'next', maxPages: 2 });
    const rows = await readAll(httpPullConnector(c, { key: 'k\\1' }, local).read('x"y', new AbortController().signal));
    expect(rows.map((r) => r.value)).toEqual([{ since: 'x"y' }, { since: 'a"b' }]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ since: 'x"y', key: 'k\\1' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('refuses answers over maxBytes, records that are not a list, and unknown credentials', async () => {
    handler = (_req, _b, res) => res.end(JSON.stringify({ data: 'x'.repeat(5000) }));
    const signal = new AbortController().signal;
    expect(await failure(readAll(httpPullConnector(config({ maxBytes: 1024 }), null, local).read(null, signal)))).toMatchObject({ code: 'source_bad_answer', message: /larger than 1024 bytes/ });
    expect(await failure(readAll(httpPullConnector(config({}), null, local).read(null, signal)))).toMatchObject({ code: 'source_bad_answer', message: /not a list of records/ });
    const c = config({ headers: { Authorization: 'Bearer {{credentials.token}}' } });
    expect(await failure(readAll(httpPullConnector(c, {}, local).read(null, signal)))).toMatchObject({ code: 'invalid_pull_config', message: /credentials\.token/ });
  });

  it('takes a single record for a list of one (JSONata gives it unwrapped)', async () => {
    handler = (_req, _b, res) => res.end(JSON.stringify({ items: [{ a: 1 }] }));
    const rows = await readAll(httpPullConnector(config({ records: 'items.{ "value": a }' }), null, local).read(null, new AbortController().signal));
    expect(rows.map((r) => r.value)).toEqual([{ value: 1 }]);
  });

  it('refuses a peer on an inside address unless allowed, before any request', async () => {
    handler = (_req, _b, res) => res.end(JSON.stringify({ data: [{ a: 1 }] }));
    const before = seen.length;
    const refused = await failure(readAll(httpPullConnector(config({}), null).read(null, new AbortController().signal)));
    expect(refused).toMatchObject({ code: 'outbound_not_allowed', message: expect.stringContaining('WATCHFLOOR_OUTBOUND_ALLOW') as unknown as string });
    expect(seen.length).toBe(before);
    expect(await readAll(httpPullConnector(config({}), null, local).read(null, new AbortController().signal))).toHaveLength(1);
  });

  it('follows a redirect to another host without the credentials stored for the first', async () => {
    handler = (req, _b, res) => {
      if (req.url?.startsWith('/feed')) res.writeHead(301, { location: `http://localhost:${new URL(base).port}/moved` }).end();
      else res.end(JSON.stringify({ data: [{ a: 1 }] }));
    };
    const before = seen.length;
    const c = config({ headers: { Authorization: 'Bearer {{credentials.token}}' } });
    const rows = await readAll(httpPullConnector(c, { token: 's3cret' }, new OutboundGuard(parseOutboundAllow('127.0.0.1,localhost').allow)).read(null, new AbortController().signal));
    expect(rows).toHaveLength(1);
    expect(seen.slice(before).map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/feed', 'Bearer s3cret'],
      ['/moved', undefined],
    ]);
  });

  it('refuses an expression that is not JSONata before any request, naming it', () => {
    expect(() => httpPullConnector(config({ nextCursor: 'next[' }), null, local)).toThrow(expect.objectContaining({ code: 'invalid_pull_config', details: { field: 'nextCursor' } }));
  });
});
