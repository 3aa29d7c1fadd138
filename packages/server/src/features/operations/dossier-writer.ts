import type { ObservationRejection, Provenance, RejectedRow } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { DossiersService, type DossierRowProblem } from '../dossiers/service';
import type { WriteResult } from '../observations/writer';
import type { WriteBounds } from '../ingest/bounds';

/** Dossier problems as the reasons runs keep (the date-order ones are invalid rows). */
const REASON: Record<DossierRowProblem['reason'], ObservationRejection> = {
  invalid_row: 'invalid_row',
  unknown_organisation: 'unknown_organisation',
  unknown_place: 'unknown_place',
  due_before_received: 'invalid_row',
  resolved_before_received: 'invalid_row',
  duplicate_in_batch: 'duplicate_in_batch',
  out_of_scope: 'out_of_scope',
};

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
  private readonly dossiers: DossiersService;

  constructor(ctx: AppContext) {
    this.dossiers = new DossiersService(ctx);
  }

  async write(rows: readonly unknown[], _provenance: Provenance, options: { dryRun?: boolean; bounds?: WriteBounds } = {}): Promise<WriteResult> {
    const checked = await this.dossiers.check(rows);
    const { problems } = checked;
    // A dossier outside the source's coverage or the sender's scope is a rejected row, never a write.
    const outside = await this.dossiers.outside(
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
      else byIndex.set(p.index, { index: p.index, reason: REASON[p.reason], message: p.message, row: rows[p.index] });
    }
    const rejected = [...byIndex.values()].sort((a, b) => a.index - b.index);
    const counts = options.dryRun ? { created: 0, revised: 0, unchanged: 0 } : await this.dossiers.store(records.map((r) => r.record));
    return { received: rows.length, accepted: records.length, ...counts, rejected };
  }
}
