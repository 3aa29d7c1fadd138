import { sourceCoverageSchema, type DataScope } from '@watchfloor/core';
import { ALL_ROWS, placeOfOrganisation, reachesMany, resolveScope, type ResolvedScope, type Store, type WriteTarget } from '@watchfloor/db';

/**
 * One limit a write must stay within: the place (and organisation) subtrees
 * of `scope`, and, when `organisations` is set, only those organisations
 * named by a row. `outside` completes the refusal's message ("… lies
 * outside what source X may report for").
 */
export interface WriteCheck {
  scope: ResolvedScope;
  organisations: ReadonlySet<string> | null;
  outside: string;
}

/**
 * Every limit a batch is held to: the source's coverage and, when a person
 * or a token sends it, the sender's scope. A row must lie within all of
 * them, else it is a rejected row `out_of_scope`; never a write.
 */
export type WriteBounds = readonly WriteCheck[];

/** No limit: the system's own figures (loaders, figures counted from cases and dossiers). */
export const UNBOUNDED: WriteBounds = [];

type Db = Store['db'];

/**
 * The bounds of a write through a source: its coverage (by default the
 * owner organisation's place subtree and the owner's own organisation
 * subtree; an owner with no place reports for any place) and the sender's
 * scope of supplying data (`null`: the source's own credential — a push
 * token, a pull, an MQTT subscription — sends it, and the coverage alone
 * holds).
 */
export async function sourceBounds(db: Db, source: { code: string; ownerOrgCode: string; coverage?: unknown }, sender: DataScope | null): Promise<WriteBounds> {
  const declared = sourceCoverageSchema.nullable().parse(source.coverage ?? null);
  let places = declared?.places ?? null;
  if (places === null) {
    const own = await placeOfOrganisation(db, source.ownerOrgCode);
    places = own === null ? null : [own];
  }
  const placeScope: ResolvedScope = places === null ? ALL_ROWS : await resolveScope(db, { kind: 'grants', grants: places.map((p) => ({ placeCode: p, organisationCode: null })) });
  const orgScope = await resolveScope(db, { kind: 'grants', grants: (declared?.organisations ?? [source.ownerOrgCode]).map((o) => ({ organisationCode: o, placeCode: null })) });
  const organisations = new Set(orgScope.kind === 'grants' ? orgScope.grants.flatMap((g) => g.orgCodes ?? []) : []);
  const coverage = { scope: placeScope, organisations, outside: `outside what source ${source.code} may report for` };
  return sender === null ? [coverage] : [coverage, ...(await senderBounds(db, sender))];
}

/** The bounds of a write made by a person or a token with no source: their scope alone. */
export async function senderBounds(db: Db, sender: DataScope): Promise<WriteBounds> {
  return [{ scope: await resolveScope(db, sender), organisations: null, outside: 'outside the scope you may supply data for' }];
}

/**
 * Judges a batch against its bounds: for each target, null when every
 * limit holds, else the text saying which one it breaks.
 */
export async function outsideBounds(db: Db, bounds: WriteBounds, targets: readonly WriteTarget[]): Promise<(string | null)[]> {
  const out: (string | null)[] = targets.map(() => null);
  for (const check of bounds) {
    const reached = await reachesMany(db, check.scope, targets);
    targets.forEach((t, i) => {
      if (out[i] !== null) return;
      if (!reached[i] || (check.organisations !== null && t.orgCode !== null && !check.organisations.has(t.orgCode))) out[i] = check.outside;
    });
  }
  return out;
}

/** The message of a refused target: which unit (and organisation) and which limit. */
export function outsideMessage(t: { placeCode: string | null; orgCode: string | null }, outside: string): string {
  const what = t.placeCode !== null ? `Unit ${t.placeCode}${t.orgCode ? ` (organisation ${t.orgCode})` : ''}` : `Organisation ${t.orgCode ?? '?'}`;
  return `${what} lies ${outside}`;
}
