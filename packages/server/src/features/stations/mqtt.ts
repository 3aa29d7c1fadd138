import { randomBytes } from 'node:crypto';
import { sourceMappingSchema, type MqttConfig, type RunStatus } from '@watchfloor/core';
import { ALL_ROWS, LeasesRepository, RunsRepository, SourcesRepository, type SourceRecord } from '@watchfloor/db';
import { cutRaw, MqttSubscription, OutboundGuard, type MqttMessage, type MqttSubscriptionOptions } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { decryptCredentials } from '../sources/secrets';
import { ReadingsIngest, type ReadingRow } from '../ingest/readings';

export interface MqttChannelOptions {
  /** This instance's name in leases (random by default). */
  instance?: string;
  /** How long a held subscription lease lasts without renewal. */
  leaseMs?: number;
  /** How often sources are looked at, leases renewed and runs' heartbeats written. */
  tickMs?: number;
  /** Passed to each subscription (batching, reconnect delay). */
  subscription?: Partial<MqttSubscriptionOptions>;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Told after each committed batch (before its messages are acknowledged): the source, its messages and readings. */
  onCommitted?(source: string, messages: number, readings: number): void;
}

interface Session {
  source: string;
  config: MqttConfig;
  runId: number;
  startedMs: number;
  subscription: MqttSubscription;
  /** Readings handed over in this run: the index of the next one. */
  index: number;
  rejected: number;
}

/** A message's readings: one, an array, or `{ readings: [...] }`; anything else one `invalid_payload` row. */
export function messageRows(m: MqttMessage): ReadingRow[] {
  const text = m.payload.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [{ line: null, raw: cutRaw(text), problem: { reason: 'invalid_payload', message: `Topic ${m.topic}: the message is not JSON` } }];
  }
  // Each reading is checked on its own later, so a bad one is refused with what is wrong with it.
  const items: unknown[] = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && Array.isArray((doc as { readings?: unknown }).readings) ? (doc as { readings: unknown[] }).readings : [doc];
  if (items.length === 0) return [{ line: null, raw: cutRaw(text), value: doc, problem: { reason: 'invalid_payload', message: `Topic ${m.topic}: the message holds no readings` } }];
  return items.map((value) => ({ line: null, raw: items.length === 1 ? cutRaw(text) : cutRaw(JSON.stringify(value)), value }));
}

/** The MQTT configuration of a source, when it is an enabled MQTT source with one. */
function mqttConfigOf(s: SourceRecord): MqttConfig | null {
  if (s.kind !== 'mqtt' || !s.enabled) return null;
  const mapping = sourceMappingSchema.safeParse(s.mapping);
  return mapping.success ? (mapping.data.sensors?.mqtt ?? null) : null;
}

/**
 * The MQTT channel: for each enabled `mqtt` source, one subscription held
 * by one server instance. The instance holding the lease `mqtt:<source>`
 * subscribes (QoS 1, persistent session under a client id stable per
 * source, so messages published while no instance listened arrive later);
 * it renews the lease every tick and, when it loses it (or the source is
 * disabled or changed), stops; another instance takes over once the lease
 * lapses. Each subscription session is one run (channel `mqtt`) whose
 * counts move on per batch and whose heartbeat is written every tick.
 */
