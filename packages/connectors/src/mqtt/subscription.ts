import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { outboundRefusal } from '@watchfloor/core';
import type { OutboundGuard } from '../outbound/guard';

/**
 * An MQTT subscription that hands messages over in batches and acknowledges
 * each message (PUBACK) only once the batch holding it has been committed.
 *
 * QoS 1 in a persistent session (MQTT 5, clean start off, a session expiry,
 * a stable client id): the broker keeps what is published while we are away
 * and sends again whatever we had not acknowledged, so a crash before a
 * commit loses nothing; the receiver must treat a message seen twice as one.
 *
 * mqtt.js handles incoming packets one at a time and writes a message's
 * PUBACK before it reads the next one, so holding `customHandleAcks`'s
 * callback until the commit would make every batch a single message. We
 * therefore answer that callback with a sentinel error, which lets mqtt.js
 * read on without acknowledging, and send the PUBACKs ourselves after the
 * commit, on the same connection (after a reconnect the broker sends the
 * unacknowledged messages again, so acknowledgements of an older connection
 * are dropped).
 *
 * A batch is cut at `maxMessages`, when its first message is `maxDelayMs`
 * old, or when the broker has nothing more to send for `idleMs`; while one
 * batch is being committed the next one fills. The broker bounds what it
 * holds for us (Mosquitto: `max_queued_messages`, 1,000 by default, beyond
 * the messages in flight; more are dropped): senders of bursts should put
 * several readings in a message.
 */
export interface MqttSubscriptionOptions {
  url: string;
  clientId: string;
  topics: readonly string[];
  username?: string | undefined;
  password?: string | undefined;
  /** How long the broker keeps the session while we are away (seconds). */
  sessionExpirySeconds?: number;
  maxMessages?: number;
  maxDelayMs?: number;
  idleMs?: number;
  /** Wait before reconnecting after a failed batch or a lost connection. */
  reconnectMs?: number;
  connectTimeoutMs?: number;
  /**
   * The outbound guard: the broker's host is resolved through it once and
   * every connection and reconnection goes to the address it judged (TLS
   * still checks the broker's name). Absent: the URL as given (tests of the
   * subscription itself).
   */
  guard?: Pick<OutboundGuard, 'resolve'>;
}

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  /** The broker sent it again: it may have been seen before. */
  duplicate: boolean;
}

export interface MqttSubscriptionEvents {
  /** Commit the batch; resolve once it is durable. A rejection leaves the batch unacknowledged and reconnects. */
  onBatch(messages: MqttMessage[]): Promise<void>;
  onError?(err: unknown, context: string): void;
  onConnect?(sessionPresent: boolean): void;
}

/** The sentinel that tells mqtt.js to read on without acknowledging (see above). */
class DeferredAck extends Error {
  constructor() {
    super('acknowledged after commit');
  }
}
const DEFERRED = new DeferredAck();

interface Pending {
  message: MqttMessage;
  messageId: number;
  connection: number;
}

type PacketSender = (packet: { cmd: 'puback'; messageId: number; reasonCode: number }, cb?: (err?: Error) => void) => void;

export class MqttSubscription {
  private client: MqttClient | null = null;
  private connection = 0;
  private pending: Pending[] = [];
  private firstAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private working: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  private readonly opts: Required<Omit<MqttSubscriptionOptions, 'username' | 'password' | 'guard'>> & Pick<MqttSubscriptionOptions, 'username' | 'password' | 'guard'>;

  constructor(
    options: MqttSubscriptionOptions,
    private readonly events: MqttSubscriptionEvents,
  ) {
    this.opts = {
      sessionExpirySeconds: 7 * 24 * 3600,
      maxMessages: 5000,
      maxDelayMs: 200,
      idleMs: 2,
      reconnectMs: 1000,
      connectTimeoutMs: 10_000,
      ...options,
    };
  }

