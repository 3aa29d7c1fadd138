import type { Kysely, Selectable, Transaction } from 'kysely';
import { parFrameworkSchema, roundPoints, type ParFramework, type ParUnitKind } from '@watchfloor/core';
import type { Database, ParAssessmentTable, ParCycleTable, ParEvidenceTable, ParScoreTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { validOn } from '../validity';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;

export type ParCycleRow = Selectable<ParCycleTable>;
export type ParAssessmentRow = Selectable<ParAssessmentTable>;
export type ParScoreRow = Selectable<ParScoreTable>;

export interface StoredParFramework {
  framework: ParFramework;
  year: number;
  example: boolean;
  cycles: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** A unit a cycle can score: an organisation, with the kind it is scored as. */
export interface ParUnitRow {
  code: string;
  name: string;
  nameEn: string | null;
  kind: ParUnitKind;
  placeCode: string | null;
}

/** What an evidence file is, without its bytes. */
export interface ParEvidenceMeta {
  id: number;
  cycleId: number;
  organisationCode: string;
  nodeCode: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string | null;
}

/** The columns of a score a step writes (undefined: left as it is). */
export type ParScorePatch = Partial<Pick<ParScoreTable, 'self_points' | 'note' | 'dispute' | 'appraised_points' | 'appraisal_reason' | 'response' | 'final_points' | 'final_reason'>>;

/** A criterion's score written whole, with the computed points and their basis when it has them. */
export type ParScoreInsert = Pick<ParScoreTable, 'cycle_id' | 'organisation_code' | 'node_code' | 'updated_at' | 'updated_by'> & ParScorePatch & { computed_points?: number | null; computed_basis?: unknown };

/** The columns of an assessment a step writes. */
export type ParAssessmentPatch = Partial<Omit<ParAssessmentTable, 'cycle_id' | 'organisation_code' | 'unit_name' | 'unit_name_en' | 'unit_kind' | 'place_code'>>;

/** The kinds of organisation scored as departments (sở, ban, ngành): under the province's People's Committee. */
export const PAR_DEPARTMENT_KINDS = ['department', 'office', 'inspectorate'] as const;

/** Points kept to two decimals, whatever the engine gives back. */
const points = (v: number | string | null): number | null => (v === null ? null : roundPoints(Number(v)));
/** Points written: rounded to two decimals first. */
const writePoints = (v: number | null | undefined): number | null | undefined => (v === null || v === undefined ? v : roundPoints(v));
const when = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const whenOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : when(v));

function readScore(r: ParScoreRow): ParScoreRow {
  return {
    ...r,
    self_points: points(r.self_points),
    computed_points: points(r.computed_points),
    appraised_points: points(r.appraised_points),
    final_points: points(r.final_points),
    computed_basis: r.computed_basis === null ? null : readJsonColumn(r.computed_basis),
    updated_at: when(r.updated_at),
  };
}

function readAssessment(r: ParAssessmentRow): ParAssessmentRow {
  return {
    ...r,
    submitted_at: whenOrNull(r.submitted_at),
    returned_at: whenOrNull(r.returned_at),
    answered_at: whenOrNull(r.answered_at),
    decided_at: whenOrNull(r.decided_at),
  };
}

function readCycle(r: ParCycleRow): ParCycleRow {
  return { ...r, opened_at: when(r.opened_at), published_at: whenOrNull(r.published_at) };
}

/**
 * All SQL of the PAR Index drive: frameworks, cycles, each unit's
 * assessment and its points per criterion, evidence files, and the units
 * of the province a cycle scores.
 */
/** An evidence row without its bytes, as the API describes it. */
function evidenceMeta(r: Omit<Selectable<ParEvidenceTable>, 'content'>): ParEvidenceMeta {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    organisationCode: r.organisation_code,
    nodeCode: r.node_code,
    fileName: r.file_name,
    mediaType: r.media_type,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedAt: when(r.uploaded_at),
    uploadedBy: r.uploaded_by,
  };
}

