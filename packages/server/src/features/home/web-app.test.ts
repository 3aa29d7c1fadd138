import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../http/errors';
import { webAppRoutes } from './web-app';

describe('serving the built web app', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><html lang="vi"><script type="module" src="/assets/index-abc123.js"></script></html>');
    await writeFile(join(dir, 'assets/index-abc123.js'), 'console.log("app")');
    await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = Fastify();
    installErrorHandling(app);
    app.get('/api/places/:code', async () => ({ code: '86' }));
    await app.register(webAppRoutes(dir));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and at every screen path, so shared URLs open directly', async () => {
    for (const url of ['/', '/p/86', '/p/29242/i/PS_ON_TIME_RATE?period=2026-10&at=2020-06-30']) {
      const r = await app.inject(url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('/assets/index-abc123.js');
    }
  });

  it('serves hashed assets for good, and the files at the top of the build', async () => {
    const js = await app.inject('/assets/index-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    const icon = await app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('leaves the API alone: its routes answer, an unknown one is a coded 404 and never the app', async () => {
    expect((await app.inject('/api/places/86')).json()).toEqual({ code: '86' });
    for (const url of ['/api/nothing-here', '/api', '/metrics/x', '/healthz/deep']) {
      const r = await app.inject(url);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'not_found' });
    }
    const missingAsset = await app.inject('/assets/gone-000.js');
    expect(missingAsset.statusCode).toBe(404);
  });

  it('serves a rebuilt index.html without a restart', async () => {
    await writeFile(join(dir, 'index.html'), '<!doctype html><html lang="vi"><script type="module" src="/assets/index-def456.js"></script></html>');
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'index.html'), later, later);
    expect((await app.inject('/')).body).toContain('index-def456.js');
  });
});
