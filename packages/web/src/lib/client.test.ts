import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { multipart, route } from '@watchfloor/core';
import { ApiError } from './api';
import { cached, call, fresh, hrefOf } from './client';

/** Contracts of the kinds the API has, declared as core declares them. */
const detail = route({
  method: 'GET',
  path: '/api/things/:code/parts/:part',
  tags: ['test'],
  summary: 'A part of a thing',
  params: z.object({ code: z.string(), part: z.string() }),
  query: z.object({ at: z.string().optional(), limit: z.coerce.number().optional(), state: z.enum(['open', 'closed']).optional() }),
  response: z.object({ code: z.string(), state: z.enum(['open', 'closed']) }),
});
const change = route({
  method: 'POST',
  path: '/api/things/:code/state',
  tags: ['test'],
  summary: 'Change a thing',
  params: z.object({ code: z.string() }),
  body: z.object({ state: z.enum(['open', 'closed']), note: z.string().optional() }),
  statuses: [201],
  response: z.object({ code: z.string(), state: z.enum(['open', 'closed']) }),
});
const upload = route({ method: 'POST', path: '/api/things/:code/file', tags: ['test'], summary: 'Upload', params: z.object({ code: z.string() }), body: multipart('file'), response: z.object({ rows: z.number() }) });

interface Sent {
  url: string;
  init: RequestInit;
}

function answering(status: number, body: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}

afterEach(() => vi.unstubAllGlobals());

describe('the typed client', () => {
  it('builds a route’s URL from its contract: path parameters encoded, empty query values left out', () => {
    expect(hrefOf(detail, { params: { code: 'Phường 1/2', part: 'a' }, query: { at: '2020-01-01', limit: 5, state: undefined } })).toBe(
      '/api/things/Ph%C6%B0%E1%BB%9Dng%201%2F2/parts/a?at=2020-01-01&limit=5',
    );
    expect(() => hrefOf(detail, { params: { code: '', part: 'a' } })).toThrow(/missing path parameter code/);
  });

  it('sends a JSON body with the contract’s method and checks the answer against its schema', async () => {
    const sent = answering(201, { code: 'T1', state: 'closed' });
    const answer = await call(change, { params: { code: 'T1' }, body: { state: 'closed', note: 'xong' } });
    expect(answer).toEqual({ code: 'T1', state: 'closed' });
    expect(sent[0]!.url).toBe('/api/things/T1/state');
    expect(sent[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ state: 'closed', note: 'xong' });
    expect((sent[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('refuses an answer of another shape, an enum value included, as bad_response', async () => {
    answering(200, { code: 'T1', state: 'lost' });
    const err = await call(detail, { params: { code: 'T1', part: 'a' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('bad_response');
  });

  it('keeps the server’s error code, message and details', async () => {
    answering(409, { error: 'invalid_transition', message: 'closed already', details: { from: 'closed' } });
    const err = (await call(change, { params: { code: 'T1' }, body: { state: 'closed' } }).catch((e: unknown) => e)) as ApiError;
    expect([err.code, err.status, err.message, err.details]).toEqual(['invalid_transition', 409, 'closed already', { from: 'closed' }]);
  });

  it('sends an upload as multipart form data, leaving its content type to the browser', async () => {
    const sent = answering(200, { rows: 3 });
    const form = new FormData();
    form.set('file', new Blob(['a,b\n1,2\n']), 'x.csv');
    expect(await call(upload, { params: { code: 'S1' }, body: form })).toEqual({ rows: 3 });
    expect(sent[0]!.init.body).toBe(form);
    expect((sent[0]!.init.headers as Record<string, string>)['content-type']).toBeUndefined();
  });

  it('keeps answers per URL when cached, and reads afresh when fresh', async () => {
    const sent = answering(200, { code: 'T1', state: 'open' });
    const parts = cached(detail);
    const r = parts.request({ params: { code: 'T1', part: 'a' } });
    expect(r.peek()).toBeUndefined();
    await r.load();
    expect(parts.request({ params: { code: 'T1', part: 'a' } }).peek()).toEqual({ code: 'T1', state: 'open' });
    parts.clear();
    expect(r.peek()).toBeUndefined();
    const f = fresh(detail, { params: { code: 'T1', part: 'a' } });
    await f.load();
    await f.load();
    expect(f.peek()).toBeUndefined();
    expect(sent).toHaveLength(3);
  });
});
