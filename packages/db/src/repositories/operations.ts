import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';
import type { ResolvedScope } from '../scope';
import { caseInScope, casesWithLastResolution } from './cases';
import { dossierInScope } from './dossiers';

type Db = Kysely<Database> | Transaction<Database>;

/** A case as the monthly counts need it, with where it is counted. */
export interface CountedCaseRow {
  status: string;
  receivedAt: string;
  deadlineAt: string;
  /** The last time it moved to resolved, or null. */
  resolvedAt: string | null;
  satisfaction: number | null;
  placeCode: string | null;
  provinceCode: string | null;
  orgCode: string | null;
}

/** A dossier as the Decision 766 measures need it, with where it is counted. */
export interface CountedDossierRow {
  code: string;
  receivedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  channel: 'online' | 'offline';
  placeCode: string | null;
  provinceCode: string | null;
  orgCode: string;
}

/** A stored figure of a derived source. */
export interface StoredFigure {
  indicator: string;
  place: string;
  organisation: string;
  value: number;
  note?: string | null;
}

/**
 * The SQL of operational figures: the records a month counts, and the
 * figures already filed for it. Counting is internal (figures are filed
 * for every place and agency): its callers pass `ALL_ROWS`.
 */
export class OperationsRepository {
  constructor(private readonly db: Db) {}

  /** The cases in the scope received in `[start, end)` or last resolved in it. */
  async casesOfMonth(start: string, end: string, scope: ResolvedScope): Promise<CountedCaseRow[]> {
    const rows = await casesWithLastResolution(this.db)
      .select(['c.status', 'c.received_at', 'c.deadline_at', 'c.satisfaction', 'r.resolved_at', 'c.place_code', 'c.province_code', 'c.org_code'])
      .where(caseInScope(scope, 'c'))
      .where((eb) =>
        eb.or([
          eb.and([eb('c.received_at', '>=', start), eb('c.received_at', '<', end)]),
          eb.and([eb('r.resolved_at', '>=', start), eb('r.resolved_at', '<', end)]),
        ]),
      )
      .execute();
    return rows.map((r) => ({
      status: r.status,
      receivedAt: r.received_at,
      deadlineAt: r.deadline_at,
      resolvedAt: r.resolved_at ?? null,
      satisfaction: r.satisfaction,
      placeCode: r.place_code,
      provinceCode: r.province_code,
      orgCode: r.org_code,
    }));
  }

  /** When the cases with these public ids were received and last resolved. */
  async caseInstants(publicIds: readonly string[], scope: ResolvedScope): Promise<{ receivedAt: string; resolvedAt: string | null }[]> {
    if (publicIds.length === 0) return [];
    const rows = await casesWithLastResolution(this.db)
      .select(['c.received_at', 'r.resolved_at'])
      .where('c.public_id', 'in', [...publicIds])
      .where(caseInScope(scope, 'c'))
      .execute();
    return rows.map((r) => ({ receivedAt: r.received_at, resolvedAt: r.resolved_at ?? null }));
  }

  /** The dossiers in the scope that count in `[start, end)`: received before its end and not resolved before its start. */
  async dossiersOfMonth(start: string, end: string, scope: ResolvedScope): Promise<CountedDossierRow[]> {
    const rows = await this.db
      .selectFrom('dossier')
      .select(['code', 'received_at', 'due_at', 'resolved_at', 'channel', 'place_code', 'province_code', 'org_code'])
      .where(dossierInScope(scope))
      .where('received_at', '<', end)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', start)]))
      .execute();
    return rows.map((r) => ({
      code: r.code,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      resolvedAt: r.resolved_at,
      channel: r.channel === 'online' ? 'online' : 'offline',
      placeCode: r.place_code,
      provinceCode: r.province_code,
      orgCode: r.org_code,
    }));
  }

  /** The stored dossiers in the scope with these codes, as saved (to tell new, changed and unchanged rows apart). */
  async dossiersByCode(codes: readonly string[], scope: ResolvedScope) {
    const out = [];
    for (let i = 0; i < codes.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('dossier')
          .select(['code', 'procedure_code', 'procedure_name', 'org_code', 'place_id', 'place_code', 'province_code', 'received_at', 'due_at', 'resolved_at', 'channel', 'paid_online'])
          .where('code', 'in', codes.slice(i, i + 500))
          .where(dossierInScope(scope))
          .execute()),
      );
    }
    return out;
  }

  /**
   * The figures of a month that another source filed (the latest revision
   * is theirs) for the same indicators: a derived source does not overwrite them.
   */
  async figuresOfOtherSources(source: string, periodKey: string, indicators: readonly string[]): Promise<StoredFigure[]> {
    if (indicators.length === 0) return [];
    const rows = await this.db
      .selectFrom('observation')
      .select(['indicator_code', 'place_code', 'org_code', 'value'])
      .where('source', '<>', source)
      .where('period_key', '=', periodKey)
      .where('indicator_code', 'in', [...indicators])
      .execute();
    return rows.map((r) => ({ indicator: r.indicator_code, place: r.place_code, organisation: r.org_code, value: Number(r.value) }));
  }

  /** The figures a source filed for one period key (every place and organisation). */
  async storedFigures(source: string, periodKey: string, indicators: readonly string[]): Promise<StoredFigure[]> {
    if (indicators.length === 0) return [];
    const rows = await this.db
      .selectFrom('observation')
      .select(['indicator_code', 'place_code', 'org_code', 'value', 'note'])
      .where('source', '=', source)
      .where('period_key', '=', periodKey)
      .where('indicator_code', 'in', [...indicators])
      .execute();
    return rows.map((r) => ({ indicator: r.indicator_code, place: r.place_code, organisation: r.org_code, value: Number(r.value), note: r.note }));
  }

  /** The figures a source filed for every period, each with its period key. */
  async storedFiguresOfPeriods(source: string, indicators: readonly string[]): Promise<(StoredFigure & { period: string })[]> {
    if (indicators.length === 0) return [];
    const rows = await this.db
      .selectFrom('observation')
      .select(['indicator_code', 'place_code', 'org_code', 'value', 'note', 'period_key'])
      .where('source', '=', source)
      .where('indicator_code', 'in', [...indicators])
      .execute();
    return rows.map((r) => ({ period: r.period_key, indicator: r.indicator_code, place: r.place_code, organisation: r.org_code, value: Number(r.value), note: r.note }));
  }
}
