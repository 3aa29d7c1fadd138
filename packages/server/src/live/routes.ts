import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, dataScope, liveApi, type DirectiveChangedEvent, type Identity, type LiveEvent } from '@watchfloor/core';
import { ALL_ROWS, DirectiveRepository, reaches, resolveScope, subjectOf, type ResolvedScope, type Store } from '@watchfloor/db';
import { serve } from '../http/serve';
import type { LiveHub, StampedEvent } from './hub';

/**
 * Whether a viewer may receive an event. Events about a case or an alert
 * reach only viewers whose read scope holds it (the public: public alerts
 * only), those about a directive document only its readers; the others
 * name codes of public reference data (indicators, places, months,
 * boards) and reach everyone, who re-reads through the API and its scope.
 */
export async function viewerMayReceive(store: Store, scope: ResolvedScope, isPublic: boolean, event: LiveEvent, subjectOfEvent: () => Promise<Subject | undefined>): Promise<boolean> {
  if (event.type === 'directive.changed') return directiveViewerMayReceive(store, scope, isPublic, event);
  if (event.type !== 'case.changed' && event.type !== 'alert.changed') return true;
  if (scope.kind === 'all') return true;
  const subject = await subjectOfEvent();
  if (!subject) return false;
  if (isPublic) return event.type === 'alert.changed' && subject.public;
  // An alert without a place (a late source) stands where its organisation is, as in the alert lists.
  return reaches(store.db, scope, { placeCode: subject.placeCode, orgCode: subject.orgCode, orgPlace: event.type === 'alert.changed' });
}

/**
 * A change to a directive document reaches everyone when the document is
 * (or was) published, as the document does; otherwise the viewers whose
 * read scope reaches the lead agency of a task concerned, as its tasks do.
 */
async function directiveViewerMayReceive(store: Store, scope: ResolvedScope, isPublic: boolean, event: DirectiveChangedEvent): Promise<boolean> {
  if (event.published || scope.kind === 'all') return true;
  if (isPublic || scope.kind === 'none') return false;
  let agencies = event.agencies;
  if (event.partial) {
    const repo = new DirectiveRepository(store.db);
    const doc = await repo.documentByNumber(event.document);
    agencies = doc ? [...new Set((await repo.tasks(ALL_ROWS, { documentIds: [doc.id] })).map((t) => t.task.lead))] : [];
  }
  for (const orgCode of agencies) if (await reaches(store.db, scope, { orgCode, orgPlace: true })) return true;
  return false;
}

type Subject = Awaited<ReturnType<typeof subjectOf>>;

/** How many events' subjects are remembered, so that every open stream judging one event shares one lookup. */
const SUBJECTS_KEPT = 256;

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How long EventSource waits before reconnecting (the `retry:` hint). */
export const RETRY_MS = 2_000;
/** Open anonymous streams per address when not configured (WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS), as the route's contract states it. */
export const ANONYMOUS_STREAMS_PER_ADDRESS = liveApi.ANONYMOUS_STREAMS_PER_ADDRESS;

export interface LiveRouteOptions {
  store: Store;
  heartbeatMs?: number;
  /** What a stream's credential stands for now, or null when it no longer works (the identity service's `current`). Without it, a stream keeps the identity it opened with. */
  recheck?: (identity: Identity) => Promise<Identity | null>;
  /** Open anonymous streams one address may hold; more are answered 429 `rate_limited`. */
  anonymousPerAddress?: number;
}

/**
 * GET /api/live: the Server-Sent Events stream of live events. Each event is
 * one `data:` line of JSON ({ type, … }, no `event:` name, so `onmessage`
 * sees them all) with an `id:` a reconnecting client sends back as
 * Last-Event-ID to get what it missed.
 */
export function liveRoutes(hub: LiveHub, options: LiveRouteOptions): FastifyPluginAsyncZod {
  const anonymousCap = options.anonymousPerAddress ?? ANONYMOUS_STREAMS_PER_ADDRESS;
  return async (app) => {
    const open = new Set<ServerResponse>();
    // Anonymous streams open per address: each holds a connection and a subscription, so one address may not hold them all.
    const anonymousOpen = new Map<string, number>();
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
    const release = (address: string) => {
      const n = (anonymousOpen.get(address) ?? 1) - 1;
      if (n <= 0) anonymousOpen.delete(address);
      else anonymousOpen.set(address, n);
    };
    // Open streams never go idle: end them, or closing the server would wait for them.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    serve(app, liveApi.events, async (req, reply) => {
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? req.query.lastEventId;
      const isPublic = req.identity.kind === 'anonymous';
      const address = req.ip;
      if (isPublic) {
        const n = anonymousOpen.get(address) ?? 0;
        if (n >= anonymousCap) throw new AppError('rate_limited', `At most ${anonymousCap} live streams may be open from one address without signing in`, { max: anonymousCap });
        anonymousOpen.set(address, n + 1);
      }
      let identity = req.identity;
      // The viewer's scope, judged again whenever access changes anywhere.
      let scope: ResolvedScope;
      try {
        scope = await resolveScope(options.store.db, dataScope(identity));
      } catch (e) {
        if (isPublic) release(address);
        throw e;
      }
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses unless told otherwise.
        'x-accel-buffering': 'no',
      });
      // Events are judged in turn, so they leave in the order they came; a new judgement of the credential waits its turn among them.
      let queue = Promise.resolve();
      let ended = false;
      const send = (s: StampedEvent) => {
        queue = queue
          .then(async () => {
            if (!ended && (await viewerMayReceive(options.store, scope, isPublic, s.event, subjectOfEvent(s)))) res.write(`id: ${s.id}\ndata: ${JSON.stringify(s.event)}\n\n`);
          })
          .catch((err: unknown) => req.log.warn({ err }, 'live event not judged; not sent'));
      };
      const recheck = options.recheck;
      // Every event queued after an access change is judged on the credential as it stands after it: a disabled user's stream receives nothing more.
      const judgeAgain = () => {
        if (isPublic || !recheck) return;
        queue = queue
          .then(async () => {
            if (ended) return;
            const now = await recheck(identity);
            if (now === null) {
              ended = true;
              res.end();
              return;
            }
            if (JSON.stringify(now.kind === 'anonymous' ? [] : now.roles) !== JSON.stringify(identity.kind === 'anonymous' ? [] : identity.roles)) scope = await resolveScope(options.store.db, dataScope(now));
            identity = now;
          })
          .catch((err: unknown) => {
            // A credential that cannot be judged is not trusted.
            req.log.warn({ err }, 'live stream credential not judged; stream ended');
            ended = true;
            res.end();
          });
      };
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      const unwatch = hub.watchAccess(judgeAgain);
      const sub = hub.subscribe(send, lastEventId);
      for (const s of sub.missed) send(s);
      // The heartbeat also notices a session that simply expired.
      const heartbeat = setInterval(() => {
        res.write(': heartbeat\n\n');
        judgeAgain();
      }, options.heartbeatMs ?? HEARTBEAT_MS);
      open.add(res);
      const done = () => {
        ended = true;
        clearInterval(heartbeat);
        unwatch();
        sub.unsubscribe();
        open.delete(res);
        if (isPublic) release(address);
      };
      // The response closes when the client goes away (or preClose ends it).
      res.once('close', done);
    });
  };
}
