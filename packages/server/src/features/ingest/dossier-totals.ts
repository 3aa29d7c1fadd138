import { DOSSIER_TOTAL_INDICATORS, parsePeriod, periodEnd, periodKey, type Period, type Provenance, type RejectedRow, type RejectionReason, type SourceMapping } from '@watchfloor/core';
import { DossierTotalsRepository, PlacesRepository, type DossierTotalRecord } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { ObservationWriter, type WriteResult } from './observations';
import type { WriteBounds } from './bounds';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MEASURES: ReadonlySet<string> = new Set(DOSSIER_TOTAL_INDICATORS);

/**
 * The write path of a dossier-totals source (mapping `target:
 * dossier_totals`): an agency's monthly dossier counts per unit, one
 * figure per measure (a wide sheet's value columns each naming a
 * PS_DOSSIER_* indicator). Each figure is checked as an observation would
 * be (indicator, unit and agency by code or name as valid in the month,
 * unit of measure, the source's coverage and the sender's scope), and also
 * as a count: a PS_DOSSIER_* measure, of an agency, for a month, a whole
 * number not below zero. Accepted totals are stored by agency, unit, month
 * and measure (a resend is unchanged, a new count a revision), never as
 * figures: the Decision 766 figures of their months are recomputed, and
 * count them where the agency has no dossier record for that unit and month.
 */
export class DossierTotalsWriter {
  private readonly check: ObservationWriter;

  constructor(private readonly ctx: AppContext) {
    this.check = new ObservationWriter(ctx.store, ctx.clock);
  }

  async write(rows: readonly unknown[], provenance: Provenance, options: { dryRun?: boolean; bounds?: WriteBounds; mapping?: SourceMapping | null } = {}): Promise<WriteResult> {
    const rejected: RejectedRow[] = [];
    const refuse = (index: number, reason: RejectionReason, message: string) => rejected.push({ index, reason, message, row: rows[index] });
    const months = new Map<number, Period>();
    const passing: number[] = [];
    rows.forEach((row, index) => {
      if (!isRecord(row)) return passing.push(index);
      const { indicator, organisation, period, value } = row;
      if (typeof indicator === 'string' && !MEASURES.has(indicator)) return refuse(index, 'not_a_base_indicator', `${indicator} is not a dossier measure a total may give (${DOSSIER_TOTAL_INDICATORS.join(', ')})`);
      if (organisation === undefined || organisation === null || organisation === '') return refuse(index, 'unknown_organisation', 'A dossier total names the agency it counts (a column, a cell or the mapping’s default organisation)');
      if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) return refuse(index, 'invalid_number', `A dossier count is a whole number not below zero, not ${value}`);
      if (typeof period === 'string') {
        let p: Period | null = null;
        try {
          p = parsePeriod(period);
        } catch {
          // Refused by the observation checks below, with their message.
        }
        if (p !== null && p.kind !== 'month') return refuse(index, 'period_does_not_match_frequency', `Dossier totals are monthly; ${period} is not a month`);
        if (p !== null) months.set(index, p);
      }
      passing.push(index);
    });
    // The observation checks, nothing written: names resolved, units converted, coverage and scope.
    const checked = await this.check.write(
      passing.map((i) => rows[i]),
      provenance,
      { dryRun: true, ...(options.bounds ? { bounds: options.bounds } : {}), mapping: options.mapping ?? null },
    );
    const refusedThere = new Set<number>();
    for (const r of checked.rejected) {
      const index = passing[r.index];
      if (index === undefined) continue;
      refusedThere.add(index);
      refuse(index, r.reason, r.message);
    }
    const storedAs = new Map((checked.stored ?? []).map((s) => [passing[s.index], s]));
    const places = new PlacesRepository(this.ctx.store.db);
    const found = new Map<string, { id: number; code: string; province: string | null } | null>();
    const placeAt = async (code: string, at: string) => {
      const key = `${code}\u0000${at}`;
      if (!found.has(key)) {
        const place = await places.findAt(code, at);
        let province = place;
        while (province && province.level !== 'province' && province.parent_code) province = await places.findAt(province.parent_code, at);
        found.set(key, place ? { id: place.id, code: place.code, province: province?.level === 'province' ? province.code : null } : null);
      }
      return found.get(key) ?? null;
    };
    const records: DossierTotalRecord[] = [];
    const accepted: { index: number; record: DossierTotalRecord }[] = [];
    const stored: NonNullable<WriteResult['stored']> = [];
    for (const index of passing) {
      if (refusedThere.has(index)) continue;
      const row = rows[index] as Record<string, unknown>;
      const as = storedAs.get(index);
      const month = months.get(index) ?? parsePeriod(String(row.period));
      const at = periodEnd(month);
      const place = await placeAt(as?.place ?? String(row.place), at);
      if (!place) {
        refuse(index, 'unknown_place', `No unit had code ${as?.place ?? String(row.place)} on ${at}`);
        continue;
      }
      const record: DossierTotalRecord = {
        orgCode: as?.organisation ?? String(row.organisation),
        placeId: place.id,
        placeCode: place.code,
        provinceCode: place.province,
        periodKey: periodKey(month),
        indicatorCode: String(row.indicator),
        value: as?.value ?? Number(row.value),
      };
      if (as) stored.push({ ...as, index });
      accepted.push({ index, record });
      records.push(record);
    }
    rejected.sort((a, b) => a.index - b.index);
    const result: WriteResult = { received: rows.length, accepted: records.length, created: 0, revised: 0, unchanged: 0, rejected, ...(stored.length > 0 ? { stored } : {}) };
    if (options.dryRun || records.length === 0) return result;
    return { ...result, ...(await this.store(records, provenance)) };
  }

  /** Saves totals by key in one transaction; once committed, the months whose figures they feed are recomputed. */
  private async store(records: readonly DossierTotalRecord[], provenance: Provenance): Promise<{ created: number; revised: number; unchanged: number }> {
    const key = (r: Pick<DossierTotalRecord, 'orgCode' | 'placeCode' | 'periodKey' | 'indicatorCode'>) => `${r.orgCode}\u0000${r.placeCode}\u0000${r.periodKey}\u0000${r.indicatorCode}`;
    const before = new Map((await new DossierTotalsRepository(this.ctx.store.db).byKeys(records)).map((r) => [key(r), r.value]));
    let created = 0;
    let revised = 0;
    const changed: DossierTotalRecord[] = [];
    for (const r of records) {
      const old = before.get(key(r));
      if (old === r.value) continue;
      if (old === undefined) created++;
      else revised++;
      changed.push(r);
    }
    if (changed.length > 0) {
      const now = this.ctx.clock.now().toISOString();
      await this.ctx.store.db.transaction().execute((trx) => new DossierTotalsRepository(trx).upsert(changed, { source: provenance.source, runId: provenance.runId ?? null }, now));
      this.ctx.live?.publish({ type: 'dossiers.changed', months: [...new Set(changed.map((r) => r.periodKey))].sort() });
    }
    return { created, revised, unchanged: records.length - changed.length };
  }
}
