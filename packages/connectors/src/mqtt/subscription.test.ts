import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { MqttSubscription, type MqttMessage } from './subscription';

const url = process.env.WATCHFLOOR_TEST_MQTT_URL;
if (!url) console.warn('MQTT tests skipped: WATCHFLOOR_TEST_MQTT_URL is not set (e.g. mqtt://127.0.0.1:1883 for the local Mosquitto).');

describe.skipIf(!url)('MQTT subscription (real broker)', () => {
  it('does not acknowledge a batch that failed to commit: the broker sends it again', async () => {
    const id = randomBytes(4).toString('hex');
    const topic = `wf-test/${id}/ack`;
    const seen: MqttMessage[][] = [];
    let failures = 1;
    let done!: () => void;
    const committed = new Promise<void>((r) => (done = r));
    const sub = new MqttSubscription(
      { url: url ?? '', clientId: `wf-test-sub-${id}`, topics: [topic], sessionExpirySeconds: 60, reconnectMs: 50 },
      {
        onBatch: async (messages) => {
          seen.push(messages);
          if (failures-- > 0) throw new Error('database unavailable');
          done();
        },
      },
    );
    await sub.start();
    const pub = await mqtt.connectAsync(url ?? '', { clientId: `wf-test-pub-${id}` });
    try {
      await pub.publishAsync(topic, 'one', { qos: 1 });
      await committed;
      expect(seen.length).toBe(2);
      expect(seen[0]?.map((m) => m.payload.toString())).toEqual(['one']);
      expect(seen[1]?.map((m) => [m.payload.toString(), m.duplicate])).toEqual([['one', true]]);
    } finally {
      await pub.endAsync();
      await sub.stop();
    }
  });

  it('cuts batches of several messages while holding their acknowledgements', async () => {
    const id = randomBytes(4).toString('hex');
    const topic = `wf-test/${id}/batch`;
    const sizes: number[] = [];
    let total = 0;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const sub = new MqttSubscription(
      { url: url ?? '', clientId: `wf-test-sub-${id}`, topics: [topic], sessionExpirySeconds: 60 },
      {
        onBatch: async (messages) => {
          sizes.push(messages.length);
          total += messages.length;
          await new Promise((r) => setTimeout(r, 5));
          if (total === 200) done();
        },
      },
    );
    await sub.start();
    const pub = await mqtt.connectAsync(url ?? '', { clientId: `wf-test-pub-${id}` });
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => pub.publishAsync(topic, String(i), { qos: 1 })));
      await all;
      expect(total).toBe(200);
      // Messages keep arriving while a batch is committed: later batches hold many, not one each.
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      expect(sizes.length).toBeLessThan(200);
    } finally {
      await pub.endAsync();
      await sub.stop();
    }
  });
});
