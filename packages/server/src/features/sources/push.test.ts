import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, Run } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { openSourcesServer, pm25Rows } from './test-support';

const LIMIT = 1_000_000;

/** A body sent in pieces with no declared length, as a client streaming from a file or a cursor does. */
function streamed(pieces: string[], pauseMs = 0): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (i === pieces.length) return controller.close();
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      controller.enqueue(encoder.encode(pieces[i++]));
    },
  });
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`HTTP push over a real connection on ${engine.engine}`, () => {
    let s: TestServer;
    let base = '';
    let token = '';
    beforeAll(async () => {
      s = await openSourcesServer(engine, { WATCHFLOOR_PUSH_LIMIT_BYTES: String(LIMIT) });
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      const address = s.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'STREAM', name: 'Trạm', kind: 'http_push', ownerOrganisationCode: 'VL-SNNMT' } });
      token = r.json<{ token: string }>().token;
    });
    afterAll(async () => s?.close());

    const send = (body: ReadableStream<Uint8Array>, type = 'application/x-ndjson') =>
      fetch(`${base}/api/sources/STREAM/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body, duplex: 'half' } as RequestInit);
    const count = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('reads a chunked NDJSON body as it arrives, rows cut anywhere between chunks', async () => {
      const text = (await pm25Rows(s, 6000)).map((r) => JSON.stringify(r)).join('\n');
      // Pieces of 997 characters: rows and even multi-byte characters are cut in the middle.
      const pieces = Array.from({ length: Math.ceil(text.length / 997) }, (_, i) => text.slice(i * 997, (i + 1) * 997));
      const r = await send(streamed(pieces));
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'succeeded', rowsRead: 6000, accepted: 6000, created: 6000 });
      expect(await count()).toBe(6000);
    });

    it('stops a body that grows past the limit with 413, keeping the whole batches before it and no half batch', async () => {
      const before = await count();
      const rows = await pm25Rows(s, 16_000);
      // Rows from 6000 on are new; at ~70 bytes a row the limit falls within the third batch of 5,000.
      const text = rows.map((r) => JSON.stringify({ ...r, value: r.value + 1 })).join('\n');
      expect(text.length).toBeGreaterThan(LIMIT);
      const pieces = Array.from({ length: Math.ceil(text.length / 50_000) }, (_, i) => text.slice(i * 50_000, (i + 1) * 50_000));
      const r = await send(streamed(pieces, 5)).catch((e: unknown) => e);
      let runId: number;
      let committed: number;
      if (r instanceof Response) {
        expect(r.status).toBe(413);
        const body = (await r.json()) as { error: string; details: { runId: number; rowsAccepted: number; checkpoint: { rows: number } } };
        expect(body.error).toBe('body_too_large');
        runId = body.details.runId;
        committed = body.details.checkpoint.rows;
      } else {
        // The server answers 413 and closes the connection without reading the rest of the body; a client still
        // writing may see the connection reset before it reads the answer (as behind any server that refuses a
        // body early). What the server kept is then told by the source's last run.
        expect(String((r as Error & { cause?: { code?: string } }).cause?.code)).toMatch(/EPIPE|ECONNRESET|UND_ERR_SOCKET/);
        const last = (await s.app.inject('/api/sources/STREAM/runs?limit=1')).json<{ runs: Run[] }>().runs[0]!;
        runId = last.id;
        committed = last.checkpoint?.rows ?? 0;
      }
      expect(committed % 5000).toBe(0);
      expect(committed).toBeGreaterThanOrEqual(5000);
      // The first 6,000 rows were revised, not duplicated; only whole batches of new rows were added.
      expect(await count()).toBe(before + (committed - 6000));
      const run = (await s.app.inject(`/api/runs/${runId}`)).json<Run>();
      expect(run).toMatchObject({ status: 'failed', rowsAccepted: committed, checkpoint: { rows: committed } });
      expect(run.error).toMatch(/larger than the 1000000 bytes/);
    });

    it('ends with exactly the rows sent when the client retries after a failure', async () => {
      const rows = (await pm25Rows(s, 14_000)).map((r) => ({ ...r, value: r.value + 1 }));
      // The client sends the same rows again, in two requests under the limit.
      for (const part of [rows.slice(0, 7000), rows.slice(7000)]) {
        const r = await send(streamed([part.map((x) => JSON.stringify(x)).join('\n')]));
        expect(r.status).toBe(200);
        expect(((await r.json()) as IngestResult).rejected).toBe(0);
      }
      expect(await count()).toBe(14_000);
      const stored = await s.store.db.selectFrom('observation').select((eb) => eb.fn.sum<number>('value').as('v')).executeTakeFirstOrThrow();
      expect(Number(stored.v)).toBe(rows.reduce((a, r) => a + r.value, 0));
    });
  });
}
