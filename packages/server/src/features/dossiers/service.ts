import { AppError, addDays, dossierDaysLate, dossierMeasures, dossierState, vietnamDate, type DataScope, type DossierListItem, type DossierMeasures, type dossiersApi } from '@watchfloor/core';
import type { z } from 'zod';
import { DossiersRepository, resolveScope, type DossierFilter, type ListedDossier } from '@watchfloor/db';
import { senderBounds } from '../ingest/bounds';
import { DossierWriter } from '../ingest/dossiers';
import type { AppContext } from '../../context';

/** The list's query, as its contract reads it. */
export type DossierListQuery = z.output<typeof dossiersApi.list.query>;

/** Instants are compared as text in SQLite: every one is stored in UTC. */
const utc = (instant: string): string => new Date(instant).toISOString();

/**
 * Public-service dossiers (hồ sơ TTHC): saved by their code, each with the
 * place of its time, and counted by the Decision 766 measures. Rows are
 * checked and stored by the dossier writer every channel uses.
 */
export class DossiersService {
  private readonly writer: DossierWriter;

  constructor(private readonly ctx: AppContext) {
    this.writer = new DossierWriter(ctx);
  }

  /**
   * Validates every row and saves them all, or none: one bad row is a 400
   * listing each problem; one dossier outside the writer's scope (as sent,
   * or as stored when it is sent again) is a 403 naming every such code.
   */
  async save(rows: readonly unknown[], scope: DataScope): Promise<{ saved: number; created: number; revised: number; unchanged: number }> {
    const { records, problems } = await this.writer.check(rows);
    if (problems.length > 0) {
      throw new AppError('invalid_body', `${problems.length} dossier row(s) refused; nothing was saved: ${problems.slice(0, 3).map((p) => `row ${p.index}: ${p.message}`).join('; ')}`, problems);
    }
    const kept = records.map((r) => r.record);
    const outside = await this.writer.outside(kept, await senderBounds(this.ctx.store.db, scope));
    if (outside.size > 0) {
      const codes = [...outside.keys()].map((i) => kept[i]?.code ?? '');
      const named = codes.slice(0, 20).join(', ') + (codes.length > 20 ? ` and ${codes.length - 20} more` : '');
      throw new AppError('forbidden', `${codes.length} dossier(s) are outside the scope you may write; nothing was saved: ${named}`);
    }
    const counts = await this.writer.store(kept);
    return { saved: records.length, ...counts };
  }

  /** The Decision 766 measures of a period (Vietnam dates, inclusive) of the dossiers in the scope, as of its end or `asOf` if earlier. */
  async measures(q: { from: string; to: string; asOf?: string | undefined; organisation?: string | undefined; place?: string | undefined }, scope: DataScope): Promise<DossierMeasures> {
    if (q.to < q.from) throw new AppError('invalid_parameter', `to (${q.to}) is before from (${q.from})`);
    const start = utc(`${q.from}T00:00:00+07:00`);
    const end = new Date(Date.parse(`${q.to}T00:00:00+07:00`) + 86_400_000).toISOString();
    const dossiers = await new DossiersRepository(this.ctx.store.db).forPeriod({ start, end, orgCode: q.organisation, placeCode: q.place }, await resolveScope(this.ctx.store.db, scope));
    return dossierMeasures(dossiers, { from: q.from, to: q.to, ...(q.asOf ? { asOf: q.asOf } : {}) });
  }

  /** The dossiers in the scope matching a query, newest received first: the first `limit` (default 1,000), each with its state now. */
  async list(q: DossierListQuery, scope: DataScope): Promise<DossierListItem[]> {
    const now = this.ctx.clock.now().toISOString();
    const repo = new DossiersRepository(this.ctx.store.db);
    return this.named(repo, await repo.list(this.filterOf(q, now), await resolveScope(this.ctx.store.db, scope)), now);
  }

  /**
   * Every dossier in the scope matching a query (`limit` when given), in
   * the list's order, a page at a time: an export of any length. Each page
   * is read, named and let go before the next.
   */
  async *stream(q: DossierListQuery, scope: DataScope): AsyncGenerator<DossierListItem[]> {
    const now = this.ctx.clock.now().toISOString();
    const repo = new DossiersRepository(this.ctx.store.db);
    for await (const page of repo.pages(this.filterOf(q, now), await resolveScope(this.ctx.store.db, scope))) yield await this.named(repo, page, now);
  }

  private filterOf(q: DossierListQuery, now: string): DossierFilter {
    if (q.receivedFrom && q.receivedTo && q.receivedTo < q.receivedFrom) throw new AppError('invalid_parameter', `receivedTo (${q.receivedTo}) is before receivedFrom (${q.receivedFrom})`);
    const flag = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');
    return {
      now,
      orgCode: q.organisation,
      placeCode: q.place,
      procedureCode: q.procedure,
      status: q.status,
      late: flag(q.late),
      dueWithin24h: flag(q.dueWithin24h),
      receivedFrom: q.receivedFrom ? utc(`${q.receivedFrom}T00:00:00+07:00`) : undefined,
      receivedBefore: q.receivedTo ? utc(`${addDays(q.receivedTo, 1)}T00:00:00+07:00`) : undefined,
      limit: q.limit,
    };
  }

  /** Rows as answered: each agency named as when the dossier was received, each state judged now by the measures' own rule. */
  private async named(repo: DossiersRepository, rows: readonly ListedDossier[], now: string): Promise<DossierListItem[]> {
    const byDay = new Map<string, Set<string>>();
    for (const r of rows) {
      const day = vietnamDate(new Date(r.receivedAt));
      byDay.set(day, (byDay.get(day) ?? new Set()).add(r.orgCode));
    }
    const names = new Map<string, string>();
    for (const [day, codes] of byDay) for (const [code, name] of await repo.organisationNames([...codes], day)) names.set(`${day} ${code}`, name);
    return rows.map((r) => ({
      code: r.code,
      procedure: r.procedureCode,
      procedureName: r.procedureName,
      organisation: r.orgCode,
      organisationName: names.get(`${vietnamDate(new Date(r.receivedAt))} ${r.orgCode}`) ?? null,
      place: r.placeCode,
      placeName: r.placeName,
      channel: r.channel,
      receivedAt: r.receivedAt,
      dueAt: r.dueAt,
      resolvedAt: r.resolvedAt,
      state: dossierState(r, now),
      daysLate: dossierDaysLate(r, now),
    }));
  }
}
