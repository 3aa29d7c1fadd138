import { ALL_DATA, AppError, DEFAULT_MIN_SHARE, sourceMappingSchema, todayIn, type DataScope, type Datastream, type IngestResult, type Reading, type Station, type StationCreate } from '@watchfloor/core';
import { readSensorExport, type FileSource } from '@watchfloor/connectors';
import { IndicatorsRepository, PlacesRepository, StationsRepository, reaches, resolveScope, toPlaceSummary, type DatastreamRow, type StationRow } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { PlacesService } from '../places/service';
import { SourcesService } from '../sources/service';
import { ReadingsIngest } from '../ingest/readings';

const toDatastream = (d: DatastreamRow): Datastream => ({
  code: d.code,
  indicator: d.indicator_code,
  unit: d.unit,
  scale: d.scale,
  validRange: d.valid_min === null && d.valid_max === null ? null : { min: d.valid_min, max: d.valid_max },
  minShare: d.min_share ?? DEFAULT_MIN_SHARE,
  incompleteDays: d.incomplete_days === 'estimated' ? 'estimated' : 'omit',
});

/** Sensor stations (trạm quan trắc): registration, located to the finest unit with known boundaries; their readings. */
export class StationsService {
  constructor(private readonly ctx: AppContext) {}

  private get repo() {
    return new StationsRepository(this.ctx.store.db, this.ctx.store);
  }

  private async toStation(r: StationRow, streams: DatastreamRow[]): Promise<Station> {
    const place = r.place_id === null ? undefined : await this.repo.place(r.place_id);
    return {
      code: r.code,
      name: r.name,
      lat: r.lat,
      lon: r.lon,
      place: place ? toPlaceSummary(place) : null,
      provinceCode: r.province_code,
      source: r.source_code,
      enabled: r.enabled === 1,
      datastreams: streams.map(toDatastream),
      createdAt: r.created_at,
    };
  }

  /** The stored station, or `unknown_station` (also when the scope does not reach its place). */
  async record(code: string, scope: DataScope): Promise<StationRow> {
    const r = await this.repo.get(code, await resolveScope(this.ctx.store.db, scope));
    if (!r) throw new AppError('unknown_station', `No station has code ${code}`);
    return r;
  }

  /** The stations in the scope. */
  async list(scope: DataScope): Promise<Station[]> {
    const rows = await this.repo.list(await resolveScope(this.ctx.store.db, scope));
    const streams = await this.repo.datastreams(rows.map((r) => r.id));
    return Promise.all(rows.map((r) => this.toStation(r, streams.get(r.id) ?? [])));
  }

  async get(code: string, scope: DataScope): Promise<Station> {
    const r = await this.record(code, scope);
    return this.toStation(r, (await this.repo.datastreams([r.id])).get(r.id) ?? []);
  }

  /**
   * Registers a station, located on the day of registration (Vietnam time)
   * to the finest unit whose boundaries are known: a commune of Vĩnh Long,
   * the province elsewhere. A point outside every known boundary is refused
   * with `station_outside_boundaries`; each datastream must name a known indicator.
   * The place must lie within the caller's scope of managing the catalogue
   * (`forbidden` otherwise), and the source be one they can read.
   */
  async create(input: StationCreate, scopes: { read: DataScope; write: DataScope }): Promise<Station> {
    const at = todayIn(this.ctx.clock);
    const located = await new PlacesService(this.ctx).locate(input.lat, input.lon, at).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'no_place_at_point') {
        throw new AppError('station_outside_boundaries', `(${input.lat}, ${input.lon}) lies outside every administrative unit whose boundaries are known on ${at}`);
      }
      throw e;
    });
    const finest = located.commune ?? located.district ?? located.province;
    const place = finest ? await new PlacesRepository(this.ctx.store.db).findAt(finest.code, at) : undefined;
    if (!(await reaches(this.ctx.store.db, await resolveScope(this.ctx.store.db, scopes.write), { placeCode: finest?.code ?? null, placeOfOrg: true }))) {
      throw new AppError('forbidden', `(${input.lat}, ${input.lon}) lies outside the places of your scope`);
    }
    const indicators = new IndicatorsRepository(this.ctx.store.db);
    for (const d of input.datastreams) {
      const def = await indicators.get(d.indicator);
      if (!def) throw new AppError('unknown_indicator', `Datastream ${d.code}: no indicator has code ${d.indicator}`);
    }
    if (input.source !== null) await new SourcesService(this.ctx).writable(input.source, scopes);
    const inserted = await this.ctx.store.db.transaction().execute((trx) =>
      new StationsRepository(trx).insert({
        code: input.code,
        name: input.name,
        lon: input.lon,
        lat: input.lat,
        placeId: place?.id ?? null,
        placeCode: finest?.code ?? null,
        provinceCode: located.province?.code ?? null,
        sourceCode: input.source,
        enabled: input.enabled,
        at: this.ctx.clock.now().toISOString(),
        datastreams: input.datastreams,
      }),
    );
    if (!inserted) throw new AppError('station_exists', `A station with code ${input.code} exists already`);
    return this.get(input.code, ALL_DATA);
  }

  async datastreams(code: string, scope: DataScope): Promise<Datastream[]> {
    return (await this.get(code, scope)).datastreams;
  }

  /** A station's readings in [from, to), newest first. */
  async readings(code: string, options: { from?: string | undefined; to?: string | undefined; datastream?: string | undefined; limit: number }, scope: DataScope): Promise<Reading[]> {
    const r = await this.record(code, scope);
    if (options.datastream !== undefined && !(await this.repo.datastreams([r.id])).get(r.id)?.some((d) => d.code === options.datastream)) {
      throw new AppError('unknown_datastream', `Station ${code} has no datastream ${options.datastream}`);
    }
    const norm = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());
    return this.repo.readings(r.id, { from: norm(options.from), to: norm(options.to), datastream: options.datastream, limit: options.limit });
  }
}

/**
 * Loads a sensor export (the AirNow DOS hourly CSV) into a source's
 * stations: its sites and parameters mapped to station and datastream codes
 * by the source mapping (`sensors.stations`, `sensors.datastreams`), every
 * reading through a run of channel `file`, missing values (-999, a QC other
 * than Valid) rejected as `missing_value`, readings outside their
 * datastream's valid range and conflicting duplicates refused, the daily
 * means written once after the last batch. The source must be one the caller
 * may read (`unknown_source`) and supply (`forbidden`).
 */
export async function loadSensorExport(
  ctx: AppContext,
  sourceCode: string,
  file: FileSource | Buffer,
  fileName: string | null,
  scopes: { read: DataScope; write: DataScope },
  log?: { warn(obj: object, msg: string): void },
  enteredBy: string | null = null,
  /** Readings per batch (each one transaction); READINGS_BATCH by default. */
  batchSize?: number,
): Promise<IngestResult & { figures: number }> {
  const source = await new SourcesService(ctx).writable(sourceCode, scopes);
  if (!source.enabled) throw new AppError('source_disabled', `Source ${sourceCode} is disabled`);
  const mapping = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);
  const rows = readSensorExport(file, { stations: mapping?.sensors?.stations, datastreams: mapping?.sensors?.datastreams }, ctx.config.fileLimits);
  return new ReadingsIngest(ctx, undefined, log).ingest({ source: sourceCode, channel: 'file', sender: scopes.write, rows, fileName, enteredBy, ...(batchSize === undefined ? {} : { batchSize }) });
}
