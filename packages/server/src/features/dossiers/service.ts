import { AppError, dossierInputSchema, dossierMeasures, dossierMonths, vietnamDate, type DataScope, type DossierMeasures } from '@watchfloor/core';
import { ALL_ROWS, DossiersRepository, OperationsRepository, OrganisationsRepository, PlacesRepository, resolveScope, type DossierRecord } from '@watchfloor/db';
import { outsideBounds, outsideMessage, senderBounds, type WriteBounds } from '../ingest/bounds';
import type { AppContext } from '../../context';

export interface DossierRowProblem {
  index: number;
  reason: 'invalid_row' | 'unknown_organisation' | 'unknown_place' | 'due_before_received' | 'resolved_before_received' | 'duplicate_in_batch' | 'out_of_scope';
  message: string;
}

/** Instants are compared as text in SQLite: every one is stored in UTC. */
const utc = (instant: string): string => new Date(instant).toISOString();

/**
 * Public-service dossiers (hồ sơ TTHC): saved by their code, each with the
 * place of its time, and counted by the Decision 766 measures.
 */
export class DossiersService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Validates every row and saves them all, or none: one bad row is a 400
   * listing each problem; one dossier outside the writer's scope (as sent,
   * or as stored when it is sent again) is a 403 naming every such code.
   */
  async save(rows: readonly unknown[], scope: DataScope): Promise<{ saved: number; created: number; revised: number; unchanged: number }> {
    const { records, problems } = await this.check(rows);
    if (problems.length > 0) {
      throw new AppError('invalid_body', `${problems.length} dossier row(s) refused; nothing was saved: ${problems.slice(0, 3).map((p) => `row ${p.index}: ${p.message}`).join('; ')}`, problems);
    }
    const kept = records.map((r) => r.record);
    const outside = await this.outside(kept, await senderBounds(this.ctx.store.db, scope));
    if (outside.size > 0) {
      const codes = [...outside.keys()].map((i) => kept[i]?.code ?? '');
      const named = codes.slice(0, 20).join(', ') + (codes.length > 20 ? ` and ${codes.length - 20} more` : '');
      throw new AppError('forbidden', `${codes.length} dossier(s) are outside the scope you may write; nothing was saved: ${named}`);
    }
    const counts = await this.store(kept);
    return { saved: records.length, ...counts };
  }

  /**
   * The dossiers (by position) a write's bounds do not reach, with why: as
   * they would be saved (their place and agency), or as they are stored now
   * (a writer cannot take over another agency's dossier by its code).
   */
  async outside(records: readonly DossierRecord[], bounds: WriteBounds): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (bounds.length === 0 || records.length === 0) return out;
    const db = this.ctx.store.db;
    const sent = records.map((r) => ({ placeId: r.placeId, placeCode: r.placeCode, orgCode: r.orgCode }));
    (await outsideBounds(db, bounds, sent)).forEach((why, i) => {
      const t = sent[i];
      if (why !== null && t) out.set(i, `Dossier ${records[i]?.code}: ${outsideMessage(t, why)}`);
    });
    const stored = new Map((await new OperationsRepository(db).dossiersByCode(records.map((r) => r.code), ALL_ROWS)).map((d) => [d.code, d]));
    const positions = records.flatMap((r, i) => (stored.has(r.code) && !out.has(i) ? [i] : []));
    const old = positions.map((i) => {
      const d = stored.get(records[i]?.code ?? '');
      return { placeId: d?.place_id ?? null, placeCode: d?.place_code ?? null, orgCode: d?.org_code ?? null };
    });
    (await outsideBounds(db, bounds, old)).forEach((why, k) => {
      const i = positions[k];
      const t = old[k];
      if (why !== null && i !== undefined && t) out.set(i, `Dossier ${records[i]?.code} is stored for another agency or unit: ${outsideMessage(t, why)}`);
    });
    return out;
  }

  /**
   * Checks each row on its own: the rows that can be stored (with their
   * index) and every problem of the others. Nothing is written.
   */
  async check(rows: readonly unknown[]): Promise<{ records: { index: number; record: DossierRecord }[]; problems: DossierRowProblem[] }> {
    const orgs = new OrganisationsRepository(this.ctx.store.db);
    const places = new PlacesRepository(this.ctx.store.db);
    const problems: DossierRowProblem[] = [];
    const records: { index: number; record: DossierRecord }[] = [];
    const seen = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const p = dossierInputSchema.safeParse(row);
      if (!p.success) {
        problems.push({ index, reason: 'invalid_row', message: p.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') });
        continue;
      }
      const d = p.data;
      if (seen.has(d.code)) {
        problems.push({ index, reason: 'duplicate_in_batch', message: `Dossier ${d.code} appears twice in this batch` });
        continue;
      }
      seen.add(d.code);
      const receivedAt = utc(d.receivedAt);
      const dueAt = utc(d.dueAt);
      const resolvedAt = d.resolvedAt ? utc(d.resolvedAt) : null;
      const before = problems.length;
      if (dueAt < receivedAt) problems.push({ index, reason: 'due_before_received', message: `Dossier ${d.code} is due before it was received` });
      if (resolvedAt !== null && resolvedAt < receivedAt) problems.push({ index, reason: 'resolved_before_received', message: `Dossier ${d.code} was resolved before it was received` });
      const at = vietnamDate(new Date(receivedAt));
      const org = await orgs.findAt(d.organisation, at);
      if (!org) {
        problems.push({ index, reason: 'unknown_organisation', message: `No organisation ${d.organisation} existed on ${at}` });
        continue;
      }
      const placeCode = d.place ?? org.place_code;
      const place = placeCode ? await places.findAt(placeCode, at) : undefined;
      if (placeCode && !place) {
        problems.push({ index, reason: 'unknown_place', message: `No unit had code ${placeCode} on ${at}` });
        continue;
      }
      if (problems.length > before) continue;
      let province = place;
      while (province && province.level !== 'province' && province.parent_code) province = await places.findAt(province.parent_code, at);
      records.push({
        index,
        record: {
          code: d.code,
          procedureCode: d.procedure,
          procedureName: d.procedureName ?? null,
          orgCode: d.organisation,
          placeId: place?.id ?? null,
          placeCode: place?.code ?? null,
          provinceCode: province?.level === 'province' ? province.code : null,
          receivedAt,
          dueAt,
          resolvedAt,
          channel: d.channel,
          paidOnline: d.paidOnline,
        },
      });
    }
    return { records, problems };
  }

  /**
   * Saves checked dossiers in one transaction, by code: a dossier sent
   * again as stored is left alone. Once committed, `dossiers.changed`
   * names the months whose measures moved (those of the stored and of the
   * new version), so the figures of those months are recomputed.
   */
  async store(records: readonly DossierRecord[]): Promise<{ created: number; revised: number; unchanged: number }> {
    // Every stored version counts here: whether a writer may replace it is decided before (`outside`).
    const stored = new Map((await new OperationsRepository(this.ctx.store.db).dossiersByCode(records.map((r) => r.code), ALL_ROWS)).map((r) => [r.code, r]));
    const changed: DossierRecord[] = [];
    const months = new Set<string>();
    const now = this.ctx.clock.now().toISOString();
    let created = 0;
    for (const r of records) {
      const old = stored.get(r.code);
      if (old && sameDossier(old, r)) continue;
      if (!old) created++;
      changed.push(r);
      for (const m of dossierMonths(r, now)) months.add(m);
      if (old) for (const m of dossierMonths({ receivedAt: old.received_at, resolvedAt: old.resolved_at }, now)) months.add(m);
    }
    if (changed.length > 0) {
      await this.ctx.store.db.transaction().execute((trx) => new DossiersRepository(trx).upsert(changed, now));
      this.ctx.live?.publish({ type: 'dossiers.changed', months: [...months].sort().slice(-600) });
    }
    return { created, revised: changed.length - created, unchanged: records.length - changed.length };
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

type StoredDossier = Awaited<ReturnType<OperationsRepository['dossiersByCode']>>[number];

/** Whether a stored dossier already says what a new row says (instants compared as stored, in UTC). */
function sameDossier(old: StoredDossier, r: DossierRecord): boolean {
  return (
    old.procedure_code === r.procedureCode &&
    old.procedure_name === r.procedureName &&
    old.org_code === r.orgCode &&
    old.place_id === r.placeId &&
    old.province_code === r.provinceCode &&
    utc(old.received_at) === r.receivedAt &&
    utc(old.due_at) === r.dueAt &&
    (old.resolved_at === null ? null : utc(old.resolved_at)) === r.resolvedAt &&
    old.channel === r.channel &&
    Boolean(old.paid_online) === r.paidOnline
  );
}
