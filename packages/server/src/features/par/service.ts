import {
  AppError,
  copyFramework,
  daysLate,
  dataScope,
  findLeaf,
  frameworkLeaves,
  indexChange,
  leafPoints,
  leavesFor,
  maxPointsFor,
  PAR_ACTIONS,
  PAR_ASSESSMENT_STATUSES,
  parActionRefusal,
  parComputedBasisSchema,
  parFrameworkSchema,
  rankWithinKinds,
  responseDue,
  roundPoints,
  scoreUnit,
  todayIn,
  vietnamDate,
  type Identity,
  type ParAction,
  type ParAssessment,
  type ParAssessmentStatus,
  type ParComputedBasis,
  type ParCycle,
  type ParDeadlines,
  type ParFramework,
  type ParFrameworkSummary,
  type ParLate,
  type ParLeaf,
  type ParLeafAssessment,
  type ParLeafEntry,
  type ParLeafPoints,
  type ParResult,
  type ParResults,
  type ParUnitKind,
  type ParUnitRef,
  type ParUnitStatus,
  type Permission,
} from '@watchfloor/core';
import {
  ALL_ROWS,
  PAR_DEPARTMENT_KINDS,
  ParRepository,
  reaches,
  resolveScope,
  type ParAssessmentPatch,
  type ParAssessmentRow,
  type ParCycleRow,
  type ParEvidenceMeta,
  type ParScorePatch,
  type ParScoreRow,
  type ParUnitRow,
  type ResolvedScope,
  type StoredParFramework,
} from '@watchfloor/db';
import type { AppContext } from '../../context';
import { scoreUnitsFromFigures } from './computed';

/** A change as the audit log records it: what, of which thing, before and after. */
export interface ParChange {
  action: string;
  entityKind: 'par_framework' | 'par_cycle' | 'par_assessment' | 'par_evidence';
  entityKey: string;
  before: unknown;
  after: unknown;
}

/** A caller: who they are (scopes) and the login recorded with what they do. */
export interface ParCaller {
  identity: Identity;
  login: string | null;
}

const COMPUTED_METHODS = new Set(['computed', 'survey']);

function unitKey(cycleId: number, unit: string): string {
  return `${cycleId}:${unit}`;
}

function deadlinesOf(c: ParCycleRow): ParDeadlines {
  return { selfAssessmentDue: c.self_assessment_due, appraisalDue: c.appraisal_due, responseDays: c.response_days };
}

function refOf(a: ParAssessmentRow): ParUnitRef {
  return { code: a.organisation_code, name: a.unit_name, nameEn: a.unit_name_en, kind: a.unit_kind as ParUnitKind, placeCode: a.place_code };
}

function pointsOf(s: ParScoreRow | undefined, code: string): ParLeafPoints {
  return { code, self: s?.self_points ?? null, computed: s?.computed_points ?? null, appraised: s?.appraised_points ?? null, final: s?.final_points ?? null };
}

