import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';
import { OPEN_END, OPEN_START } from '../validity';

type Db = Kysely<Database> | Transaction<Database>;

/** One version of a versioned thing (place, organisation): its id and validity, open ends as the extreme dates. */
export interface VersionSpan {
  id: number;
  from: string;
  to: string;
}

/** Every version of each code, for resolving many codes against many dates in memory. */
export async function versionsByCode(db: Db, table: 'place' | 'organisation', codes: readonly string[]): Promise<Map<string, VersionSpan[]>> {
  const out = new Map<string, VersionSpan[]>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db.selectFrom(table).select(['id', 'code', 'valid_from', 'valid_to']).where('code', 'in', codes.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.code, [...(out.get(r.code) ?? []), { id: r.id, from: r.valid_from ?? OPEN_START, to: r.valid_to ?? OPEN_END }]);
  }
  return out;
}

/**
 * The version to file a fact of a period under: the one valid on the
 * period's last day, else on its first, else any valid during it. So a 2025
 * yearly figure goes to the unit of 1 July 2025 on, and June 2025 to the old one.
 */
export function versionDuring(versions: readonly VersionSpan[] | undefined, start: string, end: string): VersionSpan | undefined {
  if (!versions) return undefined;
  return versions.find((v) => v.from <= end && end <= v.to) ?? versions.find((v) => v.from <= start && start <= v.to) ?? versions.find((v) => v.from <= end && start <= v.to);
}
