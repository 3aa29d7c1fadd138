import type { Kysely, Transaction } from 'kysely';
import { reportTemplateSchema, type ReportTemplate } from '@watchfloor/core';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

function readJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export interface StoredTemplate {
  document: ReportTemplate;
  createdAt: string;
  updatedAt: string;
}

/** Report templates by code; documents are validated in core before they are written and parsed again when read. */
export class ReportTemplatesRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<StoredTemplate[]> {
    const rows = await this.db.selectFrom('report_template').select(['document', 'created_at', 'updated_at']).orderBy('code').execute();
    return rows.map((r) => ({ document: reportTemplateSchema.parse(readJson(r.document)), createdAt: String(r.created_at), updatedAt: String(r.updated_at) }));
  }

  async get(code: string): Promise<StoredTemplate | undefined> {
    const r = await this.db.selectFrom('report_template').select(['document', 'created_at', 'updated_at']).where('code', '=', code).executeTakeFirst();
    return r ? { document: reportTemplateSchema.parse(readJson(r.document)), createdAt: String(r.created_at), updatedAt: String(r.updated_at) } : undefined;
  }

  /** Creates or replaces; true when the code was new. */
  async put(template: ReportTemplate, now: string): Promise<boolean> {
    const existed = await this.db.selectFrom('report_template').select('code').where('code', '=', template.code).executeTakeFirst();
    const text = JSON.stringify(template);
    await this.db
      .insertInto('report_template')
      .values({ code: template.code, document: text, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doUpdateSet({ document: text, updated_at: now }))
      .execute();
    return existed === undefined;
  }

  /** Inserts unless the code exists (a seed never overwrites a steward's edits); true when inserted. */
  async insertIfAbsent(template: ReportTemplate, now: string): Promise<boolean> {
    const r = await this.db
      .insertInto('report_template')
      .values({ code: template.code, document: JSON.stringify(template), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
