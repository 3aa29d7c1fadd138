import { afterEach, describe, expect, it, vi } from 'vitest';
import { childrenGeometryRequest } from './preload';

const ANSWER = { type: 'FeatureCollection', bbox: [105.6, 9.5, 106.8, 10.4], features: [], missing: [] };

function stubFetch() {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Response(JSON.stringify(ANSWER), { status: 200, headers: { 'content-type': 'application/geo+json' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the boundaries of the map, loaded once', () => {
  it('shares a load under way: the panel asking while the place screen preloads makes no second request', async () => {
    const calls = stubFetch();
    const first = childrenGeometryRequest('86', '2025-08-01');
    const second = childrenGeometryRequest('86', '2025-08-01');
    expect(second.url).toBe(first.url);
    const [a, b] = await Promise.all([first.load(), second.load()]);
    expect(calls).toEqual(['/api/places/86/children/geometry?at=2025-08-01']);
    expect(a).toBe(b);
    // Once loaded, the answer is the API client's, kept for the session.
    expect(childrenGeometryRequest('86', '2025-08-01').peek()).toBe(a);
  });

  it('loads another date or place apart, and again after a failure', async () => {
    const calls = stubFetch();
    await childrenGeometryRequest('87', '2025-08-01').load();
    await childrenGeometryRequest('87', '2020-01-01').load();
    expect(calls).toEqual(['/api/places/87/children/geometry?at=2025-08-01', '/api/places/87/children/geometry?at=2020-01-01']);

    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: 'internal_error', message: 'down' }), { status: 500 }));
    await expect(childrenGeometryRequest('88').load()).rejects.toMatchObject({ code: 'internal_error' });
    const retry = stubFetch();
    await childrenGeometryRequest('88').load();
    expect(retry).toEqual(['/api/places/88/children/geometry']);
  });
});
