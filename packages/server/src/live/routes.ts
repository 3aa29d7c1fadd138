import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, LIVE_EVENT_TYPES, type LiveEvent } from '@watchfloor/core';
import { reaches, resolveScope, subjectOf, type ResolvedScope, type Store } from '@watchfloor/db';
import { errors } from '../http/schemas';
import type { LiveHub, StampedEvent } from './hub';

/**
 * Whether a viewer may receive an event. Events about a case or an alert
 * reach only viewers whose read scope holds it (the public: public alerts
 * only); the others name codes of public reference data (indicators,
 * places, months, boards) and reach everyone, who re-reads through the
 * API and its scope.
 */
export async function viewerMayReceive(store: Store, scope: ResolvedScope, isPublic: boolean, event: LiveEvent, subjectOfEvent: () => Promise<Subject | undefined>): Promise<boolean> {
  if (event.type !== 'case.changed' && event.type !== 'alert.changed') return true;
  if (scope.kind === 'all') return true;
  const subject = await subjectOfEvent();
  if (!subject) return false;
  if (isPublic) return event.type === 'alert.changed' && subject.public;
  // An alert without a place (a late source) stands where its organisation is, as in the alert lists.
  return reaches(store.db, scope, { placeCode: subject.placeCode, orgCode: subject.orgCode, orgPlace: event.type === 'alert.changed' });
}

type Subject = Awaited<ReturnType<typeof subjectOf>>;

/** How many events' subjects are remembered, so that every open stream judging one event shares one lookup. */
const SUBJECTS_KEPT = 256;

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
export function liveRoutes(hub: LiveHub, options: { store: Store; heartbeatMs?: number }): FastifyPluginAsyncZod {
  return async (app) => {
    const open = new Set<ServerResponse>();
    // Where the case or alert of each recent event stands, looked up once for all viewers.
    const subjects = new Map<string, Promise<Subject>>();
    const subjectOfEvent = (s: StampedEvent) => (): Promise<Subject> => {
      let found = subjects.get(s.id);
      if (!found) {
        const e = s.event;
        found = e.type === 'case.changed' ? subjectOf(options.store.db, 'case', e.id) : e.type === 'alert.changed' ? subjectOf(options.store.db, 'alert', e.id) : Promise.resolve(undefined);
        subjects.set(s.id, found);
        // A failed lookup is not remembered: the next viewer tries again.
        found.catch(() => subjects.delete(s.id));
        // The oldest goes first (a Map keeps insertion order).
        if (subjects.size > SUBJECTS_KEPT) subjects.delete(subjects.keys().next().value!);
      }
      return found;
    };
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
        // The viewer's scope, fixed for the life of the stream (a change of roles takes effect on reconnecting).
        const scope = await resolveScope(options.store.db, dataScope(req.identity));
        const isPublic = req.identity.kind === 'anonymous';
        const res = reply.raw;
        reply.hijack();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // nginx buffers responses unless told otherwise.
          'x-accel-buffering': 'no',
        });
        // Events are judged in turn, so they leave in the order they came.
        let queue = Promise.resolve();
        const send = (s: StampedEvent) => {
          queue = queue
            .then(async () => {
              if (await viewerMayReceive(options.store, scope, isPublic, s.event, subjectOfEvent(s))) res.write(`id: ${s.id}\ndata: ${JSON.stringify(s.event)}\n\n`);
            })
            .catch((err: unknown) => req.log.warn({ err }, 'live event not judged; not sent'));
        };
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
