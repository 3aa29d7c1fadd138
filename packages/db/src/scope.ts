import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DataScope } from '@watchfloor/core';
import type { Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A caller's scope made ready for SQL: each grant's organisation subtree
 * expanded to its codes (organisations are few; places are many, so their
 * subtrees stay a join on `place_ancestry`).
 */
export type ResolvedScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'grants'; grants: ReadonlyArray<{ placeCode: string | null; orgCodes: readonly string[] | null }> };

export const ALL_ROWS: ResolvedScope = { kind: 'all' };

/**
 * Where a table keeps what a scope is judged on. A place by its version's
 * id (`placeId`) or code (`placeCode`); an organisation by code (`orgCode`).
 * `orgPlace`: when a row has no place of its own, the place of its
 * organisation stands for it (a source is where its owner is).
 */
export interface ScopeColumns {
  placeId?: string;
  placeCode?: string;
  orgCode?: string;
  orgPlace?: boolean;
  /**
   * For rows that have a place but no organisation of their own (a figure,
   * a station): a grant's organisation reaches the rows whose place lies
   * under that organisation's place, instead of none of them.
   */
  placeOfOrg?: boolean;
}

/**
 * Expands a scope for filtering. The public reaches none of the scoped
 * rows: what it sees is chosen per item (published indicators, dashboards
 * and alerts), by the queries that serve it.
 */
