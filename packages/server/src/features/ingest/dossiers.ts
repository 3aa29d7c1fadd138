import { dossierInputSchema, dossierMonths, RowRejection, vietnamDate, type Provenance, type RejectedRow, type RejectionReason, type SourceMapping } from '@watchfloor/core';
import { ALL_ROWS, DossiersRepository, OperationsRepository, OrganisationsRepository, PlacesRepository, type DossierRecord } from '@watchfloor/db';
import type { AppContext } from '../../context';
import type { WriteResult } from './observations';
import { outsideBounds, outsideMessage, type WriteBounds } from './bounds';
import { NameResolver, needsResolving, type NameRequest } from './names';

export interface DossierRowProblem {
  index: number;
  reason: RejectionReason;
  message: string;
}

/** Instants are compared as text in SQLite: every one is stored in UTC. */
const utc = (instant: string): string => new Date(instant).toISOString();


/**
 * The write path of a dossier source (mapping `target: dossiers`): each
 * row checked on its own and refused with its reason, the rest saved in
 * one transaction by dossier code, so a batch is all or nothing and a
 * resend creates no duplicate (an unchanged dossier counts as unchanged,
 * a changed one as revised). It stands in for the observation writer in
 * `IngestService`, so pushes, uploads and pulls of dossiers are runs with
 * counts and rejected rows like any other.
 */
export class DossierWriter {
  constructor(private readonly ctx: AppContext) {}

  async write(rows: readonly unknown[], _provenance: Provenance, options: { dryRun?: boolean; bounds?: WriteBounds; mapping?: SourceMapping | null } = {}): Promise<WriteResult> {
    const named = await this.resolveNames(rows, options.mapping ?? null, options.bounds ?? []);
    const unnamed = new Set(named.problems.map((p) => p.index));
    const checked = await this.check(named.rows);
    checked.records = checked.records.filter((r) => !unnamed.has(r.index));
    const problems = [...named.problems, ...checked.problems.filter((p) => !unnamed.has(p.index))];
    // A dossier outside the source's coverage or the sender's scope is a rejected row, never a write.
    const outside = await this.outside(
      checked.records.map((r) => r.record),
      options.bounds ?? [],
    );
    const records = checked.records.filter((_, i) => !outside.has(i));
    for (const [i, message] of outside) {
      const index = checked.records[i]?.index;
      if (index !== undefined) problems.push({ index, reason: 'out_of_scope', message });
    }
    const byIndex = new Map<number, RejectedRow>();
    for (const p of problems) {
      const seen = byIndex.get(p.index);
      if (seen) seen.message = `${seen.message}; ${p.message}`;
      else byIndex.set(p.index, { index: p.index, reason: p.reason, message: p.message, row: rows[p.index] });
    }
    const rejected = [...byIndex.values()].sort((a, b) => a.index - b.index);
    const counts = options.dryRun ? { created: 0, revised: 0, unchanged: 0 } : await this.store(records.map((r) => r.record));
    return { received: rows.length, accepted: records.length, ...counts, rejected };
  }

  /**
   * Agencies (and units) a row writes by name or by one of the source's
   * aliases ("STC"), replaced by their codes as valid on the day the dossier
   * was received; a row whose name does not resolve is a problem listing
   * the candidates.
   */
  private async resolveNames(rows: readonly unknown[], mapping: SourceMapping | null, bounds: WriteBounds): Promise<{ rows: unknown[]; problems: DossierRowProblem[] }> {
    const requests: NameRequest[] = [];
    const at: { index: number; field: 'place' | 'organisation' }[] = [];
    rows.forEach((row, index) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return;
      const r = row as Record<string, unknown>;
      const received = typeof r.receivedAt === 'string' ? new Date(r.receivedAt) : null;
      if (received === null || Number.isNaN(received.getTime())) return;
      const day = vietnamDate(received);
      for (const field of ['organisation', 'place'] as const) {
        if (!needsResolving(field, r[field], mapping)) continue;
        requests.push({ kind: field, text: String(r[field]).trim(), start: day, end: day, period: day });
        at.push({ index, field });
      }
    });
    const out = [...rows];
    const problems: DossierRowProblem[] = [];
    if (requests.length === 0) return { rows: out, problems };
    (await new NameResolver(this.ctx.store.db, mapping, bounds).resolve(requests)).forEach((a, i) => {
      const where = at[i];
      if (!where) return;
      if (a instanceof RowRejection) {
        if (!problems.some((p) => p.index === where.index)) problems.push({ index: where.index, reason: a.reason, message: a.message });
        return;
      }
      out[where.index] = { ...(out[where.index] as Record<string, unknown>), [where.field]: a.code };
    });
    return { rows: out, problems };
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
