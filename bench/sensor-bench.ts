import { randomBytes } from 'node:crypto';
import type { Clock } from '@watchfloor/core';
import { IndicatorsRepository, migrateToLatest, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, loadConfig, loadGeography, seedOrganisations, type AppContext } from '@watchfloor/server';
import { CATALOGUE_FILES, readCatalogues } from '../packages/server/src/features/indicators/seed';
import type { BenchServer } from './util';

const TRA_VINH = { lat: 9.9063, lon: 106.3419 };

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

/** An MQTT source of its own for one run (code `<prefix>-<id>`, topic `wf-bench/<id>/<topicName>`), so runs never read each other's messages; registered over the API with the bench's token. */
export async function mqttBenchSource(server: BenchServer, prefix: string, topicName: string): Promise<{ id: string; source: string; topic: string }> {
  const id = randomBytes(4).toString('hex');
  const source = `${prefix}-${id}`;
  const topic = `wf-bench/${id}/${topicName}`;
  await server.call('POST', '/api/sources', { code: source, name: 'bench', kind: 'mqtt', ownerOrganisationCode: 'VL-STC', mapping: { sensors: { mqtt: { url: BENCH_MQTT_URL, topics: [topic], clientId: `wf-bench-${id}` } } } });
  return { id, source, topic };
}

/** Stations near Trà Vinh's centre with these datastreams, registered over the API with the bench's token (those already there are kept). */
export async function benchStations(server: BenchServer, codes: readonly string[], datastreams: readonly { code: string; indicator: string; unit: string; scale: number | null; validRange?: { min: number | null; max: number | null } }[]): Promise<void> {
  const known = new Set((await server.call<{ stations: { code: string }[] }>('GET', '/api/stations')).stations.map((s) => s.code));
  for (const code of codes) {
    if (!known.has(code)) await server.call('POST', '/api/stations', { code, name: code, ...TRA_VINH, source: null, enabled: true, datastreams });
  }
}
