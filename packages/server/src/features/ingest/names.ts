import {
  aliasKey,
  describeCandidate,
  instantSchema,
  localDate,
  matchOrganisationName,
  matchPlaceName,
  namedVersionDuring,
  organisationNameIndex,
  parsePeriod,
  periodEnd,
  periodStart,
  placeNameIndex,
  RowRejection,
  type NamedVersion,
  type NameIndex,
  type NameMatch,
  type PlaceLevel,
  type SourceMapping,
} from '@watchfloor/core';
import { readValidFrom, readValidTo, type Store } from '@watchfloor/db';
import { outsideBounds, type WriteBounds } from './bounds';

type Db = Store['db'];

/**
 * Units and agencies a row names rather than codes, resolved for the write
 * path: first by the source's own aliases (names no folding reaches, legacy
 * codes such as "STC"), then a cell that is a code stays one, then by name
 * as valid during the row's period ("Tỉnh Trà Vinh" in 2024 is 84; in 2026
 * no unit bears it). When several units bear a name, the one within what
 * the source covers (and the sender may supply) is taken if it is the only
 * one. Anything else is a refusal listing the candidates.
 */

export type NameKind = 'place' | 'organisation';

/** A cell to resolve: the text as sent, for the row's period (its first and last day). */
export interface NameRequest {
  kind: NameKind;
  text: string;
  start: string;
  end: string;
  /** The period as the row gives it, for messages. */
  period: string;
}

/** What a cell resolved to: a code, and how (the unit's name when it was found by name or alias). */
export interface NameAnswer {
  code: string;
  name: string | null;
  via: 'code' | 'alias' | 'name';
}

interface PlaceVersion extends NamedVersion {
  id: number;
  level: PlaceLevel;
}

