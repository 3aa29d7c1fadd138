import {
  AppError,
  HOURS_PER_DAY,
  addDays,
  dailyMean,
  localDate,
  rangeProblem,
  readingInputSchema,
  todayIn,
  type DataScope,
  type IngestResult,
  type ObservationInput,
  type ReadingRange,
  type RejectedIngestRow,
  type RejectionReason,
  type RunChannel,
  type RunStatus,
  type StreamDay,
} from '@watchfloor/core';
import { ALL_ROWS, IndicatorsRepository, RunsRepository, SourcesRepository, StationsRepository, type ReadingTuple, type RejectedRowInput, type StreamTarget } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { ObservationWriter } from './observations';
import type { BatchWriter } from './service';
import type { StreamReading } from '../alerts/stream';
import { outsideBounds, outsideMessage, sourceBounds, type WriteBounds } from './bounds';

/** A reading as a channel read it: the payload (checked here) or why it could not be read. */
export interface ReadingRow {
  /** The line of a file; null for a message. */
  line: number | null;
  raw: string;
  value?: unknown;
  problem?: { reason: RejectionReason; message: string };
}

export interface BatchOutcome {
  read: number;
  accepted: number;
  /** Readings stored for the first time. */
  created: number;
  /** Readings already stored (a replayed message, a file loaded again). */
  unchanged: number;
  rejected: (RejectedRowInput & { reason: RejectionReason; value: unknown })[];
  /** Daily figures written (created or revised) and refused by the write path (none when the batch was not rolled up). */
  figures: { written: number; refused: { reason: string; message: string }[] };
  /** The (indicator, place) groups and Vietnamese days whose readings the batch stored or found stored. */
  touched: Touched[];
}

/** The days of an indicator at a place that readings touched: what a daily mean is recomputed for. */
export interface Touched {
  indicator: string;
  place: string;
  days: Set<string>;
}

/** A reading taken into the batch. */
interface Taken {
  /** Its index in the batch. */
  i: number;
  stream: StreamTarget;
  station: string;
  at: string;
  value: number;
}

/** Readings per batch, each one transaction. */
export const READINGS_BATCH = 5000;
const SAMPLE = 100;
/** Decimals a daily mean is kept to: the same readings give the same figure on both engines. */
const MEAN_DIGITS = 4;

const round = (v: number) => Math.round(v * 10 ** MEAN_DIGITS) / 10 ** MEAN_DIGITS;

/** The instant a Vietnamese day begins, in UTC. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+07:00`).toISOString();

/**
 * Readings through a run: each batch is checked (a known station of the
 * source, a known datastream, a value), stored in one transaction skipping
 * readings already stored, then the daily mean of every (indicator, place,
 * Vietnamese day) the batch touched is recomputed from all stored readings
 * of all stations of that place and written through the one write path.
 * Recomputing from the table (rather than adding the batch) keeps a replay
 * harmless: the same readings give the same mean, which the writer finds
 * unchanged.
 */
