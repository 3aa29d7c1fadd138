import { noDataSince, rateExceeded, ruleParameters, thresholdState, type AlertRule, type NoDataParameters, type RateParameters, type ThresholdParameters, type ThresholdSide } from '@watchfloor/core';
import { AlertsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import type { Finding } from './evaluation';
import type { AlertService } from './service';

/** A committed reading, as the ingest knows it. */
export interface StreamReading {
  station: string;
  datastream: string;
  /** The station's place. */
  placeCode: string | null;
  /** ISO instant, UTC. */
  at: string;
  value: number;
}

export interface AlertStreamOptions {
  /** How long the cached rules are trusted without a save seen here (a rule saved through another instance). */
  rulesTtlMs?: number;
  /**
   * Within how long a last value seen (needed by rates, late readings after
   * a restart and the no-data tick) is written: each batch writes its share
   * of the values waiting, oldest first, so the writes are spread evenly.
   */
  checkpointMs?: number;
  /** Alert changes applied at once (different subjects; one subject's changes stay in order). */
  concurrency?: number;
  onError?: (message: string, error: unknown) => void;
}

/** What one rule knows of one subject, between readings. */
interface SubjectState {
  rule: string;
  key: string;
  placeCode: string | null;
  lastAt: string | null;
  lastValue: number | null;
  /** threshold: the side of the open alert; rate and no data: 'high' while one is open. */
  side: ThresholdSide | null;
  /** Seen since last written to `alert_subject`. */
  dirty: boolean;
}

type Change = { rule: AlertRule; key: string; finding: Finding };

/** A rule with its parameters read once (not per reading). */
type Compiled =
  | { rule: AlertRule; kind: 'threshold'; p: ThresholdParameters }
  | { rule: AlertRule; kind: 'rate_of_change'; p: RateParameters }
  | { rule: AlertRule; kind: 'no_data'; p: NoDataParameters };

function compile(rule: AlertRule): Compiled | null {
  if (rule.kind === 'threshold') return { rule, kind: 'threshold', p: ruleParameters('threshold', rule.parameters) };
  if (rule.kind === 'rate_of_change') return { rule, kind: 'rate_of_change', p: ruleParameters('rate_of_change', rule.parameters) };
  if (rule.kind === 'no_data') return { rule, kind: 'no_data', p: ruleParameters('no_data', rule.parameters) };
  return null;
}

const STREAM_KINDS = ['threshold', 'rate_of_change', 'no_data'];
const round = (n: number) => Math.round(n * 100) / 100;

const where = (r: StreamReading) => `${r.station}/${r.datastream} at ${r.at}`;

/** The subject of a threshold or rate rule: one station's datastream. */
export const streamSubjectKey = (station: string, datastream: string) => `ds:${station}/${datastream}`;
/** The subject of a no-data rule: the datastream code across stations, as the tick reads it. */
const silenceKey = (datastream: string) => `ds:${datastream}`;

/**
 * Alert rules evaluated on the sensor stream, a committed batch at a time.
 * The rules on datastreams are held in memory by datastream code (reloaded
 * when one is saved, and at least every `rulesTtlMs`), and so is what each
 * rule × subject last saw and whether its alert is open; the batch is
 * judged in memory by the pure rules of core/alerts, and only a change of
 * state (an alert to open or resolve) touches the database, through
 * `AlertService.applyFinding`. What was last seen is written within
 * `checkpointMs` (a share with each batch, oldest first; at once for a
 * silence broken) and on `stop`: one write per subject and while, never
 * one per reading.
 * Batches queue behind each other; `submit` returns at once, so the
 * channel acknowledges its messages without waiting for alerting.
 */
export class AlertStream {
  private rules: Map<string, Compiled[]> | null = null;
  private loadedAt = 0;
  private readonly byCode = new Map<string, AlertRule>();
  /** subject key → rule code → state; a rule's subjects are loaded with it. */
  private readonly subjects = new Map<string, Map<string, SubjectState>>();
  /** States seen since written, in the order they first changed. */
  private dirty: SubjectState[] = [];
  private stale = new Set<string>();
  private pending: Promise<void> = Promise.resolve();
  private readonly rulesTtlMs: number;
  private readonly checkpointMs: number;
  private lastCheckpoint = Date.now();
  private readonly concurrency: number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: AppContext,
    private readonly alerts: AlertService,
    private readonly options: AlertStreamOptions = {},
  ) {
    this.rulesTtlMs = options.rulesTtlMs ?? 30_000;
    this.checkpointMs = options.checkpointMs ?? 30_000;
    this.concurrency = options.concurrency ?? 8;
    this.unsubscribe = alerts.onRuleChanged((code) => this.invalidate(code));
  }

  /** A rule was saved: it (and its subjects' states) is read again before the next batch; no code: every rule. */
  invalidate(code?: string): void {
    if (code === undefined) this.rules = null;
    else this.stale.add(code);
  }

  /** Queues the evaluation of a committed batch; failures go to `onError` (the readings are stored either way). */
  submit(readings: readonly StreamReading[]): void {
    if (readings.length === 0) return;
    this.pending = this.pending.then(() => this.evaluate(readings)).catch((e: unknown) => this.options.onError?.('alert evaluation of readings failed', e));
  }

  /** Resolves when every submitted batch has been evaluated. */
  idle(): Promise<void> {
    return this.pending;
  }

  /**
   * Waits for the queue and writes every last value seen now, rather than
   * within `checkpointMs` (what the no-data tick and another instance read).
   */
  async flush(): Promise<void> {
    await this.pending;
    await this.checkpoint(Infinity);
  }

  /** Waits for the queue, writes every last value seen and stops listening to rule saves. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.flush();
  }

  /** One batch: judged in memory, then the changes applied, then some last values written. */
  async evaluate(readings: readonly StreamReading[]): Promise<void> {
    const rules = await this.currentRules();
    if (rules.size === 0) return;
    // A gateway may send a batch out of order: judge it in time order, as it happened.
    let ordered = readings;
    for (let i = 1; i < readings.length; i++) {
      if ((readings[i] as StreamReading).at < (readings[i - 1] as StreamReading).at) {
        ordered = [...readings].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        break;
      }
    }
    const changes: Change[] = [];
    for (const r of ordered) {
      const list = rules.get(r.datastream);
      if (!list) continue;
      const streamKey = streamSubjectKey(r.station, r.datastream);
      const stream = this.subjectOf(streamKey);
      let silence: Map<string, SubjectState> | null = null;
      for (const c of list) {
        const key = c.kind === 'no_data' ? silenceKey(r.datastream) : streamKey;
        const states = c.kind === 'no_data' ? (silence ??= this.subjectOf(key)) : stream;
        let s = states.get(c.rule.code);
        if (!s) states.set(c.rule.code, (s = { rule: c.rule.code, key, placeCode: r.placeCode, lastAt: null, lastValue: null, side: null, dirty: false }));
        const change = this.judge(c, s, r);
        if (change) changes.push(change);
      }
    }
    await this.applyChanges(changes);
    const now = Date.now();
    const share = Math.min(1, (now - this.lastCheckpoint) / this.checkpointMs);
    this.lastCheckpoint = now;
    await this.checkpoint(Math.ceil(this.dirty.length * share));
  }

  /** One reading against one rule's state of its subject: the change of alert it calls for, if any. */
  private judge(c: Compiled, s: SubjectState, r: StreamReading): Change | null {
    // Older than what the rule last saw: a late reading changes nothing, the current state stands.
    if (s.lastAt !== null && s.lastAt >= r.at) return null;
    const prevAt = s.lastAt;
    const prevValue = s.lastValue;
    s.lastAt = r.at;
    s.lastValue = r.value;
    s.placeCode = r.placeCode;
    if (!s.dirty) {
      s.dirty = true;
      this.dirty.push(s);
    }
    const rule = c.rule;
    const was = s.side;
    if (c.kind === 'no_data') {
      // Silence is raised by the tick, possibly on another instance, after this state was loaded: a reading
      // that ends a gap long enough for the tick to have raised one breaks it too (resolving nothing if none is open).
      s.side = null;
      const now = new Date(Math.max(this.ctx.clock.now().getTime(), Date.parse(r.at)));
      const mayBeSilent = noDataSince(c.p, prevAt, rule.updatedAt, now) !== null;
      return was === null && !mayBeSilent ? null : { rule, key: s.key, finding: { active: false } };
    }
    if (c.kind === 'threshold') {
      const side = thresholdState(c.p, r.value, was);
      s.side = side;
      if (side === null) return was === null ? null : { rule, key: s.key, finding: { active: false } };
      // Still raised (on either side): the open alert stands, as when judged reading by reading.
      if (was !== null) return null;
      return { rule, key: s.key, finding: { active: true, value: r.value, message: `${where(r)}: ${r.value} ${side === 'low' ? `≤ ${c.p.low}` : `≥ ${c.p.high}`}`, placeCode: r.placeCode, orgCode: null } };
    }
    const rate = rateExceeded(c.p, prevAt !== null && prevValue !== null ? { at: prevAt, value: prevValue } : null, { at: r.at, value: r.value });
    s.side = rate === null ? null : 'high';
    if (rate === null) return was === null ? null : { rule, key: s.key, finding: { active: false } };
    if (was !== null) return null;
    return { rule, key: s.key, finding: { active: true, value: r.value, message: `${where(r)}: ${r.value} changed ${round(rate)} per hour (limit ${c.p.maxPerHour})`, placeCode: r.placeCode, orgCode: null } };
  }

  private subjectOf(key: string): Map<string, SubjectState> {
    let m = this.subjects.get(key);
    if (!m) this.subjects.set(key, (m = new Map()));
    return m;
  }

  /** The changes in order per subject, subjects side by side. */
  private async applyChanges(changes: Change[]): Promise<void> {
    if (changes.length === 0) return;
    const bySubject = new Map<string, Change[]>();
    for (const c of changes) {
      const id = `${c.rule.code}\u0000${c.key}`;
      const list = bySubject.get(id);
      if (list) list.push(c);
      else bySubject.set(id, [c]);
    }
    // The tick must not find a silence a reading has just broken: that reading is written first.
    const seen: SubjectState[] = [];
    for (const list of bySubject.values()) {
      const first = list[0] as Change;
      if (first.rule.kind !== 'no_data') continue;
      const s = this.subjects.get(first.key)?.get(first.rule.code);
      if (s?.dirty) {
        s.dirty = false;
        seen.push(s);
      }
    }
    await this.writeSeen(seen);
    const queue = [...bySubject.values()];
    const failures: unknown[] = [];
    const worker = async () => {
      for (let list = queue.shift(); list; list = queue.shift()) {
        try {
          for (const c of list) await this.alerts.applyFinding(c.rule, c.key, c.finding);
        } catch (e) {
          // What memory says no longer matches the database: forgotten, so the next reading judges afresh.
          const first = list[0] as Change;
          this.subjects.get(first.key)?.delete(first.rule.code);
          failures.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    if (failures.length > 0) throw failures[0];
  }

  /** Writes up to `rows` of the states seen since written, oldest change first. */
  private async checkpoint(rows: number): Promise<void> {
    if (this.dirty.length === 0) return;
    const due: SubjectState[] = [];
    let i = 0;
    for (; i < this.dirty.length && due.length < rows; i++) {
      const s = this.dirty[i] as SubjectState;
      // Written with an alert change since: no longer waiting.
      if (!s.dirty) continue;
      s.dirty = false;
      due.push(s);
    }
    this.dirty = this.dirty.slice(i);
    await this.writeSeen(due);
  }

  private async writeSeen(states: readonly SubjectState[]): Promise<void> {
    const rows = states.flatMap((s) => (s.lastAt === null ? [] : [{ ruleCode: s.rule, subjectKey: s.key, placeCode: s.placeCode, at: s.lastAt, value: s.lastValue }]));
    if (rows.length > 0) await new AlertsRepository(this.ctx.store.db).seeMany(rows);
  }

  /**
   * The enabled stream rules by datastream code. A rule saved since (or all
   * of them, past the TTL) is read again, and its subjects' states with it:
   * what it last saw from `alert_subject`, whether an alert is open from
   * its unresolved alerts (the side from the value that raised it).
   */
  private async currentRules(): Promise<Map<string, Compiled[]>> {
    const expired = Date.now() - this.loadedAt > this.rulesTtlMs;
    if (this.rules && !expired && this.stale.size === 0) return this.rules;
    const repo = new AlertsRepository(this.ctx.store.db);
    const fresh = (await repo.rules({ kinds: STREAM_KINDS, enabledOnly: true })).filter((r) => r.subject.datastream !== undefined);
    const full = this.rules === null;
    const reload = fresh.filter((r) => full || this.stale.has(r.code) || this.byCode.get(r.code)?.updatedAt !== r.updatedAt);
    const gone = [...this.byCode.keys()].filter((c) => !fresh.some((r) => r.code === c));
    this.stale = new Set();
    const dropped = new Set([...reload.map((r) => r.code), ...gone]);
    if (dropped.size > 0) {
      // Unsaved last values of the rules about to be reloaded are written first, so they are read back.
      await this.checkpoint(Infinity);
      for (const [key, states] of this.subjects) {
        for (const code of dropped) states.delete(code);
        if (states.size === 0) this.subjects.delete(key);
      }
    }
    if (reload.length > 0) {
      const codes = reload.map((r) => r.code);
      for (const seen of await repo.seenOfRules(codes)) {
        this.subjectOf(seen.subjectKey).set(seen.ruleCode, { rule: seen.ruleCode, key: seen.subjectKey, placeCode: null, lastAt: seen.at, lastValue: seen.value, side: null, dirty: false });
      }
      const kinds = new Map(reload.map((r) => [r.code, r]));
      for (const open of await repo.unresolvedOfRules(codes)) {
        const rule = open.rule_code === null ? undefined : kinds.get(open.rule_code);
        if (!rule) continue;
        const states = this.subjectOf(open.subject_key);
        let s = states.get(rule.code);
        if (!s) states.set(rule.code, (s = { rule: rule.code, key: open.subject_key, placeCode: open.place_code, lastAt: null, lastValue: null, side: null, dirty: false }));
        s.placeCode ??= open.place_code;
        const low = rule.kind === 'threshold' ? ruleParameters('threshold', rule.parameters).low : undefined;
        s.side = open.value !== null && low !== undefined && open.value <= low ? 'low' : 'high';
      }
    }
    this.byCode.clear();
    const byStream = new Map<string, Compiled[]>();
    for (const r of fresh) {
      this.byCode.set(r.code, r);
      const c = compile(r);
      if (!c) continue;
      const ds = r.subject.datastream as string;
      const list = byStream.get(ds);
      if (list) list.push(c);
      else byStream.set(ds, [c]);
    }
    this.rules = byStream;
    this.loadedAt = Date.now();
    return byStream;
  }
}
