import { randomBytes } from 'node:crypto';
import {
  AppError,
  assertTransition,
  canTransition,
  caseChannelSchema,
  caseCounts,
  caseDeadline,
  type caseInputSchema,
  casePrioritySchema,
  caseStatusSchema,
  deadlineState,
  FINISHED_STATUSES,
  routeCase,
  sopDueTimes,
  todayIn,
  vietnamDate,
  type Case,
  type CaseCategory,
  type CaseCounts,
  type CaseDetail,
  type CaseEvent,
  type CaseStatus,
  type DataScope,
  type LocateResult,
} from '@watchfloor/core';
import { ALL_ROWS, CasesRepository, OrganisationsRepository, PlacesRepository, reaches, resolveScope, type CaseEventInput, type CaseFilter, type CaseRecord, type ResolvedScope } from '@watchfloor/db';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { PlacesService } from '../places/service';

/** Who acted when a request names no one (there are no user accounts yet). */
export const DEFAULT_ACTOR = 'operator';

export type CaseCreate = z.output<typeof caseInputSchema>;

/**
 * Who acts on cases: what they may read (`read`), what they may handle
 * (`handle`, the scope of 'cases.handle') and the name their timeline
 * entries carry (a signed-in user's login; undefined: the request's
 * `actor` or the channel's default).
 */
export interface CaseActor {
  read: DataScope;
  handle: DataScope;
  name?: string | undefined;
}

export interface CaseListQuery {
  status?: CaseStatus | undefined;
  category?: string | undefined;
  categories?: readonly string[] | undefined;
  place?: string | undefined;
  organisation?: string | undefined;
  /** `overdue`: past the deadline; `due_soon`: within 24 hours of it; both unfinished. */
  overdue?: 'overdue' | 'due_soon' | undefined;
  ids?: readonly string[] | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  statuses?: readonly CaseStatus[] | undefined;
  /** Only what Open311 may list (citizens' own reports in public categories). */
  publishedOnly?: boolean | undefined;
  limit?: number | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The rules of cases: locating and routing a new case, its deadline, the
 * workflow, the timeline. Every channel (operator API, Open311) comes here.
 */
export class CasesService {
  private readonly places: PlacesService;

