import type { Kysely, Transaction } from 'kysely';
import { dashboardSchema, playlistSchema, type Dashboard, type Playlist } from '@watchfloor/core';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** JSON columns come back as text from SQLite and as values from PostgreSQL. */
function readJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export interface StoredBoard<T> {
  document: T;
  createdAt: string;
  updatedAt: string;
}

type Table = 'dashboard' | 'playlist';

/** Documents by code in one of the two tables; `parse` reads them back through the core schema. */
class DocumentStore<T> {
  constructor(
    private readonly db: Db,
    private readonly table: Table,
    private readonly parse: (raw: unknown) => T,
  ) {}

  async list(): Promise<StoredBoard<T>[]> {
    const rows = await this.db.selectFrom(this.table).select(['document', 'created_at', 'updated_at']).orderBy('code').execute();
    return rows.map((r) => ({ document: this.parse(readJson(r.document)), createdAt: String(r.created_at), updatedAt: String(r.updated_at) }));
  }

  async get(code: string): Promise<StoredBoard<T> | undefined> {
    const r = await this.db.selectFrom(this.table).select(['document', 'created_at', 'updated_at']).where('code', '=', code).executeTakeFirst();
    return r ? { document: this.parse(readJson(r.document)), createdAt: String(r.created_at), updatedAt: String(r.updated_at) } : undefined;
  }

  /** Creates or replaces; true when the code was new. */
  async put(code: string, document: T, now: string): Promise<boolean> {
    const existed = await this.db.selectFrom(this.table).select('code').where('code', '=', code).executeTakeFirst();
    const text = JSON.stringify(document);
    await this.db
      .insertInto(this.table)
      .values({ code, document: text, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doUpdateSet({ document: text, updated_at: now }))
      .execute();
    return existed === undefined;
  }

  /** Inserts unless the code exists (a seed never overwrites a steward's edits); true when inserted. */
  async insertIfAbsent(code: string, document: T, now: string): Promise<boolean> {
    const r = await this.db
      .insertInto(this.table)
      .values({ code, document: JSON.stringify(document), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async delete(code: string): Promise<boolean> {
    const r = await this.db.deleteFrom(this.table).where('code', '=', code).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/**
 * Dashboards and the wall's playlists. Documents are validated in core
 * before they are written and parsed again when read, so a row can never
 * reach a screen in a shape the schema does not allow.
 */
export class DashboardsRepository {
  readonly dashboards: DocumentStore<Dashboard>;
  readonly playlists: DocumentStore<Playlist>;

  constructor(db: Db) {
    this.dashboards = new DocumentStore(db, 'dashboard', (raw) => dashboardSchema.parse(raw));
    this.playlists = new DocumentStore(db, 'playlist', (raw) => playlistSchema.parse(raw));
  }
}