const PLACE_CODE = /^(VN|\d{2,5})$/;
const ORGANISATION_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The first and last day of a row's period (or the day of an instant), or why it is none. */
export function periodSpan(period: unknown): { start: string; end: string } | { error: string } {
  if (typeof period !== 'string') return { error: 'the row has no period' };
  if (instantSchema.safeParse(period).success) {
    const day = localDate(period);
    return { start: day, end: day };
  }
  try {
    const p = parsePeriod(period);
    return { start: periodStart(p), end: periodEnd(p) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Whether a cell must go through the resolver at all: a code, with no alias table and no "names" in the mapping, is written as it is. */
export function needsResolving(kind: NameKind, text: unknown, mapping: SourceMapping | null): text is string {
  // Text no name can hold (a NUL, or longer than any unit's or agency's name) is left to the row's checks: invalid_row.
  if (typeof text !== 'string' || text.trim() === '' || text.includes('\u0000') || text.length > 200) return false;
  const aliases = kind === 'place' ? mapping?.aliases?.places : mapping?.aliases?.organisations;
  if (aliases && Object.keys(aliases).length > 0) return true;
  if (mapping?.names?.includes(kind)) return true;
  // Organisation codes and names cannot be told apart by their look: whether one exists decides.
  return kind === 'organisation' || !PLACE_CODE.test(text);
}

function byCode<T extends NamedVersion>(versions: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const v of versions) {
    const list = out.get(v.code);
    if (list) list.push(v);
    else out.set(v.code, [v]);
  }
  return out;
}

/** Resolves the name cells of one batch; the name indexes are read once, when a name needs them. */
export class NameResolver {
  // Promises, so the names resolved side by side read each table once.
  private places: Promise<{ index: NameIndex<PlaceVersion>; byCode: Map<string, PlaceVersion[]> }> | null = null;
  private orgs: Promise<{ index: NameIndex<NamedVersion>; byCode: Map<string, NamedVersion[]> }> | null = null;
  private readonly aliases: { place: Map<string, string>; organisation: Map<string, string> };

  constructor(
    private readonly db: Db,
    private readonly mapping: SourceMapping | null,
    private readonly bounds: WriteBounds,
  ) {
    const table = (t: Record<string, string> | undefined) => new Map(Object.entries(t ?? {}).map(([k, v]) => [aliasKey(k), v]));
    this.aliases = { place: table(mapping?.aliases?.places), organisation: table(mapping?.aliases?.organisations) };
  }

  private placeIndex() {
    this.places ??= this.db
      .selectFrom('place')
      .select(['id', 'code', 'name', 'level', 'valid_from', 'valid_to'])
      .execute()
      .then((rows) => {
        const versions: PlaceVersion[] = rows.map((r) => ({ id: r.id, code: r.code, name: r.name, level: r.level as PlaceLevel, validFrom: readValidFrom(r.valid_from), validTo: readValidTo(r.valid_to) }));
        return { index: placeNameIndex(versions), byCode: byCode(versions) };
      });
    return this.places;
  }

  private orgIndex() {
    this.orgs ??= this.db
      .selectFrom('organisation')
      .select(['code', 'name', 'valid_from', 'valid_to'])
      .execute()
      .then((rows) => {
        const versions: NamedVersion[] = rows.map((r) => ({ code: r.code, name: r.name, validFrom: readValidFrom(r.valid_from), validTo: readValidTo(r.valid_to) }));
        return { index: organisationNameIndex(versions), byCode: byCode(versions) };
      });
    return this.orgs;
  }

  /**
   * Each request's answer, or the refusal of its row (by position). Requests
   * repeat across a batch (every row of a commune names it): each distinct
   * one is resolved once.
   */
  async resolve(requests: readonly NameRequest[]): Promise<(NameAnswer | RowRejection)[]> {
    const memo = new Map<string, Promise<NameAnswer | RowRejection>>();
    return Promise.all(
      requests.map((r) => {
        const key = `${r.kind}|${r.text}|${r.start}|${r.end}`;
        let answer = memo.get(key);
        if (!answer) {
          answer = this.one(r);
          memo.set(key, answer);
        }
        return answer;
      }),
    );
  }

  private async one(r: NameRequest): Promise<NameAnswer | RowRejection> {
    const alias = this.aliases[r.kind].get(aliasKey(r.text));
    if (alias !== undefined) return { code: alias, name: await this.nameOf(r.kind, alias, r.start, r.end), via: 'alias' };
    const asName = this.mapping?.names?.includes(r.kind) ?? false;
    if (r.kind === 'place') {
      if (!asName && PLACE_CODE.test(r.text)) return { code: r.text, name: null, via: 'code' };
      const { index } = await this.placeIndex();
      return this.answer(r, await this.narrow(matchPlaceName(r.text, index, r.start, r.end), 'place'));
    }
    const { index, byCode } = await this.orgIndex();
    if (!asName && byCode.has(r.text)) return { code: r.text, name: null, via: 'code' };
    const match = await this.narrow(matchOrganisationName(r.text, index, r.start, r.end), 'organisation');
    // Text shaped like a code that is no one's name stays a code: the write path refuses it as an unknown organisation.
    if (!match.ok && match.why === 'unknown' && !asName && ORGANISATION_CODE.test(r.text)) return { code: r.text, name: null, via: 'code' };
    return this.answer(r, match);
  }

  private async nameOf(kind: NameKind, code: string, start: string, end: string): Promise<string | null> {
    const { byCode } = kind === 'place' ? await this.placeIndex() : await this.orgIndex();
    return namedVersionDuring<NamedVersion>(byCode.get(code) ?? [], start, end)?.name ?? null;
  }

  /** Several units of one name: the only one within the write's bounds, when there is one; else those within, when there are. */
  private async narrow<T extends NamedVersion>(match: NameMatch<T>, kind: NameKind): Promise<NameMatch<T>> {
    if (match.ok || match.why !== 'ambiguous' || this.bounds.length === 0) return match;
    const targets = match.candidates.map((c) => (kind === 'place' ? { placeId: (c as unknown as PlaceVersion).id, placeCode: c.code, orgCode: null } : { placeId: null, placeCode: null, orgCode: c.code }));
    const outside = await outsideBounds(this.db, this.bounds, targets);
    const inside = match.candidates.filter((_, i) => outside[i] === null);
    if (inside.length === 1 && inside[0]) return { ok: true, version: inside[0] };
    // Several within: those are the ones to choose from.
    return inside.length > 1 ? { ok: false, why: 'ambiguous', candidates: inside } : match;
  }

  private answer<T extends NamedVersion>(r: NameRequest, match: NameMatch<T>): NameAnswer | RowRejection {
    if (match.ok) return { code: match.version.code, name: match.version.name, via: 'name' };
    const list = match.candidates.slice(0, 10).map(describeCandidate).join('; ');
    const more = match.candidates.length > 10 ? ` and ${match.candidates.length - 10} more` : '';
    const what = r.kind === 'place' ? 'unit' : 'organisation';
    if (match.why === 'ambiguous') {
      return new RowRejection(r.kind === 'place' ? 'ambiguous_place_name' : 'ambiguous_organisation_name', `Several ${what}s are named "${r.text}" during ${r.period}: ${list}${more}. Use the code, or add "${r.text}" as an alias of the right one`);
    }
    if (match.why === 'not_valid') {
      return new RowRejection(r.kind === 'place' ? 'place_not_valid_in_period' : 'unknown_organisation_name', `No ${what} named "${r.text}" existed during ${r.period}; ${what}s of that name: ${list}${more}`);
    }
    const near = list === '' ? '' : `; ${what}s of that name under another kind: ${list}${more}`;
    return new RowRejection(r.kind === 'place' ? 'unknown_place_name' : 'unknown_organisation_name', `No ${what} is named "${r.text}"${near}. Use the code, or add "${r.text}" as an alias for this source`);
  }
}
