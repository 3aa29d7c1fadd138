import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** An indicator's latest arrival: when, from which source, and the latest period end delivered. */
export interface IndicatorArrivalRow {
  code: string;
  /** When the definition was last stored: what is owed while nothing has arrived is counted from here. */
  definedAt: string;
  lastRecordedAt: string | null;
  lastSource: string | null;
  lastPeriodEnd: string | null;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

/** All SQL about freshness: per-indicator arrivals, and a cheap stamp that changes whenever they may have. */
export class FreshnessRepository {
  constructor(private readonly db: Db) {}

  /**
   * A stamp of everything freshness is computed from: the newest fact and
   * revision (primary keys, so their maxima are index lookups), the
   * catalogue and the sources. Equal stamps mean equal answers.
   */
  async stamp(): Promise<string> {
    const r = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('observation').select((e) => e.fn.max('id').as('m')).as('o'),
        eb.selectFrom('observation_revision').select((e) => e.fn.max('id').as('m')).as('r'),
        eb.selectFrom('indicator').select((e) => e.fn.countAll().as('n')).as('i'),
        eb.selectFrom('indicator').select((e) => e.fn.max('updated_at').as('m')).as('iu'),
        eb.selectFrom('source').select((e) => e.fn.countAll().as('n')).as('s'),
        eb.selectFrom('source').select((e) => e.fn.max('updated_at').as('m')).as('su'),
        eb.selectFrom('organisation').select((e) => e.fn.countAll().as('n')).as('g'),
      ])
      .executeTakeFirstOrThrow();
    return [r.o, r.r, r.i, text(r.iu), r.s, text(r.su), r.g].map((v) => String(v ?? '')).join('|');
  }

  /** Each indicator's latest arrival, as the write path keeps it (`indicator_arrival`), beside its definition. */
  async arrivals(): Promise<IndicatorArrivalRow[]> {
    const rows = await this.db
      .selectFrom('indicator as i')
      .leftJoin('indicator_arrival as a', 'a.indicator_code', 'i.code')
      .select(['i.code', 'i.updated_at', 'a.last_recorded_at', 'a.last_source', 'a.last_period_end'])
      .orderBy('i.code')
      .execute();
    return rows.map((r) => ({ code: r.code, definedAt: text(r.updated_at) ?? '', lastRecordedAt: text(r.last_recorded_at), lastSource: r.last_source ?? null, lastPeriodEnd: text(r.last_period_end) }));
  }
}
