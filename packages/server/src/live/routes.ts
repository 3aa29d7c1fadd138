import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIVE_EVENT_TYPES } from '@watchfloor/core';
import { errors } from '../http/schemas';
import type { LiveHub, StampedEvent } from './hub';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How long EventSource waits before reconnecting (the `retry:` hint). */
export const RETRY_MS = 2_000;

/**
 * GET /api/live: the Server-Sent Events stream of live events. Each event is
 * one `data:` line of JSON ({ type, … }, no `event:` name, so `onmessage`
 * sees them all) with an `id:` a reconnecting client sends back as
 * Last-Event-ID to get what it missed.
 */
export function liveRoutes(hub: LiveHub, options: { heartbeatMs?: number } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const open = new Set<ServerResponse>();
    // Open streams never go idle: end them, or closing the server would wait for them.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    app.get(
      '/api/live',
      {
        schema: {
          tags: ['system'],
          summary: 'Live updates: a text/event-stream of what changed (figures, cases), to refresh what is on screen',
          description:
            `A Server-Sent Events stream (text/event-stream), not JSON. Each event is \`id: <id>\` and \`data: <JSON>\` with \`type\` one of ${LIVE_EVENT_TYPES.join(', ')}; ` +
            'events name what changed (codes, ids), never the data: re-read it through the API. A comment line comes every 15 s; `retry:` sets the reconnect delay. ' +
            'Reconnect with the `Last-Event-ID` header (or `lastEventId`) to receive the events missed; when they are gone, a `resync` event says to refresh everything. ' +
            'With several instances on one PostgreSQL database, a change made through any of them arrives on every stream.',
          querystring: z.object({
            lastEventId: z.string().max(80).optional().describe('Resume after this event id (for clients that cannot set the Last-Event-ID header)'),
          }),
          response: {
            200: { description: 'A stream of events, not JSON', content: { 'text/event-stream': { schema: z.string().describe('Server-Sent Events') } } },
            ...errors(400),
          },
        },
      },
      async (req, reply) => {
        const header = req.headers['last-event-id'];
        const lastEventId = (Array.isArray(header) ? header[0] : header) ?? req.query.lastEventId;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // nginx buffers responses unless told otherwise.
          'x-accel-buffering': 'no',
        });
        const send = (s: StampedEvent) => res.write(`id: ${s.id}\ndata: ${JSON.stringify(s.event)}\n\n`);
        res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
        const sub = hub.subscribe(send, lastEventId);
        for (const s of sub.missed) send(s);
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
        open.add(res);
        const done = () => {
          clearInterval(heartbeat);
          sub.unsubscribe();
          open.delete(res);
        };
        // The response closes when the client goes away (or preClose ends it).
        res.once('close', done);
      },
    );
  };
}
