import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Store } from './dialect';
import { MIGRATION_NAMES, migrateDownOne, migrateToLatest } from './migrate';
import { testEngines } from './testing';

/**
 * The migrations are the truth about the database; schema.ts is a
 * hand-written picture of it that the compiler trusts. These tests keep the
 * two in step, prove every down() undoes its up() on both engines, and keep
 * the list of migrations complete and in the order the migrator runs it.
 */

interface ColumnShape {
  /** null: not said (a column typed `unknown`, as JSON documents are, may or may not admit null). */
  nullable: boolean | null;
}
type TableShapes = Map<string, Map<string, ColumnShape>>;

interface Column {
  name: string;
  dataType: string;
  isNullable: boolean;
  hasDefaultValue: boolean;
  isAutoIncrementing: boolean;
}

/**
 * The tables and columns of the store. On PostgreSQL, of its own schema
 * only: Kysely's introspection reads every schema by name, and fails when
 * another test file drops its schema meanwhile.
 */
async function tablesOf(store: Store): Promise<{ name: string; columns: Column[] }[]> {
  if (store.engine === 'sqlite') return store.db.introspection.getTables();
  const { rows } = await sql<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; column_default: string | null; is_identity: string }>`
    select table_name, column_name, udt_name, is_nullable, column_default, is_identity from information_schema.columns
    where table_schema = ${store.pgSchema ?? 'public'} and table_name not like 'kysely_%' order by table_name, ordinal_position
  `.execute(store.db);
  const tables = new Map<string, Column[]>();
  for (const r of rows) {
    const column = {
      name: r.column_name,
      dataType: r.udt_name,
      isNullable: r.is_nullable === 'YES',
      hasDefaultValue: r.column_default !== null,
      isAutoIncrementing: r.is_identity === 'YES' || (r.column_default ?? '').startsWith('nextval('),
    };
    tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), column]);
  }
  return [...tables].map(([name, columns]) => ({ name, columns }));
}

/** The tables and columns a migrated store actually has (Kysely's own migration tables excluded). */
async function introspect(store: Store): Promise<TableShapes> {
  const out: TableShapes = new Map();
  for (const t of await tablesOf(store)) {
    // SQLite reports a PRIMARY KEY column as nullable unless declared NOT NULL, yet never stores null in it.
    const keys =
      store.engine === 'sqlite'
        ? new Set((await sql<{ name: string }>`select name from pragma_table_info(${t.name}) where pk > 0`.execute(store.db)).rows.map((r) => r.name))
        : new Set<string>();
    out.set(t.name, new Map(t.columns.map((c) => [c.name, { nullable: c.isNullable && !keys.has(c.name) }])));
  }
  return out;
}

