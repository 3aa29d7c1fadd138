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