export class MqttChannel {
  private readonly sessions = new Map<string, Session>();
  private readonly instance: string;
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private readonly ingest: ReadingsIngest;
  private readonly guard: OutboundGuard;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly options: MqttChannelOptions = {},
  ) {
    this.instance = options.instance ?? `wf-${randomBytes(6).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.tickMs = options.tickMs ?? 10_000;
    this.ingest = new ReadingsIngest(ctx, undefined, options.log);
    this.guard = new OutboundGuard(ctx.config.outboundAllow);
  }

  /** The sources this instance subscribes to now. */
  get active(): string[] {
    return [...this.sessions.keys()].sort();
  }

  /** The run of a source's current subscription session. */
  runOf(source: string): number | undefined {
    return this.sessions.get(source)?.runId;
  }

  /** Takes the subscriptions it can now, then looks again every tick. */
  async start(): Promise<void> {
    const next = () => {
      this.ticking = this.ticking.then(() => this.tick()).catch((err: unknown) => this.options.log?.error({ err }, 'mqtt channel tick failed'));
      return this.ticking;
    };
    this.timer = setInterval(() => void next(), this.tickMs);
    this.timer.unref();
    await next();
  }

  /**
   * One look at the sources: start a subscription for each enabled MQTT
   * source whose lease this instance gets, renew the leases it holds (and
   * write its runs' heartbeats), stop those it lost or that changed.
   */
  async tick(): Promise<void> {
    const now = this.ctx.clock.now();
    const leases = new LeasesRepository(this.ctx.store.db);
    const runs = new RunsRepository(this.ctx.store.db);
    const wanted = new Map<string, { record: SourceRecord; config: MqttConfig }>();
    for (const s of await new SourcesRepository(this.ctx.store.db).list(ALL_ROWS)) {
      const config = mqttConfigOf(s);
      if (config) wanted.set(s.code, { record: s, config });
    }
    for (const [code, session] of this.sessions) {
      const w = wanted.get(code);
      if (!w || JSON.stringify(w.config) !== JSON.stringify(session.config)) {
        await this.stopSession(session, 'the source was disabled or its configuration changed');
        await leases.release(`mqtt:${code}`, this.instance);
        continue;
      }
      if (!(await leases.acquire(`mqtt:${code}`, this.instance, now, this.leaseMs))) {
        await this.stopSession(session, 'another instance holds the subscription');
        continue;
      }
      await runs.heartbeat(session.runId, now.toISOString());
    }
    for (const [code, w] of wanted) {
      if (this.sessions.has(code)) continue;
      if (!(await leases.acquire(`mqtt:${code}`, this.instance, now, this.leaseMs))) continue;
      try {
        await this.startSession(w.record, w.config);
      } catch (err) {
        this.options.log?.warn({ err, source: code }, 'mqtt subscription could not start; trying again next tick');
        await leases.release(`mqtt:${code}`, this.instance);
      }
    }
  }

  private async startSession(record: SourceRecord, config: MqttConfig): Promise<void> {
    const credentials = record.credentialsEnc === null ? {} : decryptCredentials(this.ctx.config.secretKey, record.credentialsEnc);
    const runId = await this.ingest.startRun(record.code, 'mqtt');
    const session: Session = { source: record.code, config, runId, startedMs: performance.now(), index: 0, rejected: 0, subscription: undefined as unknown as MqttSubscription };
    session.subscription = new MqttSubscription(
      {
        ...this.options.subscription,
        url: config.url,
        clientId: config.clientId ?? `watchfloor-${record.code}`,
        topics: config.topics,
        username: credentials.username,
        password: credentials.password,
        // The broker is another machine: reached only through the outbound guard.
        guard: this.guard,
      },
      {
        onBatch: async (messages) => {
          const rows = messages.flatMap(messageRows);
          // Judged per batch, so a change of the source's coverage holds from the next message on.
          const outcome = await this.ingest.writeBatch(record.code, runId, rows, session.index, await this.ingest.bounds(record.code, null));
          session.index += rows.length;
          session.rejected += outcome.rejected.length;
          this.options.onCommitted?.(record.code, messages.length, rows.length);
        },
        onError: (err, context) => this.options.log?.warn({ err, source: record.code, runId }, `mqtt: ${context}`),
      },
    );
    try {
      await session.subscription.start();
    } catch (err) {
      await session.subscription.stop().catch(() => undefined);
      await this.ingest.finishRun(runId, 'failed', `The broker ${config.url} could not be reached: ${err instanceof Error ? err.message : String(err)}`, session.startedMs);
      throw err;
    }
    this.sessions.set(record.code, session);
    this.options.log?.info({ source: record.code, runId, topics: config.topics }, 'mqtt subscription started');
  }

  private async stopSession(session: Session, why: string | null): Promise<void> {
    this.sessions.delete(session.source);
    await session.subscription.stop();
    const status: RunStatus = session.rejected > 0 ? 'partial' : 'succeeded';
    await this.ingest.finishRun(session.runId, status, why, session.startedMs);
  }

  /** Stops every subscription (batches being committed are finished and acknowledged) and gives the leases up. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    const leases = new LeasesRepository(this.ctx.store.db);
    for (const session of [...this.sessions.values()]) {
      await this.stopSession(session, null);
      await leases.release(`mqtt:${session.source}`, this.instance);
    }
  }
}