  /**
   * The address to connect to: the broker's host resolved through the guard
   * and judged there (`outbound_not_allowed` for an inside address that is
   * not allowed), written into the URL, with the name kept for TLS.
   */
  private async destination(): Promise<{ url: string; servername?: string }> {
    const { url, guard } = this.opts;
    if (!guard) return { url };
    const u = new URL(url);
    if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') throw outboundRefusal(u.origin, `only mqtt and mqtts are allowed, not ${u.protocol}`);
    const name = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const [first] = await guard.resolve(name);
    if (!first) throw outboundRefusal(u.host, 'it resolves to no address');
    u.hostname = first.family === 6 ? `[${first.address}]` : first.address;
    return { url: u.toString(), ...(u.protocol === 'mqtts:' ? { servername: name } : {}) };
  }

  /** Connects and subscribes; resolves once the first connection is up (rejects when the broker cannot be reached in time). */
  async start(): Promise<void> {
    const o = this.opts;
    const target = await this.destination();
    const clientOptions: IClientOptions = {
      ...(target.servername ? { servername: target.servername } : {}),
      clientId: o.clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: o.sessionExpirySeconds },
      reconnectPeriod: o.reconnectMs,
      connectTimeout: o.connectTimeoutMs,
      resubscribe: false,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      customHandleAcks: (topic, payload, packet, done) => {
        this.receive(topic, payload, packet);
        done(DEFERRED);
      },
    };
    const client = mqtt.connect(target.url, clientOptions);
    this.client = client;
    client.on('error', (err) => {
      if (err !== DEFERRED) this.events.onError?.(err, 'mqtt client');
    });
    client.on('connect', (connack) => {
      this.connection++;
      this.events.onConnect?.(connack.sessionPresent);
      // A new session has no subscriptions; a resumed one keeps them (and its queued messages).
      if (!connack.sessionPresent) {
        client.subscribe([...o.topics], { qos: 1 }, (err) => {
          if (err) this.events.onError?.(err, 'subscribe');
        });
      }
    });
    await new Promise<void>((resolve, reject) => {
      const ok = () => {
        client.off('error', fail);
        resolve();
      };
      const fail = (err: Error) => {
        if (err === DEFERRED) return;
        client.off('connect', ok);
        reject(err);
      };
      client.once('connect', ok);
      client.once('error', fail);
      setTimeout(() => fail(new Error(`MQTT broker ${o.url} did not answer within ${o.connectTimeoutMs} ms`)), o.connectTimeoutMs).unref();
    });
  }

  private receive(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.stopped || packet.messageId === undefined) return;
    if (this.pending.length === 0) this.firstAt = Date.now();
    this.pending.push({ message: { topic, payload, duplicate: packet.dup }, messageId: packet.messageId, connection: this.connection });
    this.schedule();
  }

  private schedule(): void {
    if (this.busy || this.pending.length === 0) return;
    const full = this.pending.length >= this.opts.maxMessages;
    const age = Date.now() - this.firstAt;
    if (full || age >= this.opts.maxDelayMs) {
      this.flush();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, Math.min(this.opts.idleMs, this.opts.maxDelayMs - age));
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.busy || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.busy = true;
    this.working = this.events
      .onBatch(batch.map((p) => p.message))
      .then(
        () => this.acknowledge(batch),
        (err: unknown) => {
          this.events.onError?.(err, 'batch not committed; reconnecting so the broker sends it again');
          this.pending = [];
          // Dropping the connection makes mqtt.js reconnect after reconnectMs and the broker resend what was not acknowledged.
          this.client?.stream.destroy();
        },
      )
      .finally(() => {
        this.busy = false;
        this.firstAt = Date.now();
        this.schedule();
      });
  }

  private acknowledge(batch: readonly Pending[]): void {
    const client = this.client;
    if (!client?.connected) return;
    // Private in mqtt.js's types; the one way to write a PUBACK without its serial handler (see above).
    const send = (client as unknown as { _sendPacket: PacketSender })._sendPacket.bind(client);
    for (const p of batch) {
      if (p.connection !== this.connection) continue;
      send({ cmd: 'puback', messageId: p.messageId, reasonCode: 0 });
    }
  }

  /** Stops taking messages, waits for the batch being committed (and acknowledges it), then disconnects; the session stays with the broker. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // What was received but not yet handed over stays unacknowledged: the broker sends it again next time.
    this.pending = [];
    await this.working;
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
  }
}