export async function resolveScope(db: Db, scope: DataScope): Promise<ResolvedScope> {
  if (scope.kind === 'all') return ALL_ROWS;
  if (scope.kind === 'public' || scope.grants.length === 0) return { kind: 'none' };
  const named = scope.grants.filter((g) => g.organisationCode !== null);
  let children = new Map<string, string[]>();
  if (named.length > 0) {
    const rows = await db.selectFrom('organisation').select(['code', 'parent_code']).distinct().execute();
    children = new Map();
    for (const r of rows) {
      if (r.parent_code === null) continue;
      const list = children.get(r.parent_code) ?? [];
      list.push(r.code);
      children.set(r.parent_code, list);
    }
  }
  const subtree = (root: string): string[] => {
    const seen = new Set([root]);
    const queue = [root];
    for (let code = queue.pop(); code !== undefined; code = queue.pop()) {
      for (const child of children.get(code) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    return [...seen];
  };
  return {
    kind: 'grants',
    grants: scope.grants.map((g) => ({ placeCode: g.placeCode, orgCodes: g.organisationCode === null ? null : subtree(g.organisationCode) })),
  };
}

const FALSE = sql<SqlBool>`1 = 0`;
const TRUE = sql<SqlBool>`1 = 1`;

/** The codes of every place version under a place (through lineage too: a commune of today reaches the wards it was made from). */
function placeCodesUnder(code: string): RawBuilder<unknown> {
  return sql`select d.code from place_ancestry pa join place a on a.id = pa.ancestor_id join place d on d.id = pa.place_id where a.code = ${code}`;
}

function placeIdsUnder(code: string): RawBuilder<unknown> {
  return sql`select pa.place_id from place_ancestry pa join place a on a.id = pa.ancestor_id where a.code = ${code}`;
}

/** The places of some organisations, for `placeOfOrg`. */
function placesOfOrgs(orgCodes: readonly string[]): RawBuilder<unknown> {
  return sql`select o.place_code from organisation o where o.code in (${sql.join(orgCodes.map((c) => sql`${c}`))}) and o.place_code is not null`;
}

/**
 * The one filter every scoped query uses: a row is in scope when some
 * grant's every named subtree contains it. A row without the place or
 * organisation a grant names is outside that grant.
 */
export function inScope(scope: ResolvedScope, columns: ScopeColumns): RawBuilder<SqlBool> {
  if (scope.kind === 'all') return TRUE;
  if (scope.kind === 'none' || scope.grants.length === 0) return FALSE;
  const alternatives = scope.grants.map((g) => {
    const parts: RawBuilder<SqlBool>[] = [];
    if (g.placeCode !== null) {
      if (columns.placeId) parts.push(sql<SqlBool>`${sql.ref(columns.placeId)} in (${placeIdsUnder(g.placeCode)})`);
      else if (columns.placeCode) parts.push(sql<SqlBool>`${sql.ref(columns.placeCode)} in (${placeCodesUnder(g.placeCode)})`);
      else if (columns.orgCode && columns.orgPlace) parts.push(sql<SqlBool>`${sql.ref(columns.orgCode)} in (select o.code from organisation o where o.place_code in (${placeCodesUnder(g.placeCode)}))`);
      else parts.push(FALSE);
    }
    if (g.orgCodes !== null) {
      if (columns.orgCode && g.orgCodes.length > 0) parts.push(sql<SqlBool>`${sql.ref(columns.orgCode)} in (${sql.join(g.orgCodes.map((c) => sql`${c}`))})`);
      else if (columns.placeOfOrg && columns.placeId && g.orgCodes.length > 0)
        parts.push(sql<SqlBool>`${sql.ref(columns.placeId)} in (select pa.place_id from place_ancestry pa join place a on a.id = pa.ancestor_id where a.code in (${placesOfOrgs(g.orgCodes)}))`);
      else if (columns.placeOfOrg && columns.placeCode && g.orgCodes.length > 0)
        parts.push(sql<SqlBool>`${sql.ref(columns.placeCode)} in (select d.code from place_ancestry pa join place a on a.id = pa.ancestor_id join place d on d.id = pa.place_id where a.code in (${placesOfOrgs(g.orgCodes)}))`);
      else parts.push(FALSE);
    }
    return parts.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

/**
 * Whether a scope reaches one thing known by its place and organisation
 * codes (a record about to be written, a live event): the same rule as
 * `inScope`, judged on the thing's ancestors. With `orgPlace`, a thing
 * without a place stands where its organisation is.
 */
export async function reaches(db: Db, scope: ResolvedScope, target: { placeCode?: string | null; orgCode?: string | null; orgPlace?: boolean; placeOfOrg?: boolean }): Promise<boolean> {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  let placeCode = target.placeCode ?? null;
  if (placeCode === null && target.orgPlace && target.orgCode) {
    const org = await db.selectFrom('organisation').select('place_code').where('code', '=', target.orgCode).orderBy('valid_from', 'desc').executeTakeFirst();
    placeCode = org?.place_code ?? null;
  }
  const placeAncestors = new Set<string>();
  // `placeOfOrg`: a thing with a place and no organisation is reached by a grant's organisation when it lies under that organisation's place.
  const orgPlaces = new Map<string, string[]>();
  const judgeOrgByPlace = target.placeOfOrg === true && (target.orgCode ?? null) === null && placeCode !== null;
  if (judgeOrgByPlace) {
    const codes = [...new Set(scope.grants.flatMap((g) => g.orgCodes ?? []))];
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await db.selectFrom('organisation').select(['code', 'place_code']).where('code', 'in', codes.slice(i, i + 500)).execute();
      for (const r of rows) if (r.place_code !== null) orgPlaces.set(r.code, [...(orgPlaces.get(r.code) ?? []), r.place_code]);
    }
  }
  if (placeCode !== null && (scope.grants.some((g) => g.placeCode !== null) || orgPlaces.size > 0)) {
    const rows = await db
      .selectFrom('place_ancestry as pa')
      .innerJoin('place as d', 'd.id', 'pa.place_id')
      .innerJoin('place as a', 'a.id', 'pa.ancestor_id')
      .select('a.code')
      .where('d.code', '=', placeCode)
      .execute();
    for (const r of rows) placeAncestors.add(r.code);
  }
  const orgReaches = (orgCodes: readonly string[]): boolean =>
    target.orgCode != null ? orgCodes.includes(target.orgCode) : judgeOrgByPlace && orgCodes.some((c) => (orgPlaces.get(c) ?? []).some((p) => placeAncestors.has(p)));
  return scope.grants.some((g) => (g.placeCode === null || placeAncestors.has(g.placeCode)) && (g.orgCodes === null || orgReaches(g.orgCodes)));
}

/** Where a case or an alert stands, for judging a live event about it against a viewer's scope (undefined: no such record). */
export async function subjectOf(db: Db, kind: 'case' | 'alert', key: string | number): Promise<{ placeCode: string | null; orgCode: string | null; public: boolean } | undefined> {
  if (kind === 'case') {
    const r = await db.selectFrom('case').select(['place_code', 'org_code']).where('public_id', '=', String(key)).executeTakeFirst();
    return r && { placeCode: r.place_code, orgCode: r.org_code, public: false };
  }
  const r = await db.selectFrom('alert').select(['place_code', 'org_code', 'public']).where('id', '=', Number(key)).executeTakeFirst();
  return r && { placeCode: r.place_code, orgCode: r.org_code, public: Boolean(r.public) };
}

/** The place an organisation stands at (its latest version's), or null when it has none or does not exist. */
export async function placeOfOrganisation(db: Db, code: string): Promise<string | null> {
  const org = await db.selectFrom('organisation').select('place_code').where('code', '=', code).orderBy('valid_from', 'desc').executeTakeFirst();
  return org?.place_code ?? null;
}

/** A thing about to be written, for `reachesMany`: its place version (id and code) and the organisation it names, if any. */
export interface WriteTarget {
  placeId: number | null;
  placeCode: string | null;
  orgCode: string | null;
}

/**
 * `reaches` for a whole batch: whether the scope reaches each target, by the
 * same rule. Targets without an organisation are judged by place version in
 * bulk (a thing with a place and no organisation is reached by a grant's
 * organisation when it lies under that organisation's place); those naming
 * one, once per distinct place and organisation.
 */
export async function reachesMany(db: Db, scope: ResolvedScope, targets: readonly WriteTarget[]): Promise<boolean[]> {
  if (scope.kind === 'all') return targets.map(() => true);
  if (scope.kind === 'none') return targets.map(() => false);
  const ids = [...new Set(targets.flatMap((t) => (t.orgCode === null && t.placeId !== null ? [t.placeId] : [])))];
  const inside = new Set<number>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('place')
      .select('place.id')
      .where('place.id', 'in', ids.slice(i, i + 1000))
      .where(inScope(scope, { placeId: 'place.id', placeOfOrg: true }))
      .execute();
    for (const r of rows) inside.add(r.id);
  }
  const judged = new Map<string, boolean>();
  const out: boolean[] = [];
  for (const t of targets) {
    if (t.orgCode === null && t.placeId !== null) {
      out.push(inside.has(t.placeId));
      continue;
    }
    const key = `${t.placeCode ?? ''}\u0000${t.orgCode ?? ''}`;
    let ok = judged.get(key);
    if (ok === undefined) {
      ok = await reaches(db, scope, { placeCode: t.placeCode, orgCode: t.orgCode, placeOfOrg: true });
      judged.set(key, ok);
    }
    out.push(ok);
  }
  return out;
}
