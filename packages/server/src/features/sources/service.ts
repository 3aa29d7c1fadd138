import {
  ALL_DATA,
  AppError,
  dataScope,
  errorCodeSchema,
  expectedDeliverySchema,
  rejectionReasonSchema,
  pullConfigProblem,
  pullConfigSchema,
  runChannelSchema,
  runCheckpointSchema,
  runStatusSchema,
  runWarningSchema,
  sourceFreshness,
  sourceKindSchema,
  sourceCoverageSchema,
  sourceMappingSchema,
  todayIn,
  type SourceCoverage,
  type SourceAlias,
  type SourceMapping,
  type sourcesApi,
  aliasKey,
  type FreshnessResponse,
  type RejectedIngestRow,
  type Run,
  type Source,
  type SourceCreate,
  type SourceFreshness,
  type SourceUpdate,
  type DataScope,
  type Identity,
  type Permission,
} from '@watchfloor/core';
import {
  JobsRepository,
  OrganisationsRepository,
  RunsRepository,
  SourcesRepository,
  reaches,
  readJsonColumn,
  versionsByCode,
  resolveScope,
  type RejectedRowRow,
  type ResolvedScope,
  type RunRow,
  type SourcePatch,
  type SourceRecord,
} from '@watchfloor/db';
import type { AppContext } from '../../context';
import { encryptCredentials, newPushToken } from './secrets';
import { tokenMatches } from '../../http/secrets';
import { IdentityService } from '../identity/service';
import { checkPullConfig, checkSchedule, pullHost } from './checks';

/** What a caller may read, and what they may change with a permission: the scopes a write on a source is judged by. */
/** A mapping whose report layout is replaced, its aliases, target and sensors kept. */
export function withLayout(saved: SourceMapping | null, layout: sourcesApi.ReportLayout): SourceMapping {
  const { aliases, target, sensors } = saved ?? {};
  return { ...layout, ...(aliases ? { aliases } : {}), ...(target ? { target } : {}), ...(sensors ? { sensors } : {}) };
}

export function writeScopes(identity: Identity, permission: Permission): { read: DataScope; write: DataScope } {
  return { read: dataScope(identity), write: dataScope(identity, permission) };
}

