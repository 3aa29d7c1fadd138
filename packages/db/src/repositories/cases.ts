import { type Kysely, type Selectable, type Transaction } from 'kysely';
import { caseCategorySchema, CITIZEN_CHANNELS, reporterSchema, type CaseCategory, type CaseRoute, type Reporter, type SopStepDefinition } from '@watchfloor/core';
import type { CaseCategoryTable, CaseEventTable, CaseTable, Database, SopStepTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { keysetPages } from '../keyset';
import { validOn } from '../validity';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Cases (`c`) beside when each last moved to resolved (`r.resolved_at`,
 * null if never): what counting a period needs, since a reopened case
 * counts where it was resolved last.
 */
export function casesWithLastResolution(db: Db) {
  return db
    .selectFrom('case as c')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('case_event')
          .select((e) => ['case_id', e.fn.max('at').as('resolved_at')])
          .where('kind', '=', 'status')
          .where('after_value', '=', 'resolved')
          .groupBy('case_id')
          .as('r'),
      (join) => join.onRef('r.case_id', '=', 'c.id'),
    );
}

/** Where a case is judged for access: the commune version it was located to and the agency handling it (`c` the alias, or the table). */
export function caseInScope(scope: ResolvedScope, alias = 'case') {
  return inScope(scope, { placeId: `${alias}.place_id`, orgCode: `${alias}.org_code` });
}

export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type CaseSopStepRow = Selectable<SopStepTable>;

const strings = (v: unknown): string[] => {
  const parsed = readJsonColumn(v);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
};

function toCategory(r: Selectable<CaseCategoryTable>): CaseCategory {
  // Parsed through the schema: a hand-edited row fails loudly here rather than far away.
  return caseCategorySchema.parse({
    code: r.code,
    names: { vi: r.name_vi, en: r.name_en },
    description: r.description,
    group: r.group_name,
    keywords: readJsonColumn(r.keywords),
    serviceLevelHours: r.service_level_hours,
    defaultOrganisation: r.default_org_code,
    routes: readJsonColumn(r.routes),
    sop: readJsonColumn(r.sop),
    public: r.public === 1,
    sensitive: r.sensitive === 1,
  });
}

/** A case as stored, JSON columns read; `reporter` stays in the server and is never answered. */
export interface CaseRecord {
  id: number;
  publicId: string;
  token: string;
  categoryCode: string;
  title: string;
  description: string | null;
  lat: number;
  lon: number;
  placeId: number | null;
  placeCode: string | null;
  provinceCode: string | null;
  address: string | null;
  media: string[];
  reporter: Reporter | null;
  channel: string;
  priority: string;
  orgCode: string | null;
  status: string;
  receivedAt: string;
  deadlineAt: string;
  satisfaction: number | null;
  createdAt: string;
  updatedAt: string;
}

