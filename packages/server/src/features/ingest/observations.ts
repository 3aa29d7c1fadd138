import {
  INDICATOR_CODE_PATTERN,
  OBSERVATION_STATUSES,
  instantSchema,
  localDate,
  observationInputSchema,
  observationsChanged,
  parsePeriod,
  periodEnd,
  periodMatchesFrequency,
  periodStart,
  shiftDecimal,
  unitKey,
  unitShift,
  valueProblem,
  type Clock,
  type IndicatorDefinition,
  type ObservationInput,
  type Provenance,
  type RejectedRow,
  type SourceMapping,
  RowRejection,
} from '@watchfloor/core';
import { IndicatorsRepository, ObservationsRepository, versionDuring, versionsByCode, type FactInput, type Store, type VersionSpan } from '@watchfloor/db';
import { outsideBounds, outsideMessage, type WriteBounds } from './bounds';
import { NameResolver, needsResolving, periodSpan, type NameAnswer, type NameRequest } from './names';
import type { LivePublisher } from '../../live/hub';

export interface WriteResult {
  received: number;
  accepted: number;
  created: number;
  revised: number;
  unchanged: number;
  rejected: RejectedRow[];
  /**
   * The accepted rows stored otherwise than sent (by position): a place or
   * organisation named rather than coded, a value converted from the unit
   * it was sent in. What a preview shows beside the row as sent.
   */
  stored?: StoredAs[];
  /** Dry run: the accepted rows whose figure is stored already (by position), with the value and status stored now. */
  previous?: { index: number; value: number; status: string }[];
}

/** How an accepted row is stored when it was sent otherwise: its codes, value and unit as kept. */
export interface StoredAs {
  index: number;
  place: string;
  placeName: string | null;
  organisation: string | null;
  value: number;
  unit: string;
}

/** Rows with their named places and organisations replaced by codes, the refusals of those that could not be, and what each name resolved to. */
interface Named {
  rows: readonly unknown[];
  refused: Map<number, RowRejection>;
  answers: Map<number, { place?: NameAnswer; organisation?: NameAnswer }>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Version = VersionSpan;


const STATUSES: ReadonlySet<unknown> = new Set(OBSERVATION_STATUSES);
const PLACE_CODE = /^(VN|\d{2,5})$/;
const optionalText = (v: unknown, max: number) => v === undefined || v === null || (typeof v === 'string' && v.length <= max && !v.includes('\u0000'));

/**
 * `observationInputSchema.parse` for a row of the usual shape, without zod's
 * per-row cost on batches of thousands: the same checks, the same defaults,
 * unknown members dropped. Anything it does not accept (`null`) goes through
 * the schema, so a refused row gets the schema's own messages.
 */
function fastInput(row: unknown): ObservationInput | null {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return null;
  const r = row as Record<string, unknown>;
  const { indicator, place, period, organisation, value, unit, status, note } = r;
  if (typeof indicator !== 'string' || indicator.length > 64 || !INDICATOR_CODE_PATTERN.test(indicator)) return null;
  if (typeof place !== 'string' || !PLACE_CODE.test(place)) return null;
  if (typeof period !== 'string' || period.length < 4 || period.length > 40 || period.includes('\u0000')) return null;
  if (!optionalText(organisation, 40) || organisation === '') return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (unit === null || !optionalText(unit, 32)) return null;
  if (status !== undefined && !STATUSES.has(status)) return null;
  if (!optionalText(note, 2000)) return null;
  const out: ObservationInput = {
    indicator,
    place,
    period,
    organisation: (organisation as string | null | undefined) ?? null,
    value,
    status: (status as ObservationInput['status'] | undefined) ?? 'final',
    note: (note as string | null | undefined) ?? null,
  };
  // As the schema does: a unit member given as undefined is kept, an absent one stays absent.
  if ('unit' in r) out.unit = unit as string;
  return out;
}

export type Parsed = { success: true; data: ObservationInput } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

/** What `observationInputSchema.safeParse` answers, faster for well-formed rows. */
export function parseInput(row: unknown): Parsed {
  const data = fastInput(row);
  return data ? { success: true, data } : observationInputSchema.safeParse(row);
}

/** A period key's kind and bounds, or why it is not one; periods repeat across a batch, so each is parsed once. */
type PeriodInfo = { kind: string; start: string; end: string } | { error: string };

const usesExtremes = (def: IndicatorDefinition | undefined) =>
  def !== undefined && ['min', 'max'].some((a) => def.aggregation.places === a || def.aggregation.time === a);

/**
 * The one write path for observations: every channel (HTTP push, file
 * upload, pulls, MQTT, manual entry, loaders) hands its rows here. Each row
 * is validated on its own and refused with a coded reason, the rest are
 * written in one transaction, idempotently by natural key.
 */
export class ObservationWriter {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Told what changed once a batch has committed; loaders run without one. */
    private readonly live?: LivePublisher,
  ) {}

