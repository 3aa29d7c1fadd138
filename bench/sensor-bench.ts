import { randomBytes } from 'node:crypto';
import { ALL_DATA, sourceCreateSchema, type Clock } from '@watchfloor/core';
import { IndicatorsRepository, migrateToLatest, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, SourcesService, loadConfig, loadGeography, seedOrganisations, type AppContext } from '@watchfloor/server';
import { CATALOGUE_FILES, readCatalogues } from '../packages/server/src/features/indicators/seed';

/** What the sensor benches (mqtt, alerts) share: the broker, a prepared database, a fresh MQTT source per run. */
export const BENCH_MQTT_URL = process.env.WATCHFLOOR_BENCH_MQTT_URL ?? process.env.WATCHFLOOR_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** A database as `watchfloor start` leaves it for sensors: migrated, the geography, the organisations, the PCI and demo catalogues. */
export async function prepareSensorBench(store: Store, clock: Clock): Promise<AppContext> {
  await migrateToLatest(store);
  await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
  await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock });
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
  await new IndicatorsRepository(store.db).upsert(definitions, clock.now().toISOString());
  // The bench's broker runs on this machine: an inside address, allowed as an administrator would.
  return { store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_OUTBOUND_ALLOW: new URL(BENCH_MQTT_URL).hostname }) };
}

/** An MQTT source of its own for one run (code `<prefix>-<id>`, topic `wf-bench/<id>/<topicName>`), so runs never read each other's messages. */
export async function mqttBenchSource(ctx: AppContext, prefix: string, topicName: string): Promise<{ id: string; source: string; topic: string }> {
  const id = randomBytes(4).toString('hex');
  const source = `${prefix}-${id}`;
  const topic = `wf-bench/${id}/${topicName}`;
  await new SourcesService(ctx).create(
    sourceCreateSchema.parse({ code: source, name: 'bench', kind: 'mqtt', ownerOrganisationCode: 'VL-STC', mapping: { sensors: { mqtt: { url: BENCH_MQTT_URL, topics: [topic], clientId: `wf-bench-${id}` } } } }),
    ALL_DATA,
  );
  return { id, source, topic };
}
