import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

/**
 * Cross-process notifications, the engine difference behind live updates:
 * on PostgreSQL, NOTIFY on a channel and LISTEN on one dedicated client per
 * process; SQLite runs in one process, so it has no notifier and the
 * in-process hub is enough. Payloads are small JSON (keys, never data):
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
 */
export interface Notifier {
  /** Sends `payload` to every listener of `channel`, this process's included. Call it after the commit: inside a transaction it is held until then. */
  notify(channel: string, payload: string): Promise<void>;
  /** Listens on `channel` over a dedicated connection, reconnecting with backoff until closed. */
  listen(channel: string, handlers: ListenHandlers): NotificationListener;
}

export interface ListenHandlers {
  onPayload(payload: string): void;
  /** The connection came up (again) or went down: after a gap, notifications may have been missed. */
  onState?(state: { listening: boolean; reconnected: boolean; error?: unknown }): void;
}

export interface NotificationListener {
  /** Resolves once LISTEN is in place the first time (or rejects after `timeoutMs`). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Largest payload sent; PostgreSQL's limit is 8,000 bytes. */
export const MAX_NOTIFY_BYTES = 7900;

/** A channel name scoped to a schema, so instances sharing a schema meet and tests on other schemas do not. */
export function notifyChannel(base: string, pgSchema?: string): string {
  const name = pgSchema ? `${base}_${pgSchema}` : base;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a usable channel name: ${name}`);
  return name;
}

export function postgresNotifier(db: Kysely<Database>, connectionString: string, options: { maxBackoffMs?: number } = {}): Notifier {
  return {
    async notify(channel, payload) {
      if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) throw new Error(`Notification payload of ${Buffer.byteLength(payload)} bytes is over ${MAX_NOTIFY_BYTES}`);
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    listen(channel, handlers) {
      return new PgListener(connectionString, notifyChannel(channel), handlers, options.maxBackoffMs ?? 30_000);
    },
  };
}

/** One pg client that LISTENs, replaced by a fresh one (after a growing pause) whenever it fails. */
class PgListener implements NotificationListener {
  private client: pg.Client | null = null;
  private closed = false;
  private attempt = 0;
  private everListened = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly firstListen: Promise<void>;
  private markReady: () => void = () => undefined;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly handlers: ListenHandlers,
    private readonly maxBackoffMs: number,
  ) {
    this.firstListen = new Promise((resolve) => {
      this.markReady = resolve;
    });
    void this.connect();
  }

  async ready(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`LISTEN ${this.channel} not in place after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.firstListen, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const c = new pg.Client({ connectionString: this.connectionString });
    let failed = false;
    const fail = (error?: unknown) => {
      if (failed) return;
      failed = true;
      if (this.client === c) this.client = null;
      void c.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers.onState?.({ listening: false, reconnected: false, error });
      const delay = Math.min(this.maxBackoffMs, 250 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
      this.attempt += 1;
      this.timer = setTimeout(() => void this.connect(), delay);
    };
    c.on('error', fail);
    c.on('end', () => fail());
    c.on('notification', (m) => {
      if (m.channel === this.channel && m.payload !== undefined) this.handlers.onPayload(m.payload);
    });
    try {
      await c.connect();
      await c.query(`listen "${this.channel}"`);
    } catch (e) {
      fail(e);
      return;
    }
    if (this.closed) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.attempt = 0;
    this.handlers.onState?.({ listening: true, reconnected: this.everListened });
    this.everListened = true;
    this.markReady();
  }
}