/** A stored source as the API shows it: never its credentials or token hash. */
export function toSource(r: SourceRecord): Source {
  return {
    code: r.code,
    name: r.name,
    kind: sourceKindSchema.parse(r.kind),
    ownerOrganisationCode: r.ownerOrgCode,
    schedule: r.schedule,
    expected: r.expected === null ? null : expectedDeliverySchema.parse(r.expected),
    mapping: r.mapping === null ? null : sourceMappingSchema.parse(r.mapping),
    enabled: r.enabled,
    hasCredentials: r.credentialsEnc !== null,
    hasToken: r.tokenHash !== null,
    pull: r.pull === null || r.pull === undefined ? null : pullConfigSchema.parse(r.pull),
    coverage: r.coverage === null || r.coverage === undefined ? null : sourceCoverageSchema.parse(r.coverage),
    lastArrivalAt: r.lastArrivalAt,
    lastPeriodEnd: r.lastPeriodEnd,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toRun(r: RunRow): Run {
  const checkpoint = readJsonColumn(r.checkpoint);
  return {
    id: r.id,
    source: r.source_code,
    channel: runChannelSchema.parse(r.channel),
    status: runStatusSchema.parse(r.status),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    rowsRead: r.rows_read,
    rowsAccepted: r.rows_accepted,
    rowsRejected: r.rows_rejected,
    created: r.rows_created,
    revised: r.rows_revised,
    unchanged: r.rows_unchanged,
    fileName: r.file_name,
    error: r.error,
    errorCode: r.error_code == null ? null : errorCodeSchema.parse(r.error_code),
    checkpoint: checkpoint === null || checkpoint === undefined ? null : runCheckpointSchema.parse(checkpoint),
    enteredBy: r.entered_by ?? null,
    ...(r.warnings ? { warnings: runWarningSchema.array().parse(JSON.parse(r.warnings)) } : {}),
  };
}

function toRejected(r: RejectedRowRow): RejectedIngestRow {
  return {
    index: r.row_index,
    line: r.line,
    reason: rejectionReasonSchema.parse(r.reason),
    message: r.message,
    raw: r.raw,
    row: r.row_json === null ? null : JSON.parse(r.row_json),
  };
}

const CSV_FIELDS = ['indicator', 'place', 'period', 'organisation', 'value', 'status', 'note'] as const;

/** A CSV cell: quoted when needed; text a spreadsheet would run as a formula is defused. */
function csvCell(v: unknown, numeric = false): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  if (!numeric && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Sources (nguồn dữ liệu): registration, tokens and credentials, runs and their rejected rows, freshness. */
export class SourcesService {
  constructor(private readonly ctx: AppContext) {}

  private get sources() {
    return new SourcesRepository(this.ctx.store.db);
  }

  private get runs() {
    return new RunsRepository(this.ctx.store.db);
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  private resolve(scope: DataScope): Promise<ResolvedScope> {
    return resolveScope(this.ctx.store.db, scope);
  }

  /**
   * The owner must be a current agency, and one the caller may act for:
   * `forbidden` when the scope (of managing or supplying) does not reach it.
   */
  private async requireOwner(code: string, scope: DataScope): Promise<void> {
    const org = await new OrganisationsRepository(this.ctx.store.db).findAt(code, todayIn(this.ctx.clock));
    if (!org) throw new AppError('unknown_organisation_code', `No organisation ${code} exists today: the owner must be a current agency`);
    await this.requireReach(code, scope, `Organisation ${code} lies outside your scope`);
  }

  private async requireReach(ownerOrgCode: string, scope: DataScope, message: string): Promise<void> {
    if (!(await reaches(this.ctx.store.db, await this.resolve(scope), { orgCode: ownerOrgCode, orgPlace: true }))) throw new AppError('forbidden', message);
  }

  /**
   * A coverage must name existing places and organisations, each within the
   * caller's scope of managing sources: no one grants a source more than
   * they hold (`forbidden` otherwise).
   */
  private async requireCoverage(coverage: SourceCoverage | null | undefined, scope: DataScope): Promise<void> {
    if (!coverage) return;
    const db = this.ctx.store.db;
    const resolved = await this.resolve(scope);
    const places = await versionsByCode(db, 'place', coverage.places ?? []);
    const orgs = await versionsByCode(db, 'organisation', coverage.organisations ?? []);
    for (const code of coverage.places ?? []) {
      if (!places.has(code))
        throw new AppError('unknown_place_code', `coverage.places: no administrative unit has code ${code}`);
      if (!(await reaches(db, resolved, { placeCode: code, placeOfOrg: true }))) throw new AppError('forbidden', `coverage.places: unit ${code} lies outside your scope`);
    }
    for (const code of coverage.organisations ?? []) {
      if (!orgs.has(code)) throw new AppError('unknown_organisation_code', `coverage.organisations: no organisation has code ${code}`);
      if (!(await reaches(db, resolved, { orgCode: code, orgPlace: true }))) throw new AppError('forbidden', `coverage.organisations: organisation ${code} lies outside your scope`);
    }
  }

  /** The stored source, or `unknown_source` (also when the scope does not reach it). */
  async record(code: string, scope: DataScope): Promise<SourceRecord> {
    const r = await this.sources.get(code, await this.resolve(scope));
    if (!r) throw new AppError('unknown_source', `No source has code ${code}`);
    return r;
  }

  /**
   * A source a caller is about to write to (upload, readings, pull, manual
   * entry): `unknown_source` outside their read scope, `forbidden` when they
   * may read it but their scope for the write does not reach it.
   */
  async writable(code: string, scopes: { read: DataScope; write: DataScope }): Promise<SourceRecord> {
    const r = await this.record(code, scopes.read);
    await this.requireReach(r.ownerOrgCode, scopes.write, `Source ${code} lies outside your scope: you may not change or supply its data`);
    return r;
  }

  async list(scope: DataScope): Promise<Source[]> {
    return (await this.sources.list(await this.resolve(scope))).map(toSource);
  }

  async get(code: string, scope: DataScope): Promise<Source> {
    return toSource(await this.record(code, scope));
  }

  /** Registers a source, owned within the caller's scope of managing the catalogue. An HTTP push source gets a token, returned here once and never again. */
  async create(input: SourceCreate, scope: DataScope): Promise<{ source: Source; token: string | null }> {
    await this.requireOwner(input.ownerOrganisationCode, scope);
    await this.requireCoverage(input.coverage, scope);
    if (input.pull) checkPullConfig(input.pull);
    checkSchedule(input.schedule);
    const credentialsEnc = input.credentials === null ? null : encryptCredentials(this.ctx.config.secretKey, input.credentials);
    const token = input.kind === 'http_push' ? newPushToken() : null;
    const now = this.now();
    const inserted = await this.sources.insert({
      code: input.code,
      name: input.name,
      kind: input.kind,
      ownerOrgCode: input.ownerOrganisationCode,
      schedule: input.schedule,
      expected: input.expected,
      mapping: input.mapping,
      credentialsEnc,
      tokenHash: token?.hash ?? null,
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
      pull: input.pull,
      coverage: input.coverage,
    });
    if (!inserted) throw new AppError('source_exists', `A source with code ${input.code} exists already`);
    return { source: await this.get(input.code, ALL_DATA), token: token?.token ?? null };
  }

  /** Changes a source the caller may read (else `unknown_source`) and manage (else `forbidden`); a new owner must be within their scope too. */
  async update(code: string, input: SourceUpdate, scopes: { read: DataScope; write: DataScope }): Promise<Source> {
    const current = await this.writable(code, scopes);
    if (input.pull !== undefined) {
      const problem = pullConfigProblem(current.kind, input.pull);
      if (problem) throw new AppError('invalid_pull_config', `Source ${code}: ${problem}`);
      if (input.pull) checkPullConfig(input.pull);
    }
    if (input.schedule !== undefined) checkSchedule(input.schedule);
    if (input.ownerOrganisationCode !== undefined) await this.requireOwner(input.ownerOrganisationCode, scopes.write);
    await this.requireCoverage(input.coverage, scopes.write);
    const patch: SourcePatch = {
      name: input.name,
      ownerOrgCode: input.ownerOrganisationCode,
      schedule: input.schedule,
      expected: input.expected,
      mapping: input.mapping,
      enabled: input.enabled,
      pull: input.pull,
      coverage: input.coverage,
    };
    if (input.credentials !== undefined) patch.credentialsEnc = input.credentials === null ? null : encryptCredentials(this.ctx.config.secretKey, input.credentials);
    // Credentials are sent only to the host they were stored for: a pull moved to another host forgets them unless new ones come with it.
    else if (input.pull !== undefined && pullHost(current.pull) !== pullHost(input.pull)) patch.credentialsEnc = null;
    await this.sources.update(code, patch, this.now());
    // A new schedule is planned afresh by the scheduler (the cursor stays).
    if (input.schedule !== undefined && input.schedule !== current.schedule) await new JobsRepository(this.ctx.store.db).plan(code, null, this.now());
    return this.get(code, ALL_DATA);
  }

  async setEnabled(code: string, enabled: boolean, scopes: { read: DataScope; write: DataScope }): Promise<Source> {
    await this.writable(code, scopes);
    await this.sources.update(code, { enabled }, this.now());
    return this.get(code, ALL_DATA);
  }

  /**
   * Adds one of the source's own names for a unit or agency to its mapping
   * (replacing an alias of the same folded name). The code must exist and
   * lie within the caller's scope: no one points a source's rows at a unit
   * or agency they may not supply for.
   */
  async addAlias(code: string, alias: SourceAlias, scopes: { read: DataScope; write: DataScope }): Promise<Source> {
    const current = await this.writable(code, scopes);
    const db = this.ctx.store.db;
    if (!(await versionsByCode(db, alias.kind, [alias.code])).has(alias.code)) {
      throw alias.kind === 'place' ? new AppError('unknown_place_code', `No administrative unit has code ${alias.code}`) : new AppError('unknown_organisation_code', `No organisation has code ${alias.code}`);
    }
    if (alias.kind === 'organisation') await this.requireReach(alias.code, scopes.write, `Organisation ${alias.code} lies outside your scope`);
    else if (!(await reaches(db, await this.resolve(scopes.write), { placeCode: alias.code, placeOfOrg: true }))) throw new AppError('forbidden', `Unit ${alias.code} lies outside your scope`);
    const mapping = current.mapping === null ? {} : sourceMappingSchema.parse(current.mapping);
    const member = alias.kind === 'place' ? 'places' : 'organisations';
    const table = Object.fromEntries(Object.entries(mapping.aliases?.[member] ?? {}).filter(([name]) => aliasKey(name) !== aliasKey(alias.name)));
    table[alias.name] = alias.code;
    const next = sourceMappingSchema.safeParse({ ...mapping, aliases: { ...mapping.aliases, [member]: table } });
    if (!next.success) throw new AppError('invalid_body', `The source's aliases cannot take this one: ${next.error.issues.map((i) => i.message).join('; ')}`);
    await this.sources.update(code, { mapping: next.data }, this.now());
    return this.get(code, ALL_DATA);
  }

  /** Replaces how the source's report sheets are read (its report layout), keeping its aliases, target and sensors. */
  async saveLayout(code: string, layout: sourcesApi.ReportLayout, scopes: { read: DataScope; write: DataScope }): Promise<Source> {
    const current = await this.writable(code, scopes);
    const next = sourceMappingSchema.safeParse(withLayout(current.mapping === null ? null : sourceMappingSchema.parse(current.mapping), layout));
    if (!next.success) throw new AppError('invalid_body', `The layout cannot be kept: ${next.error.issues.map((i) => i.message).join('; ')}`);
    await this.sources.update(code, { mapping: next.data }, this.now());
    return this.get(code, ALL_DATA);
  }

  /** A new push token for the source, replacing any previous one (which stops working at once). */
  async rotateToken(code: string, scopes: { read: DataScope; write: DataScope }): Promise<{ source: Source; token: string }> {
    await this.writable(code, scopes);
    const t = newPushToken();
    await this.sources.update(code, { tokenHash: t.hash }, this.now());
    return { source: await this.get(code, ALL_DATA), token: t.token };
  }

  /** The source a push is for, once its bearer token is checked: `invalid_token` (401) otherwise, `source_disabled` when switched off. */
  async authenticatePush(code: string, authorization: string | undefined): Promise<SourceRecord> {
    // The source's own token is the credential here, whoever sends it.
    const source = await this.record(code, ALL_DATA);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m?.[1]) throw new AppError('invalid_token', 'Send the source token as "Authorization: Bearer <token>"');
    // An API token bound to this source (made by an administrator) pushes to it too, while its maker still may.
    const matches = (source.tokenHash !== null && tokenMatches(m[1], source.tokenHash)) || (await new IdentityService(this.ctx).pushesTo(m[1], code));
    if (!matches) throw new AppError('invalid_token', `The token is not the one of source ${code}`);
    if (!source.enabled) throw new AppError('source_disabled', `Source ${code} is disabled`);
    return source;
  }

  async listRuns(code: string, options: { limit: number; before?: number | undefined }, scope: DataScope): Promise<Run[]> {
    const resolved = await this.resolve(scope);
    if (!(await this.sources.get(code, resolved))) throw new AppError('unknown_source', `No source has code ${code}`);
    return (await this.runs.listForSource(code, { limit: options.limit, beforeId: options.before }, resolved)).map(toRun);
  }

  /** A run, or `not_found` (also when the scope does not reach its source). */
  async run(id: number, scope: DataScope): Promise<Run> {
    const r = await this.runs.get(id, await this.resolve(scope));
    if (!r) throw new AppError('not_found', `No run ${id}`);
    return toRun(r);
  }

  async rejected(id: number, options: { limit: number; offset: number }, scope: DataScope): Promise<{ run: Run; total: number; rows: RejectedIngestRow[] }> {
    const resolved = await this.resolve(scope);
    const r = await this.runs.get(id, resolved);
    if (!r) throw new AppError('not_found', `No run ${id}`);
    const run = toRun(r);
    const rows = (await this.runs.rejected(id, { limit: options.limit, offset: options.offset }, resolved)).map(toRejected);
    return { run, total: run.rowsRejected, rows };
  }

  /**
   * A run's rejected rows as CSV to fix and send again: the line and reason
   * first, then the observation columns the file channel reads back (the
   * others are ignored on upload), then the row as it was received. Written
   * page by page, so a run with many rejections is never held in memory.
   */
  async *rejectedCsv(id: number, scope: DataScope): AsyncGenerator<string> {
    const resolved = await this.resolve(scope);
    if (!(await this.runs.get(id, resolved))) throw new AppError('not_found', `No run ${id}`);
    yield `\uFEFFline,reason,message,${CSV_FIELDS.join(',')},raw\r\n`;
    let after = -1;
    for (;;) {
      const page = await this.runs.rejected(id, { limit: 2000, afterIndex: after }, resolved);
      if (page.length === 0) return;
      let out = '';
      for (const r of page) {
        const row: unknown = r.row_json === null ? null : JSON.parse(r.row_json);
        const fields = CSV_FIELDS.map((f) => csvCell(typeof row === 'object' && row !== null && f in row ? Reflect.get(row, f) : null, f === 'value'));
        out += `${r.line ?? ''},${r.reason},${csvCell(r.message)},${fields.join(',')},${csvCell(r.raw)}\r\n`;
        after = r.row_index;
      }
      yield out;
    }
  }

  /** The freshness of every source in the scope, the late ones ranked by lateness, and the agencies responsible. */
  async freshness(scope: DataScope): Promise<FreshnessResponse> {
    const now = this.ctx.clock.now();
    const orgs = new Map((await new OrganisationsRepository(this.ctx.store.db).listAt(todayIn(this.ctx.clock))).map((o) => [o.code, o.name]));
    const sources: SourceFreshness[] = (await this.sources.list(await this.resolve(scope))).map((r) => {
      const s = toSource(r);
      const f = sourceFreshness({ expected: s.expected, enabled: s.enabled, lastArrivalAt: s.lastArrivalAt, lastPeriodEnd: s.lastPeriodEnd, createdAt: s.createdAt, now });
      return {
        source: s.code,
        name: s.name,
        kind: s.kind,
        ownerOrganisationCode: s.ownerOrganisationCode,
        ownerOrganisationName: orgs.get(s.ownerOrganisationCode) ?? null,
        state: f.state,
        lastArrivalAt: s.lastArrivalAt,
        lastPeriodEnd: s.lastPeriodEnd,
        dueAt: f.dueAt,
        lateSince: f.lateSince,
        lateSeconds: f.lateSeconds,
        missingPeriod: f.missingPeriod,
      };
    });
    const late = sources.filter((s) => s.state === 'late').sort((a, b) => (b.lateSeconds ?? 0) - (a.lateSeconds ?? 0) || a.source.localeCompare(b.source));
    const byAgency = new Map<string, FreshnessResponse['agencies'][number]>();
    for (const s of late) {
      const a = byAgency.get(s.ownerOrganisationCode) ?? { organisationCode: s.ownerOrganisationCode, organisationName: s.ownerOrganisationName, lateSources: 0, worstLateSeconds: 0, sources: [] };
      a.lateSources++;
      a.worstLateSeconds = Math.max(a.worstLateSeconds, s.lateSeconds ?? 0);
      a.sources.push(s.source);
      byAgency.set(a.organisationCode, a);
    }
    const agencies = [...byAgency.values()].sort((a, b) => b.worstLateSeconds - a.worstLateSeconds || b.lateSources - a.lateSources);
    return { asOf: now.toISOString(), sources, late, agencies };
  }
}
