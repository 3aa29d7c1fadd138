import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { TEST_NOW } from '../testing';

/**
 * A client that cuts its connection in the middle of a body is no server
 * error: it is logged at info, without a stack, and nothing at error level.
 */
interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`connections cut mid-body on ${engine.engine}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let port = 0;
    const lines: LogLine[] = [];
    const waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
    beforeAll(async () => {
      store = await engine.open({ migrate: true });
      const ctx = { store, clock: fixedClock(TEST_NOW), config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'info', WATCHFLOOR_DEMO_DATA: 'false' }) };
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const text of chunk.toString().split('\n').filter(Boolean)) {
            const parsed: unknown = JSON.parse(text);
            if (typeof parsed !== 'object' || parsed === null) continue;
            const line: LogLine = { level: 'level' in parsed ? Number(parsed.level) : 0, msg: 'msg' in parsed ? String(parsed.msg) : '', ...('err' in parsed && typeof parsed.err === 'object' && parsed.err !== null ? { err: parsed.err } : {}) };
            lines.push(line);
            for (const w of waiters.filter((x) => x.test(line))) w.resolve(line);
          }
          done();
        },
      });
      app = await buildApp(ctx, { logStream: stream });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    const cutMidBody = (path: string, type: string) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 100000\r\n\r\n{"login":"someone","pass`, () => {
        // Cut once the server has had the headers and a piece of the body.
        setImmediate(() => socket.destroy());
      });
    };
    it('logs a sign-in cut mid-body at info, without a stack', async () => {
      lines.length = 0;
      const seen = new Promise<LogLine>((resolve) => waiters.push({ test: (l) => l.msg.includes('closed the connection'), resolve }));
      cutMidBody('/api/auth/sign-in', 'application/json');
      const line = await seen;
      expect(line.level).toBe(30);
      expect(line.err).toBeUndefined();
      // A later request is answered, and nothing was logged as an error.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    });
  });
}