/** An evidence file as its row, for one insert or many. */
function evidenceRow(e: Omit<ParEvidenceMeta, 'id'> & { content: Buffer }) {
  return {
    cycle_id: e.cycleId,
    organisation_code: e.organisationCode,
    node_code: e.nodeCode,
    file_name: e.fileName,
    media_type: e.mediaType,
    size: e.size,
    sha256: e.sha256,
    content: e.content,
    uploaded_at: e.uploadedAt,
    uploaded_by: e.uploadedBy,
  };
}

export class ParRepository {
  constructor(private readonly db: Db) {}

  // Frameworks.

  async frameworks(): Promise<StoredParFramework[]> {
    const rows = await this.db
      .selectFrom('par_framework as f')
      .select(['f.code', 'f.year', 'f.document', 'f.example', 'f.created_at', 'f.created_by', 'f.updated_at', 'f.updated_by'])
      .select((eb) => eb.selectFrom('par_cycle as c').whereRef('c.framework_code', '=', 'f.code').select((e) => e.fn.countAll<number>().as('n')).as('cycles'))
      .orderBy('f.year', 'desc')
      .orderBy('f.code')
      .execute();
    return rows.map((r) => ({
      framework: parFrameworkSchema.parse(readJsonColumn(r.document)),
      year: r.year,
      example: r.example === 1,
      cycles: Number(r.cycles ?? 0),
      createdAt: when(r.created_at),
      createdBy: r.created_by,
      updatedAt: when(r.updated_at),
      updatedBy: r.updated_by,
    }));
  }