function toRecord(r: CaseRow): CaseRecord {
  const reporter = r.reporter === null ? null : reporterSchema.safeParse(readJsonColumn(r.reporter));
  return {
    id: r.id,
    publicId: r.public_id,
    token: r.token,
    categoryCode: r.category_code,
    title: r.title,
    description: r.description,
    lat: r.lat,
    lon: r.lon,
    placeId: r.place_id,
    placeCode: r.place_code,
    provinceCode: r.province_code,
    address: r.address,
    media: strings(r.media),
    reporter: reporter?.success ? reporter.data : null,
    channel: r.channel,
    priority: r.priority,
    orgCode: r.org_code,
    status: r.status,
    receivedAt: r.received_at,
    deadlineAt: r.deadline_at,
    satisfaction: r.satisfaction,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type NewCase = Omit<CaseRecord, 'id' | 'publicId' | 'satisfaction' | 'updatedAt'>;

export interface CaseEventInput {
  at: string;
  actor: string;
  kind: string;
  before: string | null;
  after: string | null;
  note: string | null;
}

export interface CaseFilter {
  status?: readonly string[] | undefined;
  categoryCode?: string | undefined;
  categoryCodes?: readonly string[] | undefined;
  /** A commune or province code: cases in it. */
  placeCode?: string | undefined;
  orgCode?: string | undefined;
  publicIds?: readonly string[] | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  /** Unfinished cases with a deadline before this instant. */
  deadlineBefore?: string | undefined;
  /** Statuses that count as finished, excluded with `deadlineBefore`. */
  finished?: readonly string[] | undefined;
  /** Only what Open311 may list: citizens' own reports (`CITIZEN_CHANNELS`) in categories marked public. */
  publishedOnly?: boolean | undefined;
  limit?: number | undefined;
}

/** All SQL about cases, their categories, timeline and SOP steps. */
export class CasesRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces categories by code. */
  async upsertCategories(categories: readonly CaseCategory[], now: string): Promise<void> {
    for (const c of categories) {
      const row = {
        code: c.code,
        name_vi: c.names.vi,
        name_en: c.names.en,
        description: c.description,
        group_name: c.group,
        keywords: JSON.stringify(c.keywords),
        service_level_hours: c.serviceLevelHours,
        default_org_code: c.defaultOrganisation,
        routes: JSON.stringify(c.routes satisfies CaseRoute[]),
        sop: JSON.stringify(c.sop satisfies SopStepDefinition[]),
        public: c.public ? 1 : 0,
        sensitive: c.sensitive ? 1 : 0,
        updated_at: now,
      };
      await this.db
        .insertInto('case_category')
        .values(row)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name_vi: eb.ref('excluded.name_vi'),
            name_en: eb.ref('excluded.name_en'),
            description: eb.ref('excluded.description'),
            group_name: eb.ref('excluded.group_name'),
            keywords: eb.ref('excluded.keywords'),
            service_level_hours: eb.ref('excluded.service_level_hours'),
            default_org_code: eb.ref('excluded.default_org_code'),
            routes: eb.ref('excluded.routes'),
            sop: eb.ref('excluded.sop'),
            public: eb.ref('excluded.public'),
            sensitive: eb.ref('excluded.sensitive'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  async categories(): Promise<CaseCategory[]> {
    return (await this.db.selectFrom('case_category').selectAll().where('active', '=', 1).orderBy('code').execute()).map(toCategory);
  }

  async category(code: string): Promise<CaseCategory | undefined> {
    const r = await this.db.selectFrom('case_category').selectAll().where('code', '=', code).where('active', '=', 1).executeTakeFirst();
    return r ? toCategory(r) : undefined;
  }

  /** Inserts a case with its SOP steps and first event; its public id is numbered from its row id. */
  async insert(c: NewCase, steps: readonly SopStepDefinition[], created: CaseEventInput): Promise<CaseRecord> {
    const { id } = await this.db
      .insertInto('case')
      .values({
        public_id: `tmp-${c.token}`,
        token: c.token,
        category_code: c.categoryCode,
        title: c.title,
        description: c.description,
        lat: c.lat,
        lon: c.lon,
        place_id: c.placeId,
        place_code: c.placeCode,
        province_code: c.provinceCode,
        address: c.address,
        media: JSON.stringify(c.media),
        reporter: c.reporter ? JSON.stringify(c.reporter) : null,
        channel: c.channel,
        priority: c.priority,
        org_code: c.orgCode,
        status: c.status,
        received_at: c.receivedAt,
        deadline_at: c.deadlineAt,
        created_at: c.createdAt,
        updated_at: c.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db.updateTable('case').set({ public_id: publicIdOf(id) }).where('id', '=', id).execute();
    if (steps.length > 0) {
      await this.db
        .insertInto('sop_step')
        .values(steps.map((s, i) => ({ case_id: id, step: i + 1, title: s.title, role: s.role, expected_minutes: s.expectedMinutes })))
        .execute();
    }
    await this.addEvent(id, created);
    const row = await this.db.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** A case by its public id, if the scope reaches it (outside it, as unknown). */
  async findByPublicId(publicId: string, scope: ResolvedScope): Promise<CaseRecord | undefined> {
    const r = await this.db.selectFrom('case').selectAll().where('public_id', '=', publicId).where(caseInScope(scope)).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async findByToken(token: string, scope: ResolvedScope): Promise<CaseRecord | undefined> {
    const r = await this.db.selectFrom('case').selectAll().where('token', '=', token).where(caseInScope(scope)).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Cases in the scope matching every given filter, newest first (the first `limit`, 1,000 by default). */
  async list(f: CaseFilter, scope: ResolvedScope): Promise<CaseRecord[]> {
    const rows = await this.matching(f, scope).orderBy('received_at', 'desc').orderBy('id', 'desc').limit(f.limit ?? 1000).execute();
    return rows.map(toRecord);
  }

  /**
   * Every case in the scope matching the filter (`limit` rows at most when
   * given), newest first, read a page at a time: each page starts after the
   * last row of the one before by (received time, id), on the index of that
   * order, so a list of any length is never held whole nor sorted anew, and
   * no connection is held between pages. A case received while the list is
   * read is not in it when it is newer than the page being read.
   */
  pages(f: CaseFilter, scope: ResolvedScope, pageSize = 2000): AsyncGenerator<CaseRecord[]> {
    return keysetPages(
      async (after, size) => {
        let q = this.matching(f, scope);
        // A row value, so that both engines seek the index to the page's start instead of scanning it from the top.
        if (after) q = q.where((eb) => eb(eb.refTuple('received_at', 'id'), '<', eb.tuple(after.receivedAt, after.id)));
        return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(size).execute()).map(toRecord);
      },
      f.limit,
      pageSize,
    );
  }

  private matching(f: CaseFilter, scope: ResolvedScope) {
    let q = this.db.selectFrom('case').selectAll().where(caseInScope(scope));
    if (f.status?.length) q = q.where('status', 'in', [...f.status]);
    if (f.categoryCode) q = q.where('category_code', '=', f.categoryCode);
    if (f.categoryCodes?.length) q = q.where('category_code', 'in', [...f.categoryCodes]);
    if (f.placeCode) {
      const code = f.placeCode;
      q = q.where((eb) => eb.or([eb('place_code', '=', code), eb('province_code', '=', code)]));
    }
    if (f.orgCode) q = q.where('org_code', '=', f.orgCode);
    if (f.publicIds?.length) q = q.where('public_id', 'in', [...f.publicIds]);
    if (f.publishedOnly) {
      q = q
        .where('channel', 'in', [...CITIZEN_CHANNELS])
        .where('category_code', 'in', (eb) => eb.selectFrom('case_category').select('code').where('public', '=', 1));
    }
    if (f.receivedFrom) q = q.where('received_at', '>=', f.receivedFrom);
    if (f.receivedTo) q = q.where('received_at', '<=', f.receivedTo);
    if (f.deadlineBefore) {
      q = q.where('deadline_at', '<', f.deadlineBefore);
      if (f.finished?.length) q = q.where('status', 'not in', [...f.finished]);
    }
    return q;
  }

  /**
   * Changes a case's status and/or organisation, stamping `updated_at`.
   * With `expectedStatus`, only while the case still has that status (a
   * concurrent change wins once); false when nothing was changed.
   */
  async update(id: number, patch: { status?: string; orgCode?: string | null; satisfaction?: number | null }, at: string, expectedStatus?: string): Promise<boolean> {
    let q = this.db
      .updateTable('case')
      .set({
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.orgCode !== undefined ? { org_code: patch.orgCode } : {}),
        ...(patch.satisfaction !== undefined ? { satisfaction: patch.satisfaction } : {}),
        updated_at: at,
      })
      .where('id', '=', id);
    if (expectedStatus !== undefined) q = q.where('status', '=', expectedStatus);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addEvent(caseId: number, e: CaseEventInput): Promise<void> {
    await this.db
      .insertInto('case_event')
      .values({ case_id: caseId, at: e.at, actor: e.actor, kind: e.kind, before_value: e.before, after_value: e.after, note: e.note })
      .execute();
  }

  /** The timeline of a case (empty when the scope does not reach the case). */
  async events(caseId: number, scope: ResolvedScope): Promise<CaseEventRow[]> {
    return this.db
      .selectFrom('case_event')
      .innerJoin('case as c', 'c.id', 'case_event.case_id')
      .selectAll('case_event')
      .where('case_event.case_id', '=', caseId)
      .where(caseInScope(scope, 'c'))
      .orderBy('case_event.id')
      .execute();
  }

  /** The procedure steps of a case (empty when the scope does not reach the case). */
  async sopSteps(caseId: number, scope: ResolvedScope): Promise<CaseSopStepRow[]> {
    return this.db
      .selectFrom('sop_step')
      .innerJoin('case as c', 'c.id', 'sop_step.case_id')
      .selectAll('sop_step')
      .where('sop_step.case_id', '=', caseId)
      .where(caseInScope(scope, 'c'))
      .orderBy('sop_step.step')
      .execute();
  }

  /** Marks a step done; false when it was done already (nothing is changed then). */
  async markStepDone(caseId: number, step: number, by: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('sop_step')
      .set({ done_at: at, done_by: by })
      .where('case_id', '=', caseId)
      .where('step', '=', step)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * What the counts of a period need: the cases received in it or last
   * resolved in it (`start` inclusive, `end` exclusive), of one agency
   * and/or in one place (a commune or province code), within the scope.
   */
  async forCounts(f: { start: string; end: string; orgCode?: string | undefined; placeCode?: string | undefined }, scope: ResolvedScope) {
    let q = casesWithLastResolution(this.db)
      .select(['c.status', 'c.received_at', 'c.deadline_at', 'c.satisfaction', 'r.resolved_at'])
      .where(caseInScope(scope, 'c'))
      .where((eb) =>
        eb.or([
          eb.and([eb('c.received_at', '>=', f.start), eb('c.received_at', '<', f.end)]),
          eb.and([eb('r.resolved_at', '>=', f.start), eb('r.resolved_at', '<', f.end)]),
        ]),
      );
    if (f.orgCode) q = q.where('c.org_code', '=', f.orgCode);
    if (f.placeCode) {
      const code = f.placeCode;
      q = q.where((eb) => eb.or([eb('c.place_code', '=', code), eb('c.province_code', '=', code)]));
    }
    return q.execute();
  }

  /** The names of organisations valid at some date, by code, for answers. */
  async organisationNames(codes: readonly string[], at: string): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('organisation')
      .select(['code', 'name'])
      .where('code', 'in', [...codes])
      .where(validOn(at))
      .execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }
}

/** The public id of case row `id`: "PA" (phản ánh) and the row id, zero-padded. */
export function publicIdOf(id: number): string {
  return `PA${String(id).padStart(6, '0')}`;
}
