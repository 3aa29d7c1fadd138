import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Sentinel for "valid since before our records begin". */
export const OPEN_START = '0001-01-01';
/** Sentinel for "still valid". */
export const OPEN_END = '9999-12-31';

/** Stored valid_from → API value (null when open). */
export function readValidFrom(stored: string): string | null {
  return stored === OPEN_START ? null : stored;
}
/** Stored valid_to → API value (null when open). */
export function readValidTo(stored: string): string | null {
  return stored === OPEN_END ? null : stored;
}
export function writeValidFrom(from: string | null): string {
  return from ?? OPEN_START;
}
export function writeValidTo(to: string | null): string {
  return to ?? OPEN_END;
}

/**
 * The condition "valid on `at`" over a table's validity columns, optionally
 * qualified by a table alias. One definition for every versioned table.
 */
export function validOn(at: string, alias?: string): RawBuilder<SqlBool> {
  const col = (c: string) => sql.ref(alias ? `${alias}.${c}` : c);
  return sql<SqlBool>`${col('valid_from')} <= ${at} and ${col('valid_to')} >= ${at}`;
}
