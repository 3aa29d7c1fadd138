import {
  AppError,
  expectedIndicators,
  observationStatusSchema,
  parsePeriod,
  periodEnd,
  periodMatchesFrequency,
  periodStart,
  sourceMappingSchema,
  type IngestResult,
  type ManualEntry,
  type ManualForm,
  type DataScope,
} from '@watchfloor/core';
import { IndicatorsRepository, ManualEntryRepository, versionDuring, versionsByCode } from '@watchfloor/db';
import type { ReadRow } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { IngestService } from '../ingest/service';
import { SourcesService, toSource } from '../sources/service';

/**
 * Manual entry: the form of a manual source (what it is expected to supply,
 * with what is stored already) and the entries typed into it, which go
 * through IngestService like any channel, so each figure is validated by
 * the one write path, the run records who typed it, a re-sent form changes
 * nothing and a changed value becomes a revision.
 */
export class ManualEntryService {
  constructor(
    private readonly ctx: AppContext,
    private readonly ingest: IngestService = new IngestService(ctx),
  ) {}

  /** The manual source: `unknown_source` outside the caller's read scope, `forbidden` outside their scope of supplying data. */
  private async manualSource(code: string, scopes: { read: DataScope; write: DataScope }) {
    const source = toSource(await new SourcesService(this.ctx).writable(code, scopes));
    if (source.kind !== 'manual') throw new AppError('source_not_manual', `Source ${code} is a ${source.kind} source: figures are typed in only for manual sources`);
    return source;
  }

  async form(code: string, query: { period: string; place?: string | undefined; organisation?: string | undefined }, scopes: { read: DataScope; write: DataScope }): Promise<ManualForm> {
    const source = await this.manualSource(code, scopes);
    const period = parsePeriod(query.period);
    const placeCode = query.place ?? source.mapping?.defaults?.place;
    if (!placeCode) throw new AppError('invalid_parameter', 'place: give the unit the figures are for (the source has no default place)');
    const start = periodStart(period);
    const end = periodEnd(period);
    const versions = await versionsByCode(this.ctx.store.db, 'place', [placeCode]);
    const place = versionDuring(versions.get(placeCode), start, end);
    if (!place) {
      if (!versions.has(placeCode)) throw new AppError('unknown_place_code', `No administrative unit has code ${placeCode}`);
      throw new AppError('place_not_valid_at_date', `Unit ${placeCode} did not exist during ${query.period}`);
    }
    const organisation = query.organisation ?? source.mapping?.defaults?.organisation ?? null;
    const catalogue = await new IndicatorsRepository(this.ctx.store.db).all();
    const expected = expectedIndicators(source, catalogue);
    const repo = new ManualEntryRepository(this.ctx.store.db);
    const applicable = expected.filter((d) => periodMatchesFrequency(period.kind, d.frequency));
    const stored = new Map((await repo.stored(applicable.map((d) => d.code), place.id, query.period, organisation ?? '')).map((r) => [r.indicatorCode, r]));
    return {
      source: { code: source.code, name: source.name, ownerOrganisationCode: source.ownerOrganisationCode },
      period: query.period,
      place: { code: placeCode, name: (await repo.placeName(place.id)) ?? placeCode },
      organisation,
      fields: expected.map((d) => {
        const s = stored.get(d.code);
        return {
          indicator: d.code,
          names: d.names,
          unit: d.unit,
          frequency: d.frequency,
          validRange: d.validRange,
          applicable: periodMatchesFrequency(period.kind, d.frequency),
          stored: s ? { value: s.value, status: observationStatusSchema.parse(s.status), note: s.note, revision: s.revision, source: s.source, enteredBy: s.enteredBy, recordedAt: s.recordedAt } : null,
        };
      }),
    };
  }

  /** Writes the figures of a form as one run of the manual channel; each refused figure comes back with its line (its position, from 1) and reason. */
  async enter(code: string, entry: ManualEntry & { enteredBy: string }, scopes: { read: DataScope; write: DataScope }, log?: { error(obj: object, msg: string): void }): Promise<IngestResult> {
    const source = await this.manualSource(code, scopes);
    if (!source.enabled) throw new AppError('source_disabled', `Source ${code} is disabled`);
    const place = entry.place ?? source.mapping?.defaults?.place;
    if (!place) throw new AppError('invalid_body', 'place: give the unit the figures are for (the source has no default place)');
    const rows: ReadRow[] = entry.figures.map((f, i) => {
      const value = {
        indicator: f.indicator,
        place,
        period: entry.period,
        ...(entry.organisation ? { organisation: entry.organisation } : {}),
        value: f.value,
        ...(f.status ? { status: f.status } : {}),
        ...(f.note ? { note: f.note } : {}),
      };
      return { line: i + 1, raw: JSON.stringify(f), value };
    });
    return this.ingest.ingest({
      source: { code: source.code, mapping: source.mapping === null ? null : sourceMappingSchema.parse(source.mapping) },
      channel: 'manual',
      sender: scopes.write,
      rows,
      enteredBy: entry.enteredBy,
      ...(log ? { log } : {}),
    });
  }
}