export class ReadingsIngest {
  constructor(
    private readonly ctx: AppContext,
    private readonly writer: BatchWriter = new ObservationWriter(ctx.store, ctx.clock, ctx.live),
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {}

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  async startRun(source: string, channel: RunChannel, fileName: string | null = null, enteredBy: string | null = null): Promise<number> {
    return new RunsRepository(this.ctx.store.db).start({ source, channel, startedAt: this.now(), fileName, enteredBy });
  }

  async finishRun(runId: number, status: RunStatus, error: string | null, startedMs: number): Promise<void> {
    await new RunsRepository(this.ctx.store.db).finish(runId, { status, finishedAt: this.now(), durationMs: Math.round(performance.now() - startedMs), error });
  }

  /**
   * The limits of a source's readings: each station's place must lie within
   * the source's coverage and, when a person or a token sends them, within
   * their scope (`sender`; null for the source's own channel, MQTT).
   */
  async bounds(source: string, sender: DataScope | null): Promise<WriteBounds> {
    const record = await new SourcesRepository(this.ctx.store.db).get(source, ALL_ROWS);
    if (!record) throw new AppError('unknown_source', `No source has code ${source}`);
    return sourceBounds(this.ctx.store.db, record, sender);
  }

  /**
   * Checks and stores one batch, then (unless `rollUp` is false: a file run
   * rolls up once, after its last batch) writes the daily means of the days
   * it touched. A reading outside its datastream's valid range is refused;
   * one whose datastream and instant are taken (earlier in the batch, or
   * stored) is unchanged when its value is the same and refused as
   * `conflicting_duplicate` when not: the first value taken stands. The
   * batch is recorded with the run; when this resolves its readings are
   * committed, and a channel may acknowledge the messages that held them.
   */
  async writeBatch(source: string, runId: number, rows: readonly ReadingRow[], firstIndex: number, bounds: WriteBounds, options: { rollUp?: boolean } = {}): Promise<BatchOutcome> {
    const stations = new StationsRepository(this.ctx.store.db, this.ctx.store);
    const checked = rows.map((r) => {
      if (r.problem) return { row: r, problem: r.problem };
      const p = readingInputSchema.safeParse(r.value);
      if (!p.success) return { row: r, problem: { reason: 'invalid_payload' as const, message: `Not a reading: ${p.error.issues.map((i) => `${i.path.join('.') || 'reading'}: ${i.message}`).join('; ')}` } };
      return { row: r, reading: p.data };
    });
    const codes = [...new Set(checked.flatMap((c) => (c.reading ? [c.reading.station] : [])))];
    const targets = await stations.targets(codes);
    const streams = new Map<string, StreamTarget>(targets.map((t) => [`${t.stationCode}\u0000${t.code}`, t]));
    const stationSources = await stations.sourcesOf(codes);
    // A station outside what the source covers (or the sender's scope) is refused, whichever datastream it reports.
    const located = [...new Set(targets.map((t) => t.stationCode))].map((code) => ({ code, placeCode: targets.find((t) => t.stationCode === code)?.placeCode ?? null }));
    const limits = await outsideBounds(this.ctx.store.db, bounds, located.map((l) => ({ placeId: null, placeCode: l.placeCode, orgCode: null })));
    const outside = new Map(located.flatMap((l, i) => (limits[i] ? [[l.code, outsideMessage({ placeCode: l.placeCode, orgCode: null }, limits[i])] as const] : [])));
    const indicatorRanges = targets.length === 0 ? new Map<string, ReadingRange | null>() : new Map((await new IndicatorsRepository(this.ctx.store.db).all()).map((d) => [d.code, d.validRange ?? null]));

    const rejected: BatchOutcome['rejected'] = [];
    /** The readings taken, by datastream and instant, in the order read: the first value for a key stands. */
    const taken = new Map<string, Taken>();
    let duplicates = 0;
    const rejectAt = (i: number, reason: RejectionReason, message: string) => {
      const row = checked[i]!.row;
      rejected.push({ index: firstIndex + i, line: row.line, reason, message, raw: row.raw, rowJson: row.value === undefined ? null : JSON.stringify(row.value), value: row.value ?? null });
    };
    const where = (i: number) => (checked[i]?.row.line == null ? '' : ` (line ${checked[i]?.row.line})`);
    checked.forEach((c, i) => {
      const reject = (reason: RejectionReason, message: string) => rejectAt(i, reason, message);
      if (!c.reading) return reject(c.problem.reason, c.problem.message);
      const r = c.reading;
      const owner = stationSources.get(r.station);
      if (owner === undefined || (owner !== null && owner !== source)) return reject('unknown_station', owner === undefined ? `No station has code ${r.station}` : `Station ${r.station} reports through source ${owner}, not ${source}`);
      const beyond = outside.get(r.station);
      if (beyond !== undefined) return reject('out_of_scope', `Station ${r.station}: ${beyond}`);
      const stream = streams.get(`${r.station}\u0000${r.datastream}`);
      if (!stream) return reject('unknown_datastream', `Station ${r.station} has no datastream ${r.datastream}`);
      if (r.value === null) return reject('missing_value', `${r.station}/${r.datastream} at ${r.at}: no value`);
      // The datastream's own range, in its unit; else the indicator's, on the reading in the indicator unit.
      const own = stream.validMin !== null || stream.validMax !== null;
      const range = own ? { min: stream.validMin, max: stream.validMax } : (indicatorRanges.get(stream.indicatorCode) ?? null);
      const problem = rangeProblem(own || stream.scale === null ? r.value : r.value * stream.scale, range);
      if (problem) {
        const bounds = `${range?.min ?? '−∞'} … ${range?.max ?? '∞'}${own ? '' : ` (the range of ${stream.indicatorCode})`}`;
        return reject(problem, `${r.station}/${r.datastream} at ${r.at}: ${r.value} lies ${problem === 'below_valid_range' ? 'below' : 'above'} the valid range ${bounds}`);
      }
      const at = new Date(r.at).toISOString();
      const key = `${stream.id}\u0000${at}`;
      const first = taken.get(key);
      if (!first) taken.set(key, { i, stream, station: r.station, at, value: r.value });
      else if (first.value === r.value) duplicates++;
      else reject('conflicting_duplicate', `${r.station}/${r.datastream} at ${r.at}: ${r.value} differs from ${first.value} read earlier in the batch${where(first.i)}; the first stands`);
    });

    const { created, kept } = await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new StationsRepository(trx, this.ctx.store);
      const values = await repo.storedValues([...taken.values()].map((t) => [t.stream.id, t.at] as const));
      const keep: Taken[] = [];
      for (const [key, t] of taken) {
        const old = values.get(key);
        if (old === undefined || old === t.value) keep.push(t);
        else rejectAt(t.i, 'conflicting_duplicate', `${t.station}/${t.stream.code} at ${t.at}: ${t.value} differs from the ${old} stored; the stored value stands`);
      }
      const tuples: ReadingTuple[] = keep.map((t) => [t.stream.id, t.at, t.value]);
      return { created: tuples.length === 0 ? 0 : await repo.insertReadings(tuples), kept: keep };
    });
    rejected.sort((a, b) => a.index - b.index);
    const touched = new Map<string, Touched>();
    for (const t of kept) {
      if (t.stream.placeCode === null) continue;
      const group = `${t.stream.indicatorCode}\u0000${t.stream.placeCode}`;
      let g = touched.get(group);
      if (!g) touched.set(group, (g = { indicator: t.stream.indicatorCode, place: t.stream.placeCode, days: new Set() }));
      g.days.add(localDate(t.at));
    }
    // Committed: the stream's alert rules judge the batch in the background, so the channel's acknowledgement does not wait.
    this.ctx.alertStream?.submit(kept.map((t): StreamReading => ({ station: t.station, datastream: t.stream.code, placeCode: t.stream.placeCode, at: t.at, value: t.value })));
    const figures = options.rollUp === false ? { written: 0, refused: [] } : await this.rollUp(source, runId, [...touched.values()]);
    const accepted = kept.length + duplicates;
    const outcome: BatchOutcome = { read: rows.length, accepted, created, unchanged: accepted - created, rejected, figures, touched: [...touched.values()] };
    const runs = new RunsRepository(this.ctx.store.db);
    await runs.addRejected(runId, rejected);
    await runs.recordBatch(runId, { read: outcome.read, accepted, rejected: rejected.length, created, revised: 0, unchanged: outcome.unchanged }, { rows: firstIndex + rows.length, line: rows.at(-1)?.line ?? null });
    if (accepted > 0) {
      const latest = [...touched.values()].flatMap((t) => [...t.days]).sort().at(-1) ?? null;
      await new SourcesRepository(this.ctx.store.db).recordArrival(source, this.now(), latest);
    }
    return outcome;
  }

  /**
   * The daily means of the touched days, recomputed from every stored
   * reading of the place, written as observations: a day whose datastreams
   * hold too few hours gets none, or (a datastream taking such days as
   * estimated) its mean with status estimated and a note of its hours.
   */
  async rollUp(source: string, runId: number, touched: readonly Touched[]): Promise<BatchOutcome['figures']> {
    const figures: BatchOutcome['figures'] = { written: 0, refused: [] };
    if (touched.length === 0) return figures;
    const stations = new StationsRepository(this.ctx.store.db);
    const today = todayIn(this.ctx.clock);
    const rows: ObservationInput[] = [];
    for (const t of touched) {
      const days = [...t.days].sort();
      const first = days[0];
      const last = days.at(-1);
      if (first === undefined || last === undefined) continue;
      const byDay = new Map<string, Map<number, StreamDay & { readings: { at: string; value: number }[] }>>();
      for (const r of await stations.readingsOfPlace(t.indicator, t.place, dayStart(first), dayStart(addDays(last, 1)))) {
        const day = localDate(r.at);
        if (!t.days.has(day)) continue;
        let streams = byDay.get(day);
        if (!streams) byDay.set(day, (streams = new Map()));
        let stream = streams.get(r.datastreamId);
        if (!stream) streams.set(r.datastreamId, (stream = { minShare: r.minShare, incompleteDays: r.incompleteDays === 'estimated' ? 'estimated' : 'omit', readings: [] }));
        stream.readings.push({ at: r.at, value: r.value });
      }
      for (const [day, streams] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
        const mean = dailyMean([...streams.values()]);
        if (!mean) continue;
        // A day not yet over may still receive readings: its mean is provisional until then.
        const row: ObservationInput = { indicator: t.indicator, place: t.place, period: day, organisation: null, value: round(mean.value), status: day >= today ? 'provisional' : 'final', note: null };
        if (!mean.complete) {
          row.status = 'estimated';
          row.note = `Chưa đủ giờ: ${mean.hours}/${HOURS_PER_DAY} giờ có số đo, cần ${mean.required} · Incomplete: ${mean.hours} of ${HOURS_PER_DAY} hours, ${mean.required} needed`;
        }
        rows.push(row);
      }
    }
    for (let i = 0; i < rows.length; i += READINGS_BATCH) {
      const result = await this.writer.write(rows.slice(i, i + READINGS_BATCH), { source, runId });
      figures.written += result.created + result.revised;
      for (const x of result.rejected) figures.refused.push({ reason: x.reason, message: x.message });
    }
    if (figures.refused.length > 0) this.log?.warn({ source, runId, refused: figures.refused.slice(0, 5), count: figures.refused.length }, 'daily figures of readings refused by the write path');
    return figures;
  }

  /**
   * A whole run over rows (a file): batches of READINGS_BATCH, each stored
   * as it comes; the daily means of every day the run touched are written
   * once, after the last batch (a day split across batches is not revised
   * once per batch); the run finished as succeeded, partial or failed.
   */
  async ingest(req: { source: string; channel: RunChannel; sender: DataScope | null; rows: Iterable<ReadingRow> | AsyncIterable<ReadingRow>; fileName?: string | null; enteredBy?: string | null; batchSize?: number }): Promise<IngestResult & { figures: number }> {
    const started = performance.now();
    const bounds = await this.bounds(req.source, req.sender);
    const batchSize = req.batchSize ?? READINGS_BATCH;
    const runId = await this.startRun(req.source, req.channel, req.fileName ?? null, req.enteredBy ?? null);
    const totals = { read: 0, accepted: 0, created: 0, unchanged: 0, rejected: 0, figures: 0 };
    const sample: RejectedIngestRow[] = [];
    let batch: ReadingRow[] = [];
    const touched = new Map<string, Touched>();
    const rollUp = async () => {
      totals.figures += (await this.rollUp(req.source, runId, [...touched.values()])).written;
      touched.clear();
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const o = await this.writeBatch(req.source, runId, rows, totals.read, bounds, { rollUp: false });
      for (const t of o.touched) {
        const key = `${t.indicator}\u0000${t.place}`;
        const days = touched.get(key)?.days;
        if (days) for (const d of t.days) days.add(d);
        else touched.set(key, { indicator: t.indicator, place: t.place, days: new Set(t.days) });
      }
      totals.read += o.read;
      totals.accepted += o.accepted;
      totals.created += o.created;
      totals.unchanged += o.unchanged;
      totals.rejected += o.rejected.length;
      for (const r of o.rejected) if (sample.length < SAMPLE) sample.push({ index: r.index, line: r.line, reason: r.reason, message: r.message, raw: r.raw, row: r.value ?? null });
    };
    try {
      for await (const r of req.rows) {
        batch.push(r);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      await rollUp();
    } catch (e) {
      // The batches committed before the failure keep their readings: their days get their means.
      await rollUp().catch(() => undefined);
      const message = e instanceof AppError ? e.message : `The readings after ${totals.read} could not be stored; none of that batch was kept. Load the file again: readings already stored are not duplicated.`;
      await this.finishRun(runId, 'failed', message, started).catch(() => undefined);
      if (e instanceof AppError) throw e;
      throw new AppError('ingestion_failed', message, { runId, rowsRead: totals.read });
    }
    if (totals.read === 0) {
      await this.finishRun(runId, 'failed', 'Nothing to read: the file holds no readings', started);
      throw new AppError('empty_file', 'The file holds no readings', { runId });
    }
    const status: RunStatus = totals.rejected > 0 ? 'partial' : 'succeeded';
    await this.finishRun(runId, status, null, started);
    return {
      runId,
      dryRun: false,
      status,
      rowsRead: totals.read,
      accepted: totals.accepted,
      created: totals.created,
      revised: 0,
      unchanged: totals.unchanged,
      rejected: totals.rejected,
      rejectedRows: sample,
      figures: totals.figures,
    };
  }
}
