import { randomBytes } from 'node:crypto';
import { liveEventSchema, type LiveEvent } from '@watchfloor/core';
import { notifyChannel, type NotificationListener, type Notifier, type Store } from '@watchfloor/db';

/** What a writer needs of the hub: tell open screens that something changed (after the commit). */
export interface LivePublisher {
  publish(event: LiveEvent): void;
}

/** An event as sent to screens: with the id a reconnecting client resumes from. */
export interface StampedEvent {
  id: string;
  event: LiveEvent;
}

export type LiveListener = (e: StampedEvent) => void;

export interface Subscription {
  /** Events after the client's Last-Event-ID, or one `resync` when they are no longer in the buffer. */
  missed: StampedEvent[];
  unsubscribe(): void;
}

/** The NOTIFY channel live events travel on, per schema. */
export const LIVE_CHANNEL = 'watchfloor_live';

/**
 * The in-process live-update hub: publishers hand it events, subscribers
 * (the /api/live streams) receive them with ids, and the last few are kept
 * in a ring so a client that reconnects with Last-Event-ID misses nothing.
 * Ids are `<instance>.<sequence>`: an id from another instance (behind a
 * load balancer) or one already out of the ring gets a `resync` instead.
 * With a notifier (PostgreSQL), events also go to and come from every
 * other instance on the same database.
 */
export class LiveHub implements LivePublisher {
  readonly instance = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly ring: StampedEvent[] = [];
  private readonly listeners = new Set<LiveListener>();
  private readonly observers = new Set<(event: LiveEvent) => void>();
  private readonly accessWatchers = new Set<() => void>();
  private fanOut: { notifier: Notifier; channel: string; listener: NotificationListener } | null = null;

  constructor(private readonly options: { bufferSize?: number; onError?: (message: string, error: unknown) => void } = {}) {}

  /**
   * Delivers `event` here and, with fan-out, to the other instances. Never
   * throws: the write it reports has already committed, so a bad event or a
   * failed NOTIFY is reported to `onError` and the request still succeeds.
   */
  publish(event: LiveEvent): void {
    const checked = liveEventSchema.safeParse(event);
    if (!checked.success) {
      this.options.onError?.('live event refused', checked.error);
      return;
    }
    const parsed = checked.data;
    this.deliver(parsed);
    for (const o of this.observers) {
      try {
        o(parsed);
      } catch (e) {
        this.options.onError?.('live observer failed', e);
      }
    }
    const f = this.fanOut;
    if (f) {
      f.notifier.notify(f.channel, JSON.stringify({ o: this.instance, e: parsed })).catch((e: unknown) => this.options.onError?.('live fan-out: NOTIFY failed', e));
    }
  }

  /**
   * Says that sessions or rights changed (a user disabled or demoted, a
   * session ended, a token revoked), here and on every other instance: open
   * streams judge their credential again. It names no one, so it can
   * travel beside the events without telling anybody whose access changed.
   */
  accessChanged(): void {
    this.accessChangedHere();
    const f = this.fanOut;
    if (f) f.notifier.notify(f.channel, JSON.stringify({ o: this.instance, a: 1 })).catch((e: unknown) => this.options.onError?.('live fan-out: NOTIFY failed', e));
  }

  /** Calls `watcher` whenever access changed anywhere; returns how to stop. */
  watchAccess(watcher: () => void): () => void {
    this.accessWatchers.add(watcher);
    return () => this.accessWatchers.delete(watcher);
  }

  private accessChangedHere(): void {
    for (const w of this.accessWatchers) {
      try {
        w();
      } catch (e) {
        this.options.onError?.('live access watcher failed', e);
      }
    }
  }

  subscribe(listener: LiveListener, lastEventId?: string): Subscription {
    this.listeners.add(listener);
    return { missed: lastEventId ? this.since(lastEventId) : [], unsubscribe: () => this.listeners.delete(listener) };
  }

  /**
   * In-process consumers (alert rules) of the events this process publishes:
   * not viewers, so not counted in `subscribers`, and not handed the events
   * of other instances, which those instances act on themselves.
   */
  observe(observer: (event: LiveEvent) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Number of open subscriptions (for tests and metrics). */
  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * Joins the instances on one PostgreSQL database: LISTEN on a dedicated
   * connection, NOTIFY on publish. Resolves once listening, so a test can
   * write through another instance right after.
   */
  async connect(notifier: Notifier, channel: string, timeoutMs = 10_000): Promise<void> {
    const listener = notifier.listen(channel, {
      onPayload: (payload) => this.receive(payload),
      onState: (s) => {
        if (!s.listening) this.options.onError?.('live fan-out: LISTEN connection lost, reconnecting', s.error);
        // Events from other instances may have gone by while the connection was down.
        else if (s.reconnected) this.deliver({ type: 'resync' });
      },
    });
    this.fanOut = { notifier, channel, listener };
    await listener.ready(timeoutMs);
  }

  /** Joins the other instances on the store's database when it has a notifier (PostgreSQL); on SQLite, nothing to do. */
  async joinThrough(store: Store, timeoutMs?: number): Promise<void> {
    if (store.notifier) await this.connect(store.notifier, notifyChannel(LIVE_CHANNEL, store.pgSchema), timeoutMs);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.accessWatchers.clear();
    const f = this.fanOut;
    this.fanOut = null;
    if (f) await f.listener.close();
  }

  private receive(payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('o' in message) || message.o === this.instance) return;
    if ('a' in message) {
      this.accessChangedHere();
      return;
    }
    if (!('e' in message)) return;
    const event = liveEventSchema.safeParse(message.e);
    if (event.success) this.deliver(event.data);
  }

  private deliver(event: LiveEvent): void {
    this.seq += 1;
    const stamped = { id: `${this.instance}.${this.seq}`, event };
    this.ring.push(stamped);
    if (this.ring.length > (this.options.bufferSize ?? 256)) this.ring.shift();
    for (const l of this.listeners) {
      try {
        l(stamped);
      } catch (e) {
        this.options.onError?.('live subscriber failed', e);
      }
    }
  }

  private since(lastEventId: string): StampedEvent[] {
    const [instance, n] = lastEventId.split('.');
    const seq = Number(n);
    const oldest = this.ring[0] ? Number(this.ring[0].id.split('.')[1]) : this.seq + 1;
    if (instance === this.instance && Number.isInteger(seq) && seq <= this.seq && seq >= oldest - 1) {
      return this.ring.filter((s) => Number(s.id.split('.')[1]) > seq);
    }
    return [{ id: `${this.instance}.${this.seq}`, event: { type: 'resync' } }];
  }
}

/**
 * The hub of a server process: on PostgreSQL joined to the other instances
 * through LISTEN/NOTIFY (one channel per schema); on SQLite in-process only.
 */
export async function createLiveHub(store: Store, options: { onError?: (message: string, error: unknown) => void; timeoutMs?: number } = {}): Promise<LiveHub> {
  const hub = new LiveHub({ onError: options.onError });
  await hub.joinThrough(store, options.timeoutMs);
  return hub;
}