  async framework(code: string): Promise<StoredParFramework | undefined> {
    const r = await this.db
      .selectFrom('par_framework as f')
      .select(['f.code', 'f.year', 'f.document', 'f.example', 'f.created_at', 'f.created_by', 'f.updated_at', 'f.updated_by'])
      .select((eb) => eb.selectFrom('par_cycle as c').whereRef('c.framework_code', '=', 'f.code').select((e) => e.fn.countAll<number>().as('n')).as('cycles'))
      .where('f.code', '=', code)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      framework: parFrameworkSchema.parse(readJsonColumn(r.document)),
      year: r.year,
      example: r.example === 1,
      cycles: Number(r.cycles ?? 0),
      createdAt: when(r.created_at),
      createdBy: r.created_by,
      updatedAt: when(r.updated_at),
      updatedBy: r.updated_by,
    };
  }

  /** Creates or replaces a framework; true when its code was new. */
  async putFramework(f: ParFramework, at: string, by: string | null): Promise<boolean> {
    const existed = await this.db.selectFrom('par_framework').select('code').where('code', '=', f.code).executeTakeFirst();
    const document = JSON.stringify(f);
    const example = f.example ? 1 : 0;
    await this.db
      .insertInto('par_framework')
      .values({ code: f.code, year: f.year, document, example, created_at: at, created_by: by, updated_at: at, updated_by: by })
      .onConflict((oc) => oc.column('code').doUpdateSet({ year: f.year, document, example, updated_at: at, updated_by: by }))
      .execute();
    return existed === undefined;
  }

  // Cycles.

  async cycles(): Promise<ParCycleRow[]> {
    return (await this.db.selectFrom('par_cycle').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute()).map(readCycle);
  }

  async cycle(id: number): Promise<ParCycleRow | undefined> {
    const r = await this.db.selectFrom('par_cycle').selectAll().where('id', '=', id).executeTakeFirst();
    return r && readCycle(r);
  }

  async cycleOfFramework(code: string): Promise<ParCycleRow | undefined> {
    const r = await this.db.selectFrom('par_cycle').selectAll().where('framework_code', '=', code).executeTakeFirst();
    return r && readCycle(r);
  }

  /** The cycle of a year (the one opened last, should a year hold several), for the change since the year before. */
  async cycleOfYear(year: number): Promise<ParCycleRow | undefined> {
    const r = await this.db.selectFrom('par_cycle').selectAll().where('year', '=', year).orderBy('id', 'desc').executeTakeFirst();
    return r && readCycle(r);
  }

  /** Opens a cycle with every unit's assessment in draft, in one transaction; its id. */
  async openCycle(
    cycle: { frameworkCode: string; year: number; selfAssessmentDue: string; appraisalDue: string; responseDays: number; at: string; by: string | null },
    units: readonly ParUnitRow[],
  ): Promise<number> {
    const run = async (trx: Db): Promise<number> => {
      const { id } = await trx
        .insertInto('par_cycle')
        .values({
          framework_code: cycle.frameworkCode,
          year: cycle.year,
          self_assessment_due: cycle.selfAssessmentDue,
          appraisal_due: cycle.appraisalDue,
          response_days: cycle.responseDays,
          opened_at: cycle.at,
          opened_by: cycle.by,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < units.length; i += 200) {
        await trx
          .insertInto('par_assessment')
          .values(
            units.slice(i, i + 200).map((u) => ({
              cycle_id: id,
              organisation_code: u.code,
              unit_name: u.name,
              unit_name_en: u.nameEn,
              unit_kind: u.kind,
              place_code: u.placeCode,
              status: 'draft',
            })),
          )
          .execute();
      }
      return id;
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }

  /** Removes a cycle with its assessments, scores and evidence, in one transaction (the demo replaces its own cycles so). */
  async removeCycle(id: number): Promise<void> {
    const run = async (trx: Db): Promise<void> => {
      await trx.deleteFrom('par_evidence').where('cycle_id', '=', id).execute();
      await trx.deleteFrom('par_score').where('cycle_id', '=', id).execute();
      await trx.deleteFrom('par_assessment').where('cycle_id', '=', id).execute();
      await trx.deleteFrom('par_cycle').where('id', '=', id).execute();
    };
    await (this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run));
  }

  async publishCycle(id: number, at: string, by: string | null): Promise<void> {
    await this.db.updateTable('par_cycle').set({ published_at: at, published_by: by }).where('id', '=', id).execute();
  }

  // Assessments.

  /** The assessments of a cycle the scope reaches (by the unit's organisation and place), by kind then code. */
  async assessments(cycleId: number, scope: ResolvedScope): Promise<ParAssessmentRow[]> {
    const rows = await this.db
      .selectFrom('par_assessment as a')
      .selectAll('a')
      .where('a.cycle_id', '=', cycleId)
      .where(inScope(scope, { orgCode: 'a.organisation_code', placeCode: 'a.place_code' }))
      .orderBy('a.unit_kind')
      .orderBy('a.organisation_code')
      .execute();
    return rows.map(readAssessment);
  }

  /** Units per status of each cycle, among those the scope reaches. */
  async statusCounts(scope: ResolvedScope): Promise<{ cycleId: number; status: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('par_assessment as a')
      .select(['a.cycle_id', 'a.status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(inScope(scope, { orgCode: 'a.organisation_code', placeCode: 'a.place_code' }))
      .groupBy(['a.cycle_id', 'a.status'])
      .execute();
    return rows.map((r) => ({ cycleId: r.cycle_id, status: r.status, n: Number(r.n) }));
  }

  async assessment(cycleId: number, organisationCode: string): Promise<ParAssessmentRow | undefined> {
    const r = await this.db.selectFrom('par_assessment').selectAll().where('cycle_id', '=', cycleId).where('organisation_code', '=', organisationCode).executeTakeFirst();
    return r && readAssessment(r);
  }

  async updateAssessment(cycleId: number, organisationCode: string, patch: ParAssessmentPatch): Promise<void> {
    await this.db.updateTable('par_assessment').set(patch).where('cycle_id', '=', cycleId).where('organisation_code', '=', organisationCode).execute();
  }

  // Scores.

  /** The scores of a cycle, of one unit or of all. */
  async scores(cycleId: number, organisationCode?: string): Promise<ParScoreRow[]> {
    let q = this.db.selectFrom('par_score').selectAll().where('cycle_id', '=', cycleId);
    if (organisationCode !== undefined) q = q.where('organisation_code', '=', organisationCode);
    return (await q.orderBy('organisation_code').orderBy('node_code').execute()).map(readScore);
  }

  async score(cycleId: number, organisationCode: string, nodeCode: string): Promise<ParScoreRow | undefined> {
    const r = await this.db.selectFrom('par_score').selectAll().where('cycle_id', '=', cycleId).where('organisation_code', '=', organisationCode).where('node_code', '=', nodeCode).executeTakeFirst();
    return r && readScore(r);
  }

  /** Writes some columns of one criterion's score, creating its row when it has none. */
  async putScore(cycleId: number, organisationCode: string, nodeCode: string, patch: ParScorePatch, at: string, by: string | null): Promise<void> {
    const values = {
      ...patch,
      ...(patch.self_points !== undefined ? { self_points: writePoints(patch.self_points) } : {}),
      ...(patch.appraised_points !== undefined ? { appraised_points: writePoints(patch.appraised_points) } : {}),
      ...(patch.final_points !== undefined ? { final_points: writePoints(patch.final_points) } : {}),
      updated_at: at,
      updated_by: by,
    };
    await this.db
      .insertInto('par_score')
      .values({ cycle_id: cycleId, organisation_code: organisationCode, node_code: nodeCode, ...values })
      .onConflict((oc) => oc.columns(['cycle_id', 'organisation_code', 'node_code']).doUpdateSet(values))
      .execute();
  }

  /** Writes many criteria's scores at once, none of which has a row yet (a cycle being filled in one go), in batches. */
  async insertScores(rows: readonly ParScoreInsert[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('par_score')
        .values(
          rows.slice(i, i + 500).map((r) => ({
            cycle_id: r.cycle_id,
            organisation_code: r.organisation_code,
            node_code: r.node_code,
            self_points: writePoints(r.self_points) ?? null,
            note: r.note ?? null,
            computed_points: writePoints(r.computed_points) ?? null,
            computed_basis: r.computed_basis === undefined || r.computed_basis === null ? null : JSON.stringify(r.computed_basis),
            dispute: r.dispute ?? null,
            appraised_points: writePoints(r.appraised_points) ?? null,
            appraisal_reason: r.appraisal_reason ?? null,
            response: r.response ?? null,
            final_points: writePoints(r.final_points) ?? null,
            final_reason: r.final_reason ?? null,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
          })),
        )
        .execute();
    }
  }

  /** Computed points of one criterion with the figure behind them; the unit's own words are kept. */
  async putComputed(cycleId: number, organisationCode: string, nodeCode: string, computed: { points: number | null; basis: unknown }, at: string): Promise<void> {
    const values = { computed_points: writePoints(computed.points) ?? null, computed_basis: JSON.stringify(computed.basis), updated_at: at, updated_by: 'system' };
    await this.db
      .insertInto('par_score')
      .values({ cycle_id: cycleId, organisation_code: organisationCode, node_code: nodeCode, ...values })
      .onConflict((oc) => oc.columns(['cycle_id', 'organisation_code', 'node_code']).doUpdateSet(values))
      .execute();
  }

  // Evidence.

  /** The evidence files of a cycle, of one unit or of all, without their bytes, oldest first. */
  async evidence(cycleId: number, organisationCode?: string): Promise<ParEvidenceMeta[]> {
    let q = this.db
      .selectFrom('par_evidence')
      .select(['id', 'cycle_id', 'organisation_code', 'node_code', 'file_name', 'media_type', 'size', 'sha256', 'uploaded_at', 'uploaded_by'])
      .where('cycle_id', '=', cycleId);
    if (organisationCode !== undefined) q = q.where('organisation_code', '=', organisationCode);
    return (await q.orderBy('id').execute()).map(evidenceMeta);
  }

  async evidenceFile(id: number): Promise<(ParEvidenceMeta & { content: Buffer }) | undefined> {
    const r = await this.db.selectFrom('par_evidence').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return { ...evidenceMeta(r), content: Buffer.from(r.content) };
  }

  async addEvidence(e: Omit<ParEvidenceMeta, 'id'> & { content: Buffer }): Promise<number> {
    const { id } = await this.db
      .insertInto('par_evidence')
      .values(evidenceRow(e))
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Adds many evidence files at once (a cycle being filled in one go), in batches. */
  async insertEvidence(files: readonly (Omit<ParEvidenceMeta, 'id'> & { content: Buffer })[]): Promise<void> {
    for (let i = 0; i < files.length; i += 200) {
      await this.db
        .insertInto('par_evidence')
        .values(
          files.slice(i, i + 200).map(evidenceRow),
        )
        .execute();
    }
  }

  async removeEvidence(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('par_evidence').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // The units of a province.

  /**
   * The units a province's PAR Index scores on a day: its departments (the
   * departments, offices and inspectorates under its People's Committee)
   * and its communes' People's Committees, each valid that day.
   */
  async provinceUnits(provinceCode: string, at: string): Promise<ParUnitRow[]> {
    const committees = await this.db
      .selectFrom('organisation')
      .select('code')
      .where('kind', '=', 'peoples_committee')
      .where('place_code', '=', provinceCode)
      .where(validOn(at))
      .execute();
    const departments =
      committees.length === 0
        ? []
        : await this.db
            .selectFrom('organisation')
            .select(['code', 'name', 'name_en', 'place_code'])
            .where('parent_code', 'in', committees.map((c) => c.code))
            .where('kind', 'in', [...PAR_DEPARTMENT_KINDS])
            .where(validOn(at))
            .orderBy('code')
            .execute();
    const communes = await this.db
      .selectFrom('organisation as o')
      .innerJoin('place as p', 'p.code', 'o.place_code')
      .select(['o.code', 'o.name', 'o.name_en', 'o.place_code'])
      .where('o.kind', '=', 'peoples_committee')
      .where(validOn(at, 'o'))
      .where(validOn(at, 'p'))
      .where('p.level', '=', 'commune')
      .where('p.id', 'in', (eb) =>
        eb
          .selectFrom('place_ancestry as pa')
          .innerJoin('place as a', 'a.id', 'pa.ancestor_id')
          .select('pa.place_id')
          .where('a.code', '=', provinceCode)
          .where('pa.via_lineage', '=', 0),
      )
      .orderBy('o.code')
      .execute();
    const unit = (kind: ParUnitKind) => (r: { code: string; name: string; name_en: string | null; place_code: string | null }): ParUnitRow => ({ code: r.code, name: r.name, nameEn: r.name_en, kind, placeCode: r.place_code });
    const seen = new Set<string>();
    return [...departments.map(unit('department')), ...communes.map(unit('commune'))].filter((u) => (seen.has(u.code) ? false : (seen.add(u.code), true)));
  }

  /** Organisations by code as they stood on a day, with their kind, to open a cycle on units named one by one. */
  async organisationsAt(codes: readonly string[], at: string): Promise<{ code: string; name: string; nameEn: string | null; kind: string; placeCode: string | null; level: string | null }[]> {
    const out = [];
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await this.db
        .selectFrom('organisation as o')
        .leftJoin('place as p', (j) => j.onRef('p.code', '=', 'o.place_code').on(validOn(at, 'p')))
        .select(['o.code', 'o.name', 'o.name_en', 'o.kind', 'o.place_code', 'p.level'])
        .where('o.code', 'in', codes.slice(i, i + 500))
        .where(validOn(at, 'o'))
        .execute();
      out.push(...rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind, placeCode: r.place_code, level: r.level ?? null })));
    }
    return out;
  }
}
