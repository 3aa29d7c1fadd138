import { AppError, dossierMeasures, type DataScope, type DossierMeasures } from '@watchfloor/core';
import { DossiersRepository, resolveScope } from '@watchfloor/db';
import { senderBounds } from '../ingest/bounds';
import { DossierWriter } from '../ingest/dossiers';
import type { AppContext } from '../../context';

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
}