  constructor(private readonly ctx: AppContext) {
    this.places = new PlacesService(ctx);
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  async categories(): Promise<CaseCategory[]> {
    return new CasesRepository(this.ctx.store.db).categories();
  }

  async category(code: string): Promise<CaseCategory> {
    const c = await new CasesRepository(this.ctx.store.db).category(code);
    if (!c) throw new AppError('unknown_case_category', `No case category has code ${code}`);
    return c;
  }

  /** Where a point lies on a date, refused unless inside the province the IOC serves. */
  async locateInProvince(lat: number, lon: number, at: string): Promise<LocateResult> {
    const located = await this.places.locate(lat, lon, at).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'no_place_at_point') throw new AppError('outside_jurisdiction', `(${lat}, ${lon}) is not inside province ${this.ctx.config.province}`);
      throw e;
    });
    if (located.province?.code !== this.ctx.config.province) {
      throw new AppError('outside_jurisdiction', `(${lat}, ${lon}) is in ${located.province?.name ?? 'another unit'}, not inside province ${this.ctx.config.province}`);
    }
    return located;
  }

  /**
   * Creates a case: located to the commune valid at its receipt, routed to
   * an agency (or the operator's choice), given its deadline and its SOP.
   */
  async create(input: CaseCreate, by: CaseActor): Promise<CaseDetail> {
    const category = await this.category(input.category);
    const receivedAt = this.now();
    const at = vietnamDate(new Date(receivedAt));
    const located = await this.locateInProvince(input.lat, input.lon, at);
    const finest = located.commune ?? located.district ?? located.province;
    const placeRow = finest ? await new PlacesRepository(this.ctx.store.db).findAt(finest.code, at) : undefined;
    const orgs = new OrganisationsRepository(this.ctx.store.db);
    if (input.organisation && !(await orgs.findAt(input.organisation, at))) {
      throw new AppError('unknown_organisation_code', `No organisation ${input.organisation} exists on ${at}`);
    }
    const routed = routeCase({
      routes: category.routes,
      defaultOrganisation: category.defaultOrganisation,
      placeCodes: [located.commune, located.district, located.province].flatMap((p) => (p ? [p.code] : [])),
      communeCode: located.commune?.code ?? null,
      override: input.organisation,
    });
    // A rule naming an agency that does not exist (yet) leaves the case for an operator to assign.
    const orgCode = routed && (await orgs.findAt(routed, at)) ? routed : null;
    if (!(await reaches(this.ctx.store.db, await resolveScope(this.ctx.store.db, by.handle), { placeCode: finest?.code ?? null, orgCode }))) {
      throw new AppError('forbidden', `A case in ${finest?.code ?? 'no unit'} handled by ${orgCode ?? 'no agency'} is outside the scope of cases you may handle`);
    }
    const actor = by.name ?? input.actor ?? (input.channel === 'operator' ? DEFAULT_ACTOR : `citizen (${input.channel})`);
    const record = await this.ctx.store.db.transaction().execute((trx) =>
      new CasesRepository(trx).insert(
        {
          token: randomBytes(18).toString('base64url'),
          categoryCode: category.code,
          title: input.title,
          description: input.description ?? null,
          lat: input.lat,
          lon: input.lon,
          placeId: placeRow?.id ?? null,
          placeCode: finest?.code ?? null,
          provinceCode: located.province?.code ?? null,
          address: input.address ?? null,
          media: input.media ?? [],
          reporter: input.reporter ?? null,
          channel: input.channel,
          priority: input.priority,
          orgCode,
          status: 'new',
          receivedAt,
          deadlineAt: caseDeadline(receivedAt, category.serviceLevelHours),
          createdAt: receivedAt,
        },
        category.sop,
        { at: receivedAt, actor, kind: 'created', before: null, after: 'new', note: orgCode ? `Routed to ${orgCode}` : `Not routed: ${routed ?? 'no rule'} is not an organisation on ${at}` },
      ),
    );
    // Its creator may handle it (checked above), so it is answered whole.
    return this.changed(await this.detailOf(record, ALL_ROWS));
  }

  async list(q: CaseListQuery, scope: DataScope): Promise<Case[]> {
    return this.toCases(await this.records(q, scope));
  }

  /**
   * Every case in the scope matching a query, newest first, a page at a
   * time (an export of any length): `limit` when the query gives one, else
   * all of them. Each page is read, named and let go before the next.
   */
  async *stream(q: CaseListQuery, scope: DataScope): AsyncGenerator<Case[]> {
    const now = this.ctx.clock.now();
    const repo = new CasesRepository(this.ctx.store.db);
    for await (let page of repo.pages(this.filterOf(q, now), await this.resolve(scope))) {
      if (q.overdue === 'due_soon') page = page.filter((r) => deadlineState(statusOf(r), r.deadlineAt, now) === 'due_soon');
      yield await this.toCases(page);
    }
  }

  /** The stored cases in the scope matching a query, newest first (for channels that answer in their own shape). */
  async records(q: CaseListQuery, scope: DataScope): Promise<CaseRecord[]> {
    const now = this.ctx.clock.now();
    let records = await new CasesRepository(this.ctx.store.db).list(this.filterOf(q, now), await this.resolve(scope));
    if (q.overdue === 'due_soon') records = records.filter((r) => deadlineState(statusOf(r), r.deadlineAt, now) === 'due_soon');
    return records;
  }

  private filterOf(q: CaseListQuery, now: Date): CaseFilter {
    const filter: CaseFilter = {
      status: q.status ? [q.status] : q.statuses,
      categoryCode: q.category,
      categoryCodes: q.categories,
      placeCode: q.place,
      orgCode: q.organisation,
      publicIds: q.ids,
      receivedFrom: q.receivedFrom,
      receivedTo: q.receivedTo,
      publishedOnly: q.publishedOnly,
      limit: q.limit,
    };
    if (q.overdue) {
      filter.deadlineBefore = new Date(now.getTime() + (q.overdue === 'due_soon' ? DAY_MS : 0)).toISOString();
      filter.finished = FINISHED_STATUSES;
    }
    return filter;
  }

  private resolve(scope: DataScope): Promise<ResolvedScope> {
    return resolveScope(this.ctx.store.db, scope);
  }

  /** A case the scope reaches; outside it, `unknown_case` exactly as an unknown id. */
  async get(publicId: string, scope: DataScope): Promise<CaseRecord> {
    const r = await new CasesRepository(this.ctx.store.db).findByPublicId(publicId, await this.resolve(scope));
    if (!r) throw new AppError('unknown_case', `No case has id ${publicId}`);
    return r;
  }

  async detail(publicId: string, scope: DataScope): Promise<CaseDetail> {
    const resolved = await this.resolve(scope);
    const r = await new CasesRepository(this.ctx.store.db).findByPublicId(publicId, resolved);
    if (!r) throw new AppError('unknown_case', `No case has id ${publicId}`);
    return this.detailOf(r, resolved);
  }

  async byToken(token: string, scope: DataScope): Promise<CaseRecord> {
    const r = await new CasesRepository(this.ctx.store.db).findByToken(token, await this.resolve(scope));
    if (!r) throw new AppError('unknown_case', 'No case has this token');
    return r;
  }

  /** Moves a case along its workflow; a move the workflow forbids is `invalid_transition` and changes nothing. */
  async changeStatus(publicId: string, to: CaseStatus, by: CaseActor, note: string | null = null): Promise<CaseDetail> {
    const actor = by.name ?? DEFAULT_ACTOR;
    const { handle } = await this.handleable(publicId, by);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new CasesRepository(trx);
      const c = await this.lockedCase(repo, publicId, handle);
      const from = statusOf(c);
      assertTransition(from, to);
      const at = this.now();
      if (!(await repo.update(c.id, { status: to }, at, from))) throw new AppError('invalid_transition', `Case ${publicId} changed while this request ran; read it again`);
      await repo.addEvent(c.id, { at, actor, kind: 'status', before: from, after: to, note });
    });
    return this.changed(await this.detail(publicId, by.read));
  }

  /**
   * Assigns a case to an agency; when the workflow allows, the case moves to
   * `assigned` too. The case as assigned must stay within the scope the
   * handler may handle: passing it to an agency outside it is `forbidden`.
   */
  async assign(publicId: string, organisation: string, by: CaseActor, note: string | null = null): Promise<CaseDetail> {
    const actor = by.name ?? DEFAULT_ACTOR;
    const { handle, current } = await this.handleable(publicId, by);
    const today = todayIn(this.ctx.clock);
    if (!(await new OrganisationsRepository(this.ctx.store.db).findAt(organisation, today))) {
      throw new AppError('unknown_organisation_code', `No organisation ${organisation} exists on ${today}`);
    }
    if (!(await reaches(this.ctx.store.db, handle, { placeCode: current.placeCode, orgCode: organisation }))) {
      throw new AppError('forbidden', `Organisation ${organisation} is outside the scope of cases you may handle: case ${publicId} cannot be assigned to it`);
    }
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new CasesRepository(trx);
      const c = await this.lockedCase(repo, publicId, handle);
      const from = statusOf(c);
      const moves = canTransition(from, 'assigned');
      const at = this.now();
      if (!(await repo.update(c.id, { orgCode: organisation, ...(moves ? { status: 'assigned' } : {}) }, at, from))) {
        throw new AppError('invalid_transition', `Case ${publicId} changed while this request ran; read it again`);
      }
      const events: CaseEventInput[] = [{ at, actor, kind: 'assigned', before: c.orgCode, after: organisation, note }];
      if (moves) events.push({ at, actor, kind: 'status', before: from, after: 'assigned', note: null });
      for (const e of events) await repo.addEvent(c.id, e);
    });
    return this.changed(await this.detail(publicId, by.read));
  }

  /** Adds a comment to the timeline, kept as plain text. */
  async comment(publicId: string, text: string, by: CaseActor): Promise<CaseDetail> {
    const actor = by.name ?? DEFAULT_ACTOR;
    const { current: c } = await this.handleable(publicId, by);
    const at = this.now();
    const repo = new CasesRepository(this.ctx.store.db);
    await repo.addEvent(c.id, { at, actor, kind: 'comment', before: null, after: null, note: text });
    await repo.update(c.id, {}, at);
    return this.changed(await this.detail(publicId, by.read));
  }

  /** Marks one SOP step of a case done, by whom and when; a step is done once. */
  async completeStep(publicId: string, step: number, by: CaseActor, note: string | null = null): Promise<CaseDetail> {
    const actor = by.name ?? DEFAULT_ACTOR;
    const { handle } = await this.handleable(publicId, by);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new CasesRepository(trx);
      const c = await this.lockedCase(repo, publicId, handle);
      const steps = await repo.sopSteps(c.id, handle);
      const s = steps.find((x) => x.step === step);
      if (!s) throw new AppError('unknown_sop_step', `Case ${publicId} has no procedure step ${step}; it has ${steps.length}`);
      const at = this.now();
      if (!(await repo.markStepDone(c.id, step, actor, at))) throw new AppError('sop_step_done', `Step ${step} of case ${publicId} was done by ${s.done_by ?? '?'} at ${s.done_at ?? '?'}`);
      await repo.addEvent(c.id, { at, actor, kind: 'sop_step', before: String(step), after: s.title, note });
      await repo.update(c.id, {}, at);
    });
    return this.changed(await this.detail(publicId, by.read));
  }

  /** Records the reporter's satisfaction (1–5) with a resolved or closed case; a later rating replaces it, on the timeline. */
  async rate(publicId: string, rating: number, by: CaseActor, note: string | null = null): Promise<CaseDetail> {
    const actor = by.name ?? DEFAULT_ACTOR;
    const { handle } = await this.handleable(publicId, by);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new CasesRepository(trx);
      const c = await this.lockedCase(repo, publicId, handle);
      const status = statusOf(c);
      if (status !== 'resolved' && status !== 'closed') throw new AppError('case_not_finished', `Case ${publicId} is ${status}: only a resolved or closed case is rated`);
      const at = this.now();
      await repo.update(c.id, { satisfaction: rating }, at);
      await repo.addEvent(c.id, { at, actor, kind: 'rating', before: c.satisfaction === null ? null : String(c.satisfaction), after: String(rating), note });
    });
    return this.changed(await this.detail(publicId, by.read));
  }

  /** The counts of a period (Vietnam dates, inclusive) of the cases in the scope, that feed the citizen-report indicators. */
  async counts(q: { from: string; to: string; organisation?: string | undefined; place?: string | undefined }, scope: DataScope): Promise<CaseCounts> {
    if (q.to < q.from) throw new AppError('invalid_parameter', `to (${q.to}) is before from (${q.from})`);
    const start = new Date(`${q.from}T00:00:00+07:00`).toISOString();
    const end = new Date(Date.parse(`${q.to}T00:00:00+07:00`) + DAY_MS).toISOString();
    const rows = await new CasesRepository(this.ctx.store.db).forCounts({ start, end, orgCode: q.organisation, placeCode: q.place }, await this.resolve(scope));
    return caseCounts(
      rows.map((r) => ({
        receivedAt: r.received_at,
        deadlineAt: r.deadline_at,
        // A case reopened since it was resolved is not processed until it is resolved again.
        resolvedAt: r.status === 'resolved' || r.status === 'closed' ? (r.resolved_at ?? null) : null,
        satisfaction: r.satisfaction,
      })),
      q,
    );
  }

  /** Tells open screens a case changed, once its transaction has committed. */
  private changed(detail: CaseDetail): CaseDetail {
    this.ctx.live?.publish({ type: 'case.changed', id: detail.id, status: detail.status });
    return detail;
  }

  /**
   * The handler's scope, once the case is known to be in it: a case they
   * cannot read is `unknown_case` (as an unknown id); one they can read but
   * not handle is `forbidden`.
   */
  private async handleable(publicId: string, by: CaseActor): Promise<{ handle: ResolvedScope; current: CaseRecord }> {
    const repo = new CasesRepository(this.ctx.store.db);
    if (!(await repo.findByPublicId(publicId, await this.resolve(by.read)))) throw new AppError('unknown_case', `No case has id ${publicId}`);
    const handle = await this.resolve(by.handle);
    const current = await repo.findByPublicId(publicId, handle);
    if (!current) throw new AppError('forbidden', `Case ${publicId} is outside the scope of cases you may handle`);
    return { handle, current };
  }

  private async lockedCase(repo: CasesRepository, publicId: string, scope: ResolvedScope): Promise<CaseRecord> {
    const c = await repo.findByPublicId(publicId, scope);
    if (!c) throw new AppError('unknown_case', `No case has id ${publicId}`);
    return c;
  }

  /** The names of the agencies of some cases, as of each case's receipt (agencies are versioned). */
  async organisationNames(records: readonly CaseRecord[]): Promise<Map<string, string>> {
    const repo = new CasesRepository(this.ctx.store.db);
    const out = new Map<string, string>();
    const byDate = new Map<string, Set<string>>();
    for (const r of records) {
      if (!r.orgCode) continue;
      const at = vietnamDate(new Date(r.receivedAt));
      byDate.set(at, (byDate.get(at) ?? new Set()).add(r.orgCode));
    }
    for (const [at, codes] of byDate) for (const [code, name] of await repo.organisationNames([...codes], at)) out.set(code, name);
    return out;
  }

  async toCases(records: readonly CaseRecord[]): Promise<Case[]> {
    const names = await this.organisationNames(records);
    const now = this.ctx.clock.now();
    return records.map((r) => ({
      id: r.publicId,
      category: r.categoryCode,
      title: r.title,
      description: r.description,
      lat: r.lat,
      lon: r.lon,
      placeCode: r.placeCode,
      provinceCode: r.provinceCode,
      address: r.address,
      media: r.media,
      channel: caseChannelSchema.catch('operator').parse(r.channel),
      priority: casePrioritySchema.catch('normal').parse(r.priority),
      organisation: r.orgCode,
      organisationName: r.orgCode ? (names.get(r.orgCode) ?? null) : null,
      status: statusOf(r),
      receivedAt: r.receivedAt,
      deadlineAt: r.deadlineAt,
      deadlineState: deadlineState(statusOf(r), r.deadlineAt, now),
      satisfaction: r.satisfaction,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }

  /** A case read in `scope` with its timeline and procedure steps, read in the same scope. */
  private async detailOf(r: CaseRecord, scope: ResolvedScope): Promise<CaseDetail> {
    const repo = new CasesRepository(this.ctx.store.db);
    const [c] = await this.toCases([r]);
    if (!c) throw new Error('unreachable: one record gives one case');
    const timeline: CaseEvent[] = (await repo.events(r.id, scope)).map((e) => ({
      at: e.at,
      actor: e.actor,
      kind: eventKind(e.kind),
      before: e.before_value,
      after: e.after_value,
      note: e.note,
    }));
    const steps = await repo.sopSteps(r.id, scope);
    // A case's procedure runs from its receipt, as the overdue steps count it.
    const due = sopDueTimes(c.receivedAt, steps.map((s) => ({ expectedMinutes: s.expected_minutes })));
    const sopSteps = steps.map((s, i) => ({ step: s.step, title: s.title, role: s.role, expectedMinutes: s.expected_minutes, dueAt: due[i] ?? '', doneAt: s.done_at, doneBy: s.done_by }));
    return { ...c, timeline, sopSteps };
  }
}

/** A stored status, read through its schema (a row written by a newer version fails loudly). */
export function statusOf(r: CaseRecord): CaseStatus {
  return caseStatusSchema.parse(r.status);
}

function eventKind(kind: string): CaseEvent['kind'] {
  switch (kind) {
    case 'created':
    case 'status':
    case 'assigned':
    case 'comment':
    case 'sop_step':
    case 'rating':
      return kind;
    default:
      throw new Error(`unknown case event kind ${kind}`);
  }
}
