import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DatasetTable } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;
export type DatasetRow = Selectable<DatasetTable>;

/** Which reference data sets are loaded, with the checksum of what was loaded. */
export class DatasetsRepository {
  constructor(private readonly db: Db) {}

  async get(name: string): Promise<DatasetRow | undefined> {
    return this.db.selectFrom('dataset').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async list(): Promise<DatasetRow[]> {
    return this.db.selectFrom('dataset').selectAll().orderBy('name').execute();
  }

  async record(name: string, checksum: string, loadedAt: string, summary: string): Promise<void> {
    await this.db
      .insertInto('dataset')
      .values({ name, checksum, loaded_at: loadedAt, summary })
      .onConflict((oc) => oc.column('name').doUpdateSet({ checksum, loaded_at: loadedAt, summary }))
      .execute();
  }
}