function basisOf(raw: unknown): ParComputedBasis | null {
  if (raw === null || raw === undefined) return null;
  const parsed = parComputedBasisSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The points of a leaf before any adjustment: what the unit assessed, or what the IOC computed. */
function ownPoints(leaf: Pick<ParLeaf, 'method'>, s: ParScoreRow | undefined): number | null {
  return COMPUTED_METHODS.has(leaf.method) ? (s?.computed_points ?? null) : (s?.self_points ?? null);
}

/**
 * The PAR Index drive: frameworks as data, the yearly cycle of each unit's
 * self-assessment, appraisal, answer and the council's decision, evidence
 * files, and results. Every step is judged by core's rules
 * (`parActionRefusal`), every write against the caller's scope for the
 * permission it needs, row by row; the routes write the audit log from
 * the changes each method returns.
 */
export class ParService {
  constructor(private readonly ctx: AppContext) {}

  private get repo(): ParRepository {
    return new ParRepository(this.ctx.store.db);
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  private today(): string {
    return todayIn(this.ctx.clock);
  }

  private async scope(identity: Identity, permission: Permission): Promise<ResolvedScope> {
    return resolveScope(this.ctx.store.db, dataScope(identity, permission));
  }

  private async reachesUnit(identity: Identity, permission: Permission, unit: { organisation_code: string; place_code: string | null }): Promise<boolean> {
    if (identity.kind === 'anonymous') return false;
    return reaches(this.ctx.store.db, await this.scope(identity, permission), { orgCode: unit.organisation_code, placeCode: unit.place_code });
  }

  // Frameworks.

  private summary(s: StoredParFramework): ParFrameworkSummary {
    const f = s.framework;
    return {
      code: f.code,
      year: f.year,
      name: f.name,
      nameEn: f.nameEn,
      decision: f.decision,
      example: f.example,
      unitKinds: f.unitKinds,
      leaves: frameworkLeaves(f).length,
      maxPoints: Object.fromEntries(f.unitKinds.map((k) => [k, maxPointsFor(f, k)])),
      cycles: s.cycles,
      updatedAt: s.updatedAt,
    };
  }

  async listFrameworks(): Promise<ParFrameworkSummary[]> {
    return (await this.repo.frameworks()).map((s) => this.summary(s));
  }

  private async stored(code: string): Promise<StoredParFramework> {
    const s = await this.repo.framework(code);
    if (!s) throw new AppError('unknown_par_framework', `No PAR Index framework has code ${code}`);
    return s;
  }

  async getFramework(code: string): Promise<{ framework: ParFramework; summary: ParFrameworkSummary }> {
    const s = await this.stored(code);
    return { framework: s.framework, summary: this.summary(s) };
  }

  /** A document read against the framework schema; its problems as `invalid_par_framework`, each in `details`. */
  parseFramework(raw: unknown): ParFramework {
    const parsed = parFrameworkSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('invalid_par_framework', `The framework is not usable: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, problems);
  }

  /** Creates or replaces a framework no cycle uses. */
  async saveFramework(f: ParFramework, by: string | null, pathCode?: string): Promise<{ created: boolean; answer: { framework: ParFramework; summary: ParFrameworkSummary }; change: ParChange }> {
    if (pathCode !== undefined && f.code !== pathCode) {
      throw new AppError('invalid_par_framework', `The document is framework ${f.code} but the path names ${pathCode}`, [{ path: 'code', message: `must be ${pathCode}` }]);
    }
    const before = await this.repo.framework(f.code);
    if (before && before.cycles > 0) throw new AppError('par_framework_in_use', `A cycle was opened on framework ${f.code}: copy it to a new code to change it`);
    const created = await this.repo.putFramework(f, this.now(), by);
    const answer = await this.getFramework(f.code);
    return {
      created,
      answer,
      change: { action: created ? 'par.framework.create' : 'par.framework.replace', entityKind: 'par_framework', entityKey: f.code, before: before?.framework ?? null, after: f },
    };
  }

  async copy(code: string, to: { code: string; year: number }, by: string | null): Promise<{ answer: { framework: ParFramework; summary: ParFrameworkSummary }; change: ParChange }> {
    const source = await this.stored(code);
    if (await this.repo.framework(to.code)) throw new AppError('par_framework_exists', `A framework with code ${to.code} exists already`);
    const copy = this.parseFramework(copyFramework(source.framework, to));
    await this.repo.putFramework(copy, this.now(), by);
    return {
      answer: await this.getFramework(copy.code),
      change: { action: 'par.framework.copy', entityKind: 'par_framework', entityKey: copy.code, before: null, after: { from: code, framework: copy } },
    };
  }

  // Cycles.

  private cycleView(c: ParCycleRow, f: ParFramework, rows: readonly ParAssessmentRow[]): ParCycle {
    const counts = Object.fromEntries(PAR_ASSESSMENT_STATUSES.map((s) => [s, 0])) as Record<ParAssessmentStatus, number>;
    for (const a of rows) counts[a.status as ParAssessmentStatus] += 1;
    return {
      id: c.id,
      frameworkCode: c.framework_code,
      year: c.year,
      name: f.name,
      nameEn: f.nameEn,
      example: f.example,
      deadlines: deadlinesOf(c),
      openedAt: c.opened_at,
      openedBy: c.opened_by,
      publishedAt: c.published_at,
      publishedBy: c.published_by,
      counts,
    };
  }

  private unitStatus(c: ParCycleRow, a: ParAssessmentRow): ParUnitStatus {
    const submittedOn = a.submitted_at === null ? null : vietnamDate(new Date(a.submitted_at));
    return {
      ...refOf(a),
      status: a.status as ParAssessmentStatus,
      submittedAt: a.submitted_at,
      returnedOn: a.returned_on,
      responseDue: a.returned_on === null ? null : responseDue(a.returned_on, c.response_days),
      daysLate: daysLate(c.self_assessment_due, submittedOn, this.today()),
    };
  }

  /** The units a caller sees of a cycle: every unit of a published cycle; otherwise those their reading scope reaches (none for the public). */
  private async visibleUnits(c: ParCycleRow, identity: Identity): Promise<ParAssessmentRow[]> {
    if (c.published_at !== null) return this.repo.assessments(c.id, ALL_ROWS);
    if (identity.kind === 'anonymous') return [];
    return this.repo.assessments(c.id, await this.scope(identity, 'read'));
  }

  /** A cycle the caller may see: the public sees published ones only, as if the others did not exist. */
  private async visibleCycle(id: number, identity: Identity): Promise<ParCycleRow> {
    const c = await this.repo.cycle(id);
    if (!c || (identity.kind === 'anonymous' && c.published_at === null)) throw new AppError('unknown_par_cycle', `No PAR Index cycle has id ${id}`);
    return c;
  }

  private async frameworkOf(c: ParCycleRow): Promise<ParFramework> {
    return (await this.stored(c.framework_code)).framework;
  }

  async listCycles(identity: Identity): Promise<ParCycle[]> {
    const out: ParCycle[] = [];
    for (const c of await this.repo.cycles()) {
      if (identity.kind === 'anonymous' && c.published_at === null) continue;
      out.push(this.cycleView(c, await this.frameworkOf(c), await this.visibleUnits(c, identity)));
    }
    return out;
  }

  async cycleDetail(id: number, identity: Identity): Promise<ParCycle & { units: ParUnitStatus[] }> {
    const c = await this.visibleCycle(id, identity);
    const units = await this.visibleUnits(c, identity);
    return { ...this.cycleView(c, await this.frameworkOf(c), units), units: units.map((a) => this.unitStatus(c, a)) };
  }

  /** The day the units of a year's cycle are looked up on: the year's last day, or today while the year runs. */
  private referenceDay(year: number): string {
    const end = `${year}-12-31`;
    const today = this.today();
    return today < end ? today : end;
  }

  /** The units a cycle is opened for: those listed (each a department or a commune the framework scores), else every one of the province served. */
  private async unitsToOpen(f: ParFramework, listed: readonly string[] | undefined, manage: ResolvedScope): Promise<ParUnitRow[]> {
    const at = this.referenceDay(f.year);
    let units: ParUnitRow[];
    if (listed === undefined) {
      units = (await this.repo.provinceUnits(this.ctx.config.province, at)).filter((u) => f.unitKinds.includes(u.kind));
      if (manage.kind !== 'all') {
        const kept: ParUnitRow[] = [];
        for (const u of units) if (await reaches(this.ctx.store.db, manage, { orgCode: u.code, placeCode: u.placeCode })) kept.push(u);
        units = kept;
      }
      return units;
    }
    const codes = [...new Set(listed)];
    const found = new Map((await this.repo.organisationsAt(codes, at)).map((o) => [o.code, o]));
    units = [];
    const problems: { unit: string; message: string }[] = [];
    for (const code of codes) {
      const o = found.get(code);
      const kind: ParUnitKind | null = !o
        ? null
        : (PAR_DEPARTMENT_KINDS as readonly string[]).includes(o.kind)
          ? 'department'
          : o.kind === 'peoples_committee' && o.level === 'commune'
            ? 'commune'
            : null;
      if (!o) problems.push({ unit: code, message: `no organisation has code ${code} on ${at}` });
      else if (kind === null) problems.push({ unit: code, message: `${code} is neither a department nor a commune's People's Committee` });
      else if (!f.unitKinds.includes(kind)) problems.push({ unit: code, message: `${code} is a ${kind}, which framework ${f.code} does not score` });
      else units.push({ code, name: o.name, nameEn: o.nameEn, kind, placeCode: o.placeCode });
    }
    if (problems.length > 0) throw new AppError('unknown_par_unit', problems.map((p) => p.message).join('; '), problems);
    for (const u of units) {
      if (!(await reaches(this.ctx.store.db, manage, { orgCode: u.code, placeCode: u.placeCode }))) throw new AppError('forbidden', `${u.code} is outside the units you may manage`);
    }
    return units;
  }

  async openCycle(
    body: { frameworkCode: string; deadlines: ParDeadlines; units?: string[] | undefined },
    caller: ParCaller,
  ): Promise<{ detail: ParCycle & { units: ParUnitStatus[] }; change: ParChange }> {
    const f = (await this.stored(body.frameworkCode)).framework;
    const existing = await this.repo.cycleOfFramework(f.code);
    if (existing) throw new AppError('par_cycle_exists', `Framework ${f.code} has its cycle already (${existing.id})`, { cycleId: existing.id });
    const units = await this.unitsToOpen(f, body.units, await this.scope(caller.identity, 'par.manage'));
    const id = await this.repo.openCycle(
      {
        frameworkCode: f.code,
        year: f.year,
        selfAssessmentDue: body.deadlines.selfAssessmentDue,
        appraisalDue: body.deadlines.appraisalDue,
        responseDays: body.deadlines.responseDays,
        at: this.now(),
        by: caller.login,
      },
      units,
    );
    await this.scoreComputed(id, f, false);
    return {
      detail: await this.cycleDetail(id, caller.identity),
      change: { action: 'par.cycle.open', entityKind: 'par_cycle', entityKey: String(id), before: null, after: { frameworkCode: f.code, year: f.year, deadlines: body.deadlines, units: units.map((u) => u.code) } },
    };
  }

  /**
   * Scores the computed and survey leaves of every unit from the figures
   * held now, every indicator read once for all the units
   * (scoreUnitsFromFigures); decided units keep theirs. Returns how many
   * leaves were scored.
   */
  private async scoreComputed(cycleId: number, f: ParFramework, keepDecided: boolean): Promise<number> {
    const now = this.now();
    const computedLeaves = (kind: ParUnitKind) =>
      leavesFor(f, kind)
        .map((e) => e.leaf)
        .filter((l) => COMPUTED_METHODS.has(l.method));
    const open = (await this.repo.assessments(cycleId, ALL_ROWS)).filter((a) => !(keepDecided && a.status === 'final') && computedLeaves(a.unit_kind as ParUnitKind).length > 0);
    const byUnit = await scoreUnitsFromFigures(this.ctx, { units: open.map(refOf), year: f.year, leaves: (u) => computedLeaves(u.kind) });
    let scored = 0;
    for (const a of open) {
      const computed = byUnit.get(a.organisation_code);
      for (const leaf of computedLeaves(a.unit_kind as ParUnitKind)) {
        const c = computed?.get(leaf.code);
        if (!c) continue;
        await this.repo.putComputed(cycleId, a.organisation_code, leaf.code, { points: c.points === null ? null : Math.min(leaf.maxPoints, Math.max(0, c.points)), basis: c.basis }, now);
        scored += 1;
      }
    }
    return scored;
  }

  async refresh(id: number, caller: ParCaller): Promise<{ detail: ParCycle & { units: ParUnitStatus[] }; change: ParChange }> {
    const c = await this.visibleCycle(id, caller.identity);
    if (c.published_at !== null) throw new AppError('par_cycle_published', `Cycle ${id} is published: its points no longer change`);
    const scored = await this.scoreComputed(id, await this.frameworkOf(c), true);
    return {
      detail: await this.cycleDetail(id, caller.identity),
      change: { action: 'par.cycle.refresh', entityKind: 'par_cycle', entityKey: String(id), before: null, after: { scored } },
    };
  }

  async publish(id: number, caller: ParCaller): Promise<{ cycle: ParCycle; change: ParChange }> {
    const c = await this.visibleCycle(id, caller.identity);
    if (c.published_at !== null) throw new AppError('par_cycle_published', `Cycle ${id} was published on ${c.published_at}`);
    const all = await this.repo.assessments(id, ALL_ROWS);
    const open = all.filter((a) => a.status !== 'final').map((a) => ({ unit: a.organisation_code, status: a.status }));
    if (open.length > 0) throw new AppError('par_cycle_not_decided', `The council has not decided ${open.length} unit(s) yet: ${open.map((o) => o.unit).join(', ')}`, open);
    await this.repo.publishCycle(id, this.now(), caller.login);
    const published = (await this.repo.cycle(id))!;
    return {
      cycle: this.cycleView(published, await this.frameworkOf(published), all),
      change: { action: 'par.cycle.publish', entityKind: 'par_cycle', entityKey: String(id), before: { publishedAt: null }, after: { publishedAt: published.published_at } },
    };
  }

  async late(id: number, identity: Identity): Promise<ParLate[]> {
    const c = await this.visibleCycle(id, identity);
    const today = this.today();
    const out: ParLate[] = [];
    for (const a of await this.visibleUnits(c, identity)) {
      const status = a.status as ParAssessmentStatus;
      const submittedOn = a.submitted_at === null ? null : vietnamDate(new Date(a.submitted_at));
      const selfLate = daysLate(c.self_assessment_due, submittedOn, today);
      if (selfLate > 0) out.push({ ...refOf(a), step: 'self_assessment', due: c.self_assessment_due, daysLate: selfLate, status, doneAt: a.submitted_at });
      // An appraisal is due once the unit submitted; a unit still in draft is late on its own step.
      if (a.submitted_at !== null) {
        const appraisalLate = daysLate(c.appraisal_due, a.returned_on, today);
        if (appraisalLate > 0) out.push({ ...refOf(a), step: 'appraisal', due: c.appraisal_due, daysLate: appraisalLate, status, doneAt: a.returned_at });
      }
    }
    return out.sort((x, y) => y.daysLate - x.daysLate || x.step.localeCompare(y.step) || x.code.localeCompare(y.code));
  }

  // One unit's assessment.

  /** A unit's assessment the caller may read, with its cycle and framework; outside their scope as if it did not exist. */
  private async unit(cycleId: number, unit: string, identity: Identity): Promise<{ c: ParCycleRow; f: ParFramework; a: ParAssessmentRow }> {
    const c = await this.visibleCycle(cycleId, identity);
    const a = await this.repo.assessment(cycleId, unit);
    const readable = a !== undefined && (c.published_at !== null || (await this.reachesUnit(identity, 'read', a)));
    if (!a || !readable) throw new AppError('unknown_par_unit', `Cycle ${cycleId} has no unit ${unit} you may see`);
    return { c, f: await this.frameworkOf(c), a };
  }

  private leafOf(f: ParFramework, a: ParAssessmentRow, code: string): ParLeafEntry {
    const e = findLeaf(f, code);
    if (!e || !e.appliesTo.includes(a.unit_kind as ParUnitKind)) throw new AppError('unknown_par_criterion', `Framework ${f.code} scores no criterion ${code} for a ${a.unit_kind}`);
    return e;
  }

  /** Whether the caller may take a step on a unit now: the step's rule, then their permission over the unit. */
  private async may(action: ParAction, c: ParCycleRow, a: ParAssessmentRow, identity: Identity): Promise<boolean> {
    if (parActionRefusal(action, { status: a.status as ParAssessmentStatus, cyclePublished: c.published_at !== null, returnedOn: a.returned_on }, deadlinesOf(c), this.today()) !== null) return false;
    return this.reachesUnit(identity, PAR_ACTIONS[action].by === 'unit' ? 'par.assess' : 'par.appraise', a);
  }

  /** Refuses a step: `forbidden` for a unit outside the caller's scope for it, else the step's own refusal. */
  private async check(action: ParAction, c: ParCycleRow, a: ParAssessmentRow, identity: Identity): Promise<void> {
    const permission: Permission = PAR_ACTIONS[action].by === 'unit' ? 'par.assess' : 'par.appraise';
    if (!(await this.reachesUnit(identity, permission, a))) throw new AppError('forbidden', `Unit ${a.organisation_code} is outside the units you may ${permission === 'par.assess' ? 'assess' : 'appraise'}`);
    const refusal = parActionRefusal(action, { status: a.status as ParAssessmentStatus, cyclePublished: c.published_at !== null, returnedOn: a.returned_on }, deadlinesOf(c), this.today());
    if (refusal !== null) {
      const message =
        refusal === 'par_cycle_published'
          ? `Cycle ${c.id} is published: nothing in it changes any more`
          : refusal === 'par_window_closed'
            ? `The window to answer closed on ${responseDue(a.returned_on!, c.response_days)}`
            : `The assessment of ${a.organisation_code} is ${a.status}: it cannot ${action} now`;
      throw new AppError(refusal, message, { status: a.status, action });
    }
  }

  private leafView(e: ParLeafEntry, s: ParScoreRow | undefined, evidence: readonly ParEvidenceMeta[]): ParLeafAssessment {
    const leaf = e.leaf;
    return {
      code: leaf.code,
      fieldCode: e.fieldCode,
      criterionCode: e.criterionCode,
      name: leaf.name,
      nameEn: leaf.nameEn,
      method: leaf.method,
      maxPoints: leaf.maxPoints,
      evidenceRequired: leaf.evidenceRequired,
      guidance: leaf.guidance,
      self: s?.self_points ?? null,
      note: s?.note ?? null,
      computed: s?.computed_points ?? null,
      basis: basisOf(s?.computed_basis),
      dispute: s?.dispute ?? null,
      appraised: s?.appraised_points ?? null,
      appraisalReason: s?.appraisal_reason ?? null,
      response: s?.response ?? null,
      final: s?.final_points ?? null,
      finalReason: s?.final_reason ?? null,
      points: leafPoints(leaf, pointsOf(s, leaf.code)).points,
      evidence: evidence
        .filter((x) => x.nodeCode === leaf.code)
        .map((x) => ({ id: x.id, fileName: x.fileName, mediaType: x.mediaType, size: x.size, sha256: x.sha256, uploadedAt: x.uploadedAt, uploadedBy: x.uploadedBy })),
    };
  }

  private async assessmentView(c: ParCycleRow, f: ParFramework, a: ParAssessmentRow, identity: Identity): Promise<ParAssessment> {
    const kind = a.unit_kind as ParUnitKind;
    const scores = new Map((await this.repo.scores(c.id, a.organisation_code)).map((s) => [s.node_code, s]));
    const evidence = await this.repo.evidence(c.id, a.organisation_code);
    const entries = leavesFor(f, kind);
    const score = scoreUnit(f, kind, entries.map((e) => pointsOf(scores.get(e.leaf.code), e.leaf.code)));
    const steps: ParAssessment['steps'] = [{ status: 'draft', at: c.opened_at, by: c.opened_by }];
    if (a.submitted_at) steps.push({ status: 'submitted', at: a.submitted_at, by: a.submitted_by });
    if (a.returned_at) steps.push({ status: 'appraised', at: a.returned_at, by: a.returned_by });
    if (a.answered_at) steps.push({ status: 'answered', at: a.answered_at, by: a.answered_by });
    if (a.decided_at) steps.push({ status: 'final', at: a.decided_at, by: a.decided_by });
    const can = {
      assess: await this.may('assess', c, a, identity),
      submit: await this.may('submit', c, a, identity),
      adjust: await this.may('adjust', c, a, identity),
      return: await this.may('return', c, a, identity),
      answer: await this.may('answer', c, a, identity),
      decide: await this.may('decide', c, a, identity),
    };
    return {
      cycleId: c.id,
      frameworkCode: f.code,
      year: c.year,
      unit: this.unitStatus(c, a),
      steps,
      leaves: entries.map((e) => this.leafView(e, scores.get(e.leaf.code), evidence)),
      total: score.total,
      max: score.max,
      index: score.index,
      band: score.band,
      fields: score.fields,
      can,
    };
  }

  async assessment(cycleId: number, unit: string, identity: Identity): Promise<ParAssessment> {
    const { c, f, a } = await this.unit(cycleId, unit, identity);
    return this.assessmentView(c, f, a, identity);
  }

  private async leafAnswer(c: ParCycleRow, a: ParAssessmentRow, e: ParLeafEntry): Promise<ParLeafAssessment> {
    const s = await this.repo.score(c.id, a.organisation_code, e.leaf.code);
    return this.leafView(e, s, await this.repo.evidence(c.id, a.organisation_code));
  }

  private outOfRange(leaf: ParLeaf, points: number | null | undefined): void {
    if (points !== null && points !== undefined && roundPoints(points) > leaf.maxPoints) {
      throw new AppError('par_points_out_of_range', `${leaf.code} scores at most ${leaf.maxPoints} points, not ${points}`, { criterion: leaf.code, maxPoints: leaf.maxPoints });
    }
  }

  /** Writes one criterion's columns for a step and answers the leaf as it now stands, with the change for the audit log. */
  private async writeLeaf(action: string, c: ParCycleRow, a: ParAssessmentRow, e: ParLeafEntry, patch: ParScorePatch, by: string | null): Promise<{ leaf: ParLeafAssessment; change: ParChange }> {
    const before = await this.repo.score(c.id, a.organisation_code, e.leaf.code);
    await this.repo.putScore(c.id, a.organisation_code, e.leaf.code, patch, this.now(), by);
    const keys = Object.keys(patch) as (keyof ParScorePatch)[];
    const leaf = await this.leafAnswer(c, a, e);
    return {
      leaf,
      change: {
        action,
        entityKind: 'par_assessment',
        entityKey: unitKey(c.id, a.organisation_code),
        before: { criterion: e.leaf.code, ...Object.fromEntries(keys.map((k) => [k, before?.[k] ?? null])) },
        after: { criterion: e.leaf.code, ...patch },
      },
    };
  }

  async assess(cycleId: number, unit: string, criterion: string, body: { points?: number | null | undefined; note?: string | null | undefined; dispute?: string | null | undefined }, caller: ParCaller) {
    const { c, f, a } = await this.unit(cycleId, unit, caller.identity);
    const e = this.leafOf(f, a, criterion);
    await this.check('assess', c, a, caller.identity);
    const patch: ParScorePatch = {};
    if (COMPUTED_METHODS.has(e.leaf.method)) {
      if (body.points !== undefined && body.points !== null) {
        throw new AppError('par_points_not_assessed', `${e.leaf.code} is ${e.leaf.method}: its points come from the figures and cannot be typed; send a dispute with its reason instead`, { criterion: e.leaf.code });
      }
      if (body.dispute !== undefined) patch.dispute = body.dispute || null;
    } else {
      if (body.dispute !== undefined && body.dispute !== null && body.dispute !== '') {
        throw new AppError('invalid_body', `${e.leaf.code} is assessed by the unit: give its points and explanation, there is nothing to dispute`);
      }
      this.outOfRange(e.leaf, body.points);
      if (body.points !== undefined) patch.self_points = body.points;
    }
    if (body.note !== undefined) patch.note = body.note || null;
    return this.writeLeaf('par.assess', c, a, e, patch, caller.login);
  }

  /** The points a leaf stands on before the step: the appraisal's, else the unit's own (for the council: the appraisal, else the unit's own). */
  private standing(leaf: ParLeaf, s: ParScoreRow | undefined, withAppraisal: boolean): number | null {
    if (withAppraisal && s?.appraised_points != null) return s.appraised_points;
    return ownPoints(leaf, s);
  }

  async appraise(cycleId: number, unit: string, criterion: string, body: { points: number | null; reason?: string | null | undefined }, caller: ParCaller) {
    const { c, f, a } = await this.unit(cycleId, unit, caller.identity);
    const e = this.leafOf(f, a, criterion);
    await this.check('adjust', c, a, caller.identity);
    this.outOfRange(e.leaf, body.points);
    const s = await this.repo.score(c.id, a.organisation_code, e.leaf.code);
    const reason = body.reason || null;
    if (body.points !== null && roundPoints(body.points) !== this.standing(e.leaf, s, false) && reason === null) {
      throw new AppError('par_reason_required', `Adjusting ${e.leaf.code} to ${body.points} points needs its reason`, { criterion: e.leaf.code, standing: this.standing(e.leaf, s, false) });
    }
    return this.writeLeaf('par.appraise', c, a, e, { appraised_points: body.points, appraisal_reason: reason }, caller.login);
  }

  async answer(cycleId: number, unit: string, criterion: string, body: { response: string | null }, caller: ParCaller) {
    const { c, f, a } = await this.unit(cycleId, unit, caller.identity);
    const e = this.leafOf(f, a, criterion);
    await this.check('answer', c, a, caller.identity);
    return this.writeLeaf('par.answer', c, a, e, { response: body.response || null }, caller.login);
  }

  async decide(cycleId: number, unit: string, criterion: string, body: { points: number | null; reason?: string | null | undefined }, caller: ParCaller) {
    const { c, f, a } = await this.unit(cycleId, unit, caller.identity);
    const e = this.leafOf(f, a, criterion);
    await this.check('decide', c, a, caller.identity);
    this.outOfRange(e.leaf, body.points);
    const s = await this.repo.score(c.id, a.organisation_code, e.leaf.code);
    const reason = body.reason || null;
    if (body.points !== null && roundPoints(body.points) !== this.standing(e.leaf, s, true) && reason === null) {
      throw new AppError('par_reason_required', `Deciding ${e.leaf.code} at ${body.points} points, other than the appraisal, needs its reason`, { criterion: e.leaf.code, standing: this.standing(e.leaf, s, true) });
    }
    return this.writeLeaf('par.decide', c, a, e, { final_points: body.points, final_reason: reason }, caller.login);
  }

  /** A step of the whole assessment: submit, return, answer, decide. */
  async step(action: 'submit' | 'return' | 'answer' | 'decide', cycleId: number, unit: string, note: string | null, caller: ParCaller): Promise<{ assessment: ParAssessment; change: ParChange }> {
    const { c, f, a } = await this.unit(cycleId, unit, caller.identity);
    await this.check(action, c, a, caller.identity);
    const now = this.now();
    if (action === 'submit') await this.complete(c, f, a);
    const patch: ParAssessmentPatch =
      action === 'submit'
        ? { status: 'submitted', submitted_at: now, submitted_by: caller.login }
        : action === 'return'
          ? { status: 'appraised', returned_on: this.today(), returned_at: now, returned_by: caller.login }
          : action === 'answer'
            ? { status: 'answered', answered_at: now, answered_by: caller.login }
            : { status: 'final', decided_at: now, decided_by: caller.login };
    await this.repo.updateAssessment(c.id, a.organisation_code, patch);
    const after = (await this.repo.assessment(c.id, a.organisation_code))!;
    return {
      assessment: await this.assessmentView(c, f, after, caller.identity),
      change: { action: `par.${action}`, entityKind: 'par_assessment', entityKey: unitKey(c.id, a.organisation_code), before: { status: a.status }, after: { ...patch, note } },
    };
  }

  /** Refuses to submit a self-assessment with a self-assessed leaf unscored, or a leaf needing evidence without any. */
  private async complete(c: ParCycleRow, f: ParFramework, a: ParAssessmentRow): Promise<void> {
    const scores = new Map((await this.repo.scores(c.id, a.organisation_code)).map((s) => [s.node_code, s]));
    const withEvidence = new Set((await this.repo.evidence(c.id, a.organisation_code)).map((e) => e.nodeCode));
    const entries = leavesFor(f, a.unit_kind as ParUnitKind);
    const unscored = entries.filter((e) => !COMPUTED_METHODS.has(e.leaf.method) && scores.get(e.leaf.code)?.self_points == null).map((e) => e.leaf.code);
    if (unscored.length > 0) throw new AppError('par_points_not_assessed', `Give the points of ${unscored.join(', ')} before submitting`, { criteria: unscored });
    const bare = entries.filter((e) => e.leaf.evidenceRequired && !withEvidence.has(e.leaf.code)).map((e) => e.leaf.code);
    if (bare.length > 0) throw new AppError('par_evidence_required', `Attach evidence to ${bare.join(', ')} before submitting`, { criteria: bare });
  }

  // Evidence.

  /** Where an evidence file may go: a criterion of a draft the caller may assess. */
  async evidenceTarget(cycleId: number, unit: string, criterion: string, identity: Identity): Promise<{ c: ParCycleRow; a: ParAssessmentRow; e: ParLeafEntry }> {
    const { c, f, a } = await this.unit(cycleId, unit, identity);
    const e = this.leafOf(f, a, criterion);
    await this.check('assess', c, a, identity);
    return { c, a, e };
  }

  async addEvidence(
    target: { c: ParCycleRow; a: ParAssessmentRow; e: ParLeafEntry },
    file: { fileName: string; mediaType: string; content: Buffer; sha256: string },
    caller: ParCaller,
  ): Promise<{ leaf: ParLeafAssessment; change: ParChange }> {
    const { c, a, e } = target;
    const meta = { cycleId: c.id, organisationCode: a.organisation_code, nodeCode: e.leaf.code, fileName: file.fileName, mediaType: file.mediaType, size: file.content.length, sha256: file.sha256, uploadedAt: this.now(), uploadedBy: caller.login };
    const id = await this.repo.addEvidence({ ...meta, content: file.content });
    return {
      leaf: await this.leafAnswer(c, a, e),
      change: { action: 'par.evidence.add', entityKind: 'par_evidence', entityKey: String(id), before: null, after: { ...meta, unit: unitKey(c.id, a.organisation_code) } },
    };
  }

  /** An evidence file the caller may read (its unit within their reading scope). */
  async evidenceFile(id: number, identity: Identity): Promise<ParEvidenceMeta & { content: Buffer }> {
    const file = await this.repo.evidenceFile(id);
    const missing = () => new AppError('unknown_evidence', `No evidence file has id ${id}`);
    if (!file) throw missing();
    try {
      await this.unit(file.cycleId, file.organisationCode, identity);
    } catch (e) {
      if (e instanceof AppError) throw missing();
      throw e;
    }
    return file;
  }

  async removeEvidence(id: number, caller: ParCaller): Promise<ParChange> {
    const file = await this.evidenceFile(id, caller.identity);
    const { c, a } = await this.unit(file.cycleId, file.organisationCode, caller.identity);
    await this.check('assess', c, a, caller.identity);
    await this.repo.removeEvidence(id);
    const { content: _content, ...meta } = file;
    return { action: 'par.evidence.remove', entityKind: 'par_evidence', entityKey: String(id), before: meta, after: null };
  }

  // Results.

  /** Every unit of a cycle scored, ranked within its kind. */
  private async scored(c: ParCycleRow, f: ParFramework): Promise<(ParResult & { row: ParAssessmentRow })[]> {
    const all = await this.repo.assessments(c.id, ALL_ROWS);
    const byUnit = new Map<string, ParScoreRow[]>();
    for (const s of await this.repo.scores(c.id)) byUnit.set(s.organisation_code, [...(byUnit.get(s.organisation_code) ?? []), s]);
    const scored = all.map((a) => {
      const kind = a.unit_kind as ParUnitKind;
      const scores = new Map((byUnit.get(a.organisation_code) ?? []).map((s) => [s.node_code, s]));
      const score = scoreUnit(f, kind, leavesFor(f, kind).map((e) => pointsOf(scores.get(e.leaf.code), e.leaf.code)));
      return { a, unit: a.organisation_code, kind, index: score.index, score };
    });
    const previous = await this.previousIndices(c);
    return rankWithinKinds(scored).map(({ a, score, rank, of }) => {
      const before = previous.get(a.organisation_code) ?? null;
      return {
        ...refOf(a),
        status: a.status as ParAssessmentStatus,
        final: a.status === 'final',
        total: score.total,
        max: score.max,
        index: score.index,
        band: score.band,
        rank,
        of,
        previousIndex: before,
        change: indexChange(score.index, before),
        fields: score.fields,
        lost: score.lost,
        row: a,
      };
    });
  }

  /** Each unit's index in the cycle of the year before, when there is one. */
  private async previousIndices(c: ParCycleRow): Promise<Map<string, number>> {
    const prev = await this.repo.cycleOfYear(c.year - 1);
    if (!prev) return new Map();
    const f = await this.frameworkOf(prev);
    const byUnit = new Map<string, ParScoreRow[]>();
    for (const s of await this.repo.scores(prev.id)) byUnit.set(s.organisation_code, [...(byUnit.get(s.organisation_code) ?? []), s]);
    const out = new Map<string, number>();
    for (const a of await this.repo.assessments(prev.id, ALL_ROWS)) {
      const kind = a.unit_kind as ParUnitKind;
      if (!f.unitKinds.includes(kind)) continue;
      const scores = new Map((byUnit.get(a.organisation_code) ?? []).map((s) => [s.node_code, s]));
      out.set(a.organisation_code, scoreUnit(f, kind, leavesFor(f, kind).map((e) => pointsOf(scores.get(e.leaf.code), e.leaf.code))).index);
    }
    return out;
  }

  /**
   * The results a caller sees: every unit of a published cycle; before
   * publication, the units of the caller's reading scope (ranked among
   * all units of their kind), provisional until the council decides.
   */
  async results(id: number, identity: Identity, kind?: ParUnitKind): Promise<{ results: ParResults; rows: ParAssessmentRow[] }> {
    const c = await this.visibleCycle(id, identity);
    const f = await this.frameworkOf(c);
    const visible = new Set((await this.visibleUnits(c, identity)).map((a) => a.organisation_code));
    const all = await this.scored(c, f);
    const shown = all.filter((r) => visible.has(r.code) && (kind === undefined || r.kind === kind));
    return {
      results: {
        cycle: this.cycleView(c, f, shown.map((r) => r.row)),
        bands: f.bands,
        fields: f.fields.map((x) => ({ code: x.code, name: x.name, nameEn: x.nameEn })),
        results: shown.map(({ row: _row, ...r }) => r),
      },
      rows: shown.map((r) => r.row),
    };
  }

  /** Each shown unit's whole assessment, for the official tables. */
  async assessmentsOf(id: number, rows: readonly ParAssessmentRow[], identity: Identity): Promise<ParAssessment[]> {
    const c = await this.visibleCycle(id, identity);
    const f = await this.frameworkOf(c);
    const out: ParAssessment[] = [];
    for (const a of rows) out.push(await this.assessmentView(c, f, a, identity));
    return out;
  }
}