  /**
   * Validates and writes a batch. `dryRun` only says what would be accepted
   * and refused; `deferRollup` leaves the rollup to a `rebuildRollup()` after
   * a bulk load; `bounds` are the limits every row must lie within (the
   * source's coverage, the sender's scope): a row outside any of them is
   * refused as `out_of_scope` (absent: the system's own figures, unbounded).
   * `mapping`: the source's, whose aliases and `names` say how units and
   * agencies written by name resolve.
   */
  async write(
    rows: readonly unknown[],
    provenance: Provenance,
    options: { dryRun?: boolean; deferRollup?: boolean; bounds?: WriteBounds; mapping?: SourceMapping | null } = {},
  ): Promise<WriteResult> {
    const catalogue = new Map((await new IndicatorsRepository(this.store.db).all()).map((d) => [d.code, d]));
    const named = await this.resolveNames(rows, options.mapping ?? null, options.bounds ?? []);
    const parsed = named.rows.map((row, index) => (named.refused.has(index) ? null : parseInput(row)));
    const periods = new Map<string, PeriodInfo>();
    const valid = parsed.flatMap((p) => (p?.success ? [p.data] : []));
    const places = await versionsByCode(this.store.db, 'place', [...new Set(valid.map((r) => r.place))]);
    const orgs = await versionsByCode(this.store.db, 'organisation', [...new Set(valid.flatMap((r) => (r.organisation ? [r.organisation] : [])))]);

    const rejected: RejectedRow[] = [];
    const resolved: { index: number; fact: FactInput }[] = [];
    parsed.forEach((p, index) => {
      const row = rows[index];
      const refusal = named.refused.get(index);
      if (refusal || !p) {
        if (refusal) rejected.push({ index, reason: refusal.reason, message: refusal.message, row });
        return;
      }
      if (!p.success) {
        rejected.push({ index, reason: 'invalid_row', message: p.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; '), row });
        return;
      }
      try {
        resolved.push({ index, fact: this.resolve(p.data, catalogue, places, orgs, periods) });
      } catch (e) {
        if (!(e instanceof RowRejection)) throw e;
        rejected.push({ index, reason: e.reason, message: e.message, row });
      }
    });
    const targets = resolved.map(({ fact }) => ({ placeId: fact.placeId, placeCode: fact.placeCode, orgCode: fact.orgCode === '' ? null : fact.orgCode }));
    const outside = options.bounds && options.bounds.length > 0 ? await outsideBounds(this.store.db, options.bounds, targets) : null;
    const facts: FactInput[] = [];
    /** The row each fact comes from. */
    const factRows: number[] = [];
    const stored: StoredAs[] = [];
    const seen = new Set<string>();
    resolved.forEach(({ index, fact }, i) => {
      const row = rows[index];
      const limit = outside?.[i] ?? null;
      const target = targets[i];
      if (limit !== null && target) {
        rejected.push({ index, reason: 'out_of_scope', message: outsideMessage(target, limit), row });
        return;
      }
      const key = `${fact.indicatorCode}|${fact.placeId}|${fact.periodKey}|${fact.orgCode}`;
      if (seen.has(key)) {
        rejected.push({ index, reason: 'duplicate_in_batch', message: `Another row of this batch already gives ${fact.indicatorCode} for ${fact.placeCode}, ${fact.periodKey}`, row });
        return;
      }
      seen.add(key);
      facts.push(fact);
      factRows.push(index);
      const answers = named.answers.get(index);
      const sent = parsed[index];
      const unit = catalogue.get(fact.indicatorCode)?.unit ?? '';
      const converted = sent?.success === true && sent.data.unit !== undefined && unitKey(sent.data.unit) !== unitKey(unit);
      if (answers || converted) {
        stored.push({ index, place: fact.placeCode, placeName: answers?.place?.name ?? null, organisation: fact.orgCode === '' ? null : fact.orgCode, value: fact.value, unit });
      }
    });
    rejected.sort((a, b) => a.index - b.index);

    const result = { received: rows.length, accepted: facts.length, created: 0, revised: 0, unchanged: 0, rejected, ...(stored.length > 0 ? { stored } : {}) };
    if (facts.length === 0) return result;
    if (options.dryRun) {
      // What a preview shows beside each row already stored: the figure it replaces (or repeats).
      const now = await new ObservationsRepository(this.store.db, this.store).current(facts);
      const previous = now.flatMap((old, i) => (old ? [{ index: factRows[i] ?? -1, value: old.value, status: old.status }] : []));
      return previous.length > 0 ? { ...result, previous } : result;
    }
    const now = this.clock.now().toISOString();
    const outcome = await this.store.db
      .transaction()
      .execute((trx) =>
        new ObservationsRepository(trx, this.store).write(facts, { source: provenance.source, runId: provenance.runId ?? null, enteredBy: provenance.enteredBy ?? null }, now, {
          deferRollup: options.deferRollup ?? false,
          // Stored extremes are read only by indicators aggregated by min or max: only theirs are recounted after a revision.
          extremesMatter: (code) => usesExtremes(catalogue.get(code)),
        }),
      );
    // After the commit, never inside it: a screen told of a change must be able to read it.
    if (this.live && outcome.created + outcome.revised > 0) {
      this.live.publish(observationsChanged(facts.map((f) => ({ indicator: f.indicatorCode, place: f.placeCode, period: f.periodKey }))));
    }
    return { ...result, created: outcome.created, revised: outcome.revised, unchanged: outcome.unchanged };
  }

  /**
   * Places and organisations written by name (or by one of the source's
   * aliases) replaced by their codes, as valid during each row's period;
   * a row whose name does not resolve is refused with the candidates.
   * Rows of codes only pass untouched, without a query.
   */
  private async resolveNames(rows: readonly unknown[], mapping: SourceMapping | null, bounds: WriteBounds): Promise<Named> {
    const refused = new Map<number, RowRejection>();
    const answers: Named['answers'] = new Map();
    const requests: NameRequest[] = [];
    const at: { index: number; field: 'place' | 'organisation' }[] = [];
    rows.forEach((row, index) => {
      if (!isRecord(row)) return;
      const fields = (['place', 'organisation'] as const).filter((f) => needsResolving(f, row[f], mapping));
      if (fields.length === 0) return;
      const span = periodSpan(row.period);
      if ('error' in span) {
        refused.set(index, new RowRejection('invalid_period', span.error));
        return;
      }
      for (const field of fields) {
        requests.push({ kind: field, text: String(row[field]).trim(), start: span.start, end: span.end, period: String(row.period) });
        at.push({ index, field });
      }
    });
    if (requests.length === 0) return { rows, refused, answers };
    const out = [...rows];
    (await new NameResolver(this.store.db, mapping, bounds).resolve(requests)).forEach((a, i) => {
      const where = at[i];
      if (!where || refused.has(where.index)) return;
      if (a instanceof RowRejection) {
        refused.set(where.index, a);
        return;
      }
      out[where.index] = { ...(out[where.index] as Record<string, unknown>), [where.field]: a.code };
      if (a.via !== 'code') answers.set(where.index, { ...answers.get(where.index), [where.field]: a });
    });
    return { rows: out, refused, answers };
  }

  private resolve(r: ObservationInput, catalogue: Map<string, IndicatorDefinition>, places: Map<string, Version[]>, orgs: Map<string, Version[]>, periods: Map<string, PeriodInfo>): FactInput {
    const def = catalogue.get(r.indicator);
    if (!def) throw new RowRejection('unknown_indicator', `No indicator has code ${r.indicator}`);
    if (def.kind === 'derived') throw new RowRejection('not_a_base_indicator', `${r.indicator} is computed from other indicators (${def.formula}); send those instead`);
    if (def.ratio) {
      throw new RowRejection('not_a_base_indicator', `${r.indicator} is a rate recomputed from ${def.ratio.numerator} and ${def.ratio.denominator}; send those instead`);
    }

    let periodKey: string;
    let periodKind: string;
    let start: string;
    let end: string;
    if (def.frequency === 'instant') {
      if (!instantSchema.safeParse(r.period).success) throw new RowRejection('period_does_not_match_frequency', `${r.indicator} is a stream: period must be an ISO instant such as 2025-07-14T08:00:00+07:00`);
      periodKey = new Date(r.period).toISOString();
      periodKind = 'instant';
      start = end = localDate(periodKey);
    } else {
      let period = periods.get(r.period);
      if (!period) {
        try {
          const p = parsePeriod(r.period);
          period = { kind: p.kind, start: periodStart(p), end: periodEnd(p) };
        } catch (e) {
          period = { error: (e as Error).message };
        }
        periods.set(r.period, period);
      }
      if ('error' in period) throw new RowRejection('invalid_period', period.error);
      if (!periodMatchesFrequency(period.kind as Parameters<typeof periodMatchesFrequency>[0], def.frequency)) {
        throw new RowRejection('period_does_not_match_frequency', `${r.indicator} is reported per ${def.frequency}; "${r.period}" is a ${period.kind}`);
      }
      periodKey = r.period;
      periodKind = period.kind;
      start = period.start;
      end = period.end;
    }

    // A value sent in another unit of the same family (triệu đồng for tỷ đồng) is converted as a decimal would be.
    let value = r.value;
    if (r.unit !== undefined) {
      const shift = unitShift(r.unit, def.unit);
      if (shift === null) throw new RowRejection('unit_mismatch', `${r.indicator} is measured in "${def.unit}"; a value in "${r.unit}" cannot be converted to it`);
      value = shiftDecimal(r.value, shift);
    }
    const problem = valueProblem(def, value);
    if (problem) {
      const range = def.validRange ? ` (valid range ${def.validRange.min ?? '−∞'} … ${def.validRange.max ?? '∞'})` : '';
      const sent = value === r.value ? '' : ` (${r.value} ${r.unit ?? ''} sent)`;
      throw new RowRejection(problem, `${value} is not an acceptable value of ${r.indicator}${sent}${range}`);
    }

    const place = versionDuring(places.get(r.place), start, end);
    if (!place) {
      if (!places.has(r.place)) throw new RowRejection('unknown_place', `No administrative unit has code ${r.place}`);
      throw new RowRejection('place_not_valid_in_period', `Unit ${r.place} did not exist during ${periodKey}`);
    }
    if (r.organisation && !versionDuring(orgs.get(r.organisation), start, end)) {
      throw new RowRejection('unknown_organisation', `No organisation ${r.organisation} existed during ${periodKey}; if it is the source's own code or name for one, add it as an alias of the source`);
    }
    return {
      indicatorCode: def.code,
      placeId: place.id,
      placeCode: r.place,
      periodKey,
      periodKind,
      periodStart: start,
      periodEnd: end,
      orgCode: r.organisation ?? '',
      value,
      status: r.status,
      note: r.note,
    };
  }
}
