import { addDays, type IsoDate } from '../dates';

/** What the counts need of a case: when it came, was due, was (last) resolved, and its rating. */
export interface CountedCase {
  receivedAt: string;
  deadlineAt: string;
  /** The last time it moved to resolved, or null. */
  resolvedAt: string | null;
  satisfaction: number | null;
}

/**
 * The case counts of a period that feed the citizen-report indicators
 * (CR_RECEIVED, CR_PROCESSED, CR_PROCESSED_ON_TIME, CR_RATED, CR_SATISFIED):
 * received in the period; resolved in it, and of those by their deadline;
 * rated among those resolved in it, and satisfied (4 or 5 of 5). Rates
 * are left to the indicators, which recompute them from these parts.
 */
export interface CaseCounts {
  received: number;
  processed: number;
  processedOnTime: number;
  rated: number;
  satisfied: number;
}

/** A rating of 4 or 5 out of 5 counts as satisfied. */
export const SATISFIED_FROM = 4;

export function caseCounts(cases: readonly CountedCase[], period: { from: IsoDate; to: IsoDate }): CaseCounts {
  const start = Date.parse(`${period.from}T00:00:00+07:00`);
  const end = Date.parse(`${addDays(period.to, 1)}T00:00:00+07:00`);
  const within = (t: number) => t >= start && t < end;
  const out: CaseCounts = { received: 0, processed: 0, processedOnTime: 0, rated: 0, satisfied: 0 };
  for (const c of cases) {
    if (within(Date.parse(c.receivedAt))) out.received++;
    if (c.resolvedAt === null || !within(Date.parse(c.resolvedAt))) continue;
    out.processed++;
    if (Date.parse(c.resolvedAt) <= Date.parse(c.deadlineAt)) out.processedOnTime++;
    if (c.satisfaction !== null) {
      out.rated++;
      if (c.satisfaction >= SATISFIED_FROM) out.satisfied++;
    }
  }
  return out;
}