/** Everything a migration defines, as text to compare: columns with their types, defaults and nullability, indexes, constraints, triggers. */
async function snapshot(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const t of await tablesOf(store)) {
    for (const c of t.columns) {
      lines.push(`column ${t.name}.${c.name} ${c.dataType} nullable=${c.isNullable} default=${c.hasDefaultValue} auto=${c.isAutoIncrementing}`);
    }
  }
  if (store.engine === 'sqlite') {
    const rows = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like 'kysely_%'
    `.execute(store.db);
    for (const r of rows.rows) lines.push(`${r.type} ${r.name} ${r.sql ?? ''}`);
  } else {
    const schema = store.pgSchema ?? 'public';
    const indexes = await sql<{ def: string }>`
      select indexdef as def from pg_indexes where schemaname = ${schema} and tablename not like 'kysely_%'
    `.execute(store.db);
    const constraints = await sql<{ def: string }>`
      select cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid) as def
      from pg_constraint co join pg_class cl on cl.oid = co.conrelid join pg_namespace n on n.oid = cl.relnamespace
      where n.nspname = ${schema} and cl.relname not like 'kysely_%'
    `.execute(store.db);
    const triggers = await sql<{ def: string }>`
      select pg_get_triggerdef(tg.oid) as def
      from pg_trigger tg join pg_class cl on cl.oid = tg.tgrelid join pg_namespace n on n.oid = cl.relnamespace
      where n.nspname = ${schema} and not tg.tgisinternal
    `.execute(store.db);
    for (const r of [...indexes.rows, ...constraints.rows, ...triggers.rows]) lines.push(r.def);
  }
  return lines.sort();
}

/** The tables and columns schema.ts declares, read with the TypeScript compiler from the `Database` interface down. */
function declared(): TableShapes {
  const path = new URL('./schema.ts', import.meta.url);
  const file = ts.createSourceFile('schema.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const propName = (m: ts.TypeElement): string => {
    if (!m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) throw new Error(`schema.ts: unsupported member ${m.getText()}`);
    return m.name.text;
  };
  // Generated<T> and ColumnType<Select, ...> describe what a select returns as their first argument.
  const selected = (type: ts.TypeNode): ts.TypeNode => {
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && ['Generated', 'ColumnType'].includes(type.typeName.text)) {
      const first = type.typeArguments?.[0];
      if (first) return selected(first);
    }
    return type;
  };
  const isNull = (type: ts.TypeNode) => ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword;
  const nullable = (type: ts.TypeNode) =>
    type.kind === ts.SyntaxKind.UnknownKeyword ? null : isNull(type) || (ts.isUnionTypeNode(type) && type.types.some(isNull));

  const database = interfaces.get('Database');
  if (!database) throw new Error('schema.ts declares no Database interface');
  const out: TableShapes = new Map();
  for (const member of database.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type) || !ts.isIdentifier(member.type.typeName)) {
      throw new Error(`schema.ts: Database.${member.getText()} is not a table interface`);
    }
    const table = interfaces.get(member.type.typeName.text);
    if (!table) throw new Error(`schema.ts: no interface ${member.type.typeName.text}`);
    const columns = new Map<string, ColumnShape>();
    for (const column of table.members) {
      if (!ts.isPropertySignature(column) || !column.type) throw new Error(`schema.ts: ${table.name.text} has a member that is not a column`);
      columns.set(propName(column), { nullable: nullable(selected(column.type)) });
    }
    out.set(propName(member), columns);
  }
  return out;
}

/**
 * Tables and columns as sorted lines, so a difference reads as a diff.
 * Nullability is left out where schema.ts does not say it (`unknown`).
 */
const lines = (shapes: TableShapes, said: TableShapes): string[] =>
  [...shapes]
    .flatMap(([table, columns]) =>
      [...columns].map(([name, c]) => {
        const unsaid = said.get(table)?.get(name)?.nullable === null;
        return `${table}.${name}${c.nullable && !unsaid ? ' | null' : ''}`;
      }),
    )
    .sort();

describe('migration list', () => {
  it('lists every file of migrations/ once, in the order of their date-prefixed names, which is the order the migrator applies them', () => {
    const files = readdirSync(new URL('./migrations/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && f !== 'helpers.ts' && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect([...MIGRATION_NAMES].sort()).toEqual(files);
    // Kysely sorts migrations by name before running them, so a list out of
    // name order would only misstate what runs (0009 was once listed before
    // 0008 although every database applied 0008 first).
    expect(MIGRATION_NAMES).toEqual([...MIGRATION_NAMES].sort());
    for (const name of MIGRATION_NAMES) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/);
  });
});

describe.each(testEngines())('migrations on $engine', ({ engine, skip, open }) => {
  it.skipIf(skip !== null)("creates exactly the tables and columns schema.ts declares, null where it says '| null'", async () => {
    const store = await open();
    try {
      const schemaTs = declared();
      expect(lines(await introspect(store), schemaTs), `schema.ts differs from what the migrations create on ${engine}`).toEqual(lines(schemaTs, schemaTs));
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip !== null)('undoes every migration one by one with its down(), and an up again rebuilds the same schema', async () => {
    const store = await open();
    try {
      const before = await snapshot(store);
      const reverted: string[] = [];
      for (let name = await migrateDownOne(store); name !== null; name = await migrateDownOne(store)) {
        reverted.push(name);
        // Guard against a down() that is a no-op name for name: the migrator must make progress.
        if (reverted.length > MIGRATION_NAMES.length) throw new Error('migrateDown keeps reverting');
      }
      expect(reverted).toEqual([...MIGRATION_NAMES].reverse());
      expect(await snapshot(store), 'what the downs leave behind').toEqual([]);
      await migrateToLatest(store);
      expect(await snapshot(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });
});

describe.each(testEngines().filter((e) => e.engine === 'postgres'))('migrations beside other schemas on $engine', ({ skip, open }) => {
  it.skipIf(skip !== null)('migrates while another application creates and drops its own schemas on the same server', async () => {
    const other = await open({ migrate: false });
    let churning = true;
    // Another tenant of the server: schemas with tables, created and dropped back to back.
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const name = sql.id(`${other.pgSchema!}_churn_${i % 4}`);
        await sql`create schema if not exists ${name}`.execute(other.db);
        await sql`create table if not exists ${name}.t (id serial primary key, v text)`.execute(other.db);
        await sql`drop schema ${name} cascade`.execute(other.db);
      }
    })();
    try {
      for (let run = 0; run < 3; run++) {
        const store = await open();
        try {
          expect(await store.db.selectFrom('place').select('id').execute()).toEqual([]);
        } finally {
          await store.close();
        }
      }
    } finally {
      churning = false;
      await churn;
      await other.close();
    }
  }, 60_000);
});
