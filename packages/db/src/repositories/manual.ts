import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** A stored figure as a manual-entry form shows it: to prefill, and to say a change will be a revision. */
export interface StoredFigureRow {
  indicatorCode: string;
  value: number;
  status: string;
  note: string | null;
  revision: number;
  source: string;
  enteredBy: string | null;
  recordedAt: string;
}

const text = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/** All SQL of the manual-entry form. */
export class ManualEntryRepository {
  constructor(private readonly db: Db) {}

  /** The figures stored for some indicators at one place version, period and organisation ('' for none): one indexed read. */
  async stored(indicatorCodes: readonly string[], placeId: number, periodKey: string, orgCode: string): Promise<StoredFigureRow[]> {
    if (indicatorCodes.length === 0) return [];
    const rows = await this.db
      .selectFrom('observation')
      .select(['indicator_code', 'value', 'status', 'note', 'revision', 'source', 'entered_by', 'recorded_at'])
      .where('indicator_code', 'in', indicatorCodes)
      .where('period_key', '=', periodKey)
      .where('place_id', '=', placeId)
      .where('org_code', '=', orgCode)
      .execute();
    return rows.map((r) => ({ indicatorCode: r.indicator_code, value: r.value, status: r.status, note: r.note, revision: r.revision, source: r.source, enteredBy: r.entered_by, recordedAt: text(r.recorded_at) }));
  }

  /** The name of a place version. */
  async placeName(id: number): Promise<string | undefined> {
    return (await this.db.selectFrom('place').select('name').where('id', '=', id).executeTakeFirst())?.name;
  }
}
