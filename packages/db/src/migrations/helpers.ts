import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Column helpers for migrations. Frozen like the migrations themselves:
 * change a helper only in ways that produce the same DDL for old migrations.
 */
export type Engine = 'sqlite' | 'postgres';

export interface MigrationContext {
  engine: Engine;
}

/** An auto-increment integer primary key named `id`. */
export function withId<T extends string>(t: CreateTableBuilder<T, never>, engine: Engine): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** The column type for a calendar date. */
export function dateType(engine: Engine) {
  return engine === 'postgres' ? sql`date` : sql`text`;
}

/** The column type for an instant (UTC). */
export function instantType(engine: Engine) {
  return engine === 'postgres' ? sql`timestamptz` : sql`text`;
}

/** The column type for a JSON document. */
export function jsonType(engine: Engine) {
  return engine === 'postgres' ? sql`jsonb` : sql`text`;
}

export function notNull(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return c.notNull();
}

export type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's current schema types
