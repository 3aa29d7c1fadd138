import type { PlaceLevel } from './places';

/**
 * Units and agencies named rather than coded, as reports write them:
 * "UBND phường Trà Vinh", "Tỉnh Trà Vinh", "TP. Cần Thơ", "Thanh pho Ho Chi
 * Minh", "Sở Tài chính". A name is compared folded (no diacritics, any
 * case, punctuation as spaces, "01" as "1"), its prefix of kind (Tỉnh,
 * Thành phố/TP., Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu) read
 * apart, and "UBND"/"Ủy ban nhân dân" before it dropped. It resolves to the
 * one unit of that name valid during the row's period; none or several is
 * a refusal that lists the candidates, never a guess.
 */

/** Text as compared: no diacritics (đ → d), lower case, words separated by one space. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A name as compared: folded, only letters and digits, numbers without leading zeros. */
export function foldName(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => (/^\d+$/.test(w) ? String(Number(w)) : w))
    .join(' ');
}

/** The kind a unit's name begins with. */
export const PLACE_KINDS = ['tinh', 'thanh pho', 'huyen', 'quan', 'thi xa', 'xa', 'phuong', 'thi tran', 'dac khu'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** The levels a kind of unit sits at: a thành phố is a province or (before 2025) a district. */
export const KIND_LEVELS: Record<PlaceKind, readonly PlaceLevel[]> = {
  tinh: ['province'],
  'thanh pho': ['province', 'district'],
  huyen: ['district'],
  quan: ['district'],
  'thi xa': ['district'],
  xa: ['commune'],
  phuong: ['commune'],
  'thi tran': ['commune'],
  'dac khu': ['commune'],
};

/** Prefixes as written (folded), longest first, with the kind each says. */
const PREFIXES: readonly [string, PlaceKind][] = [
  ['thanh pho', 'thanh pho'],
  ['tp', 'thanh pho'],
  ['thi tran', 'thi tran'],
  ['tt', 'thi tran'],
  ['thi xa', 'thi xa'],
  ['tx', 'thi xa'],
  ['dac khu', 'dac khu'],
  ['tinh', 'tinh'],
  ['huyen', 'huyen'],
  ['quan', 'quan'],
  ['phuong', 'phuong'],
  ['xa', 'xa'],
];

/** The words before a unit's name that name its People's Committee, not the unit. */
const COMMITTEE = /^(uy ban nhan dan|ubnd)( |$)/;

/** Names written short, as they are (folded, after the prefix). */
const SHORT: Record<string, string> = { hcm: 'ho chi minh', tphcm: 'ho chi minh', hn: 'ha noi' };

/** A unit's name read into its kind (null: none written) and its name proper, folded. */
export function readPlaceName(text: string): { kind: PlaceKind | null; key: string } {
  let s = foldName(text).replace(COMMITTEE, '');
  // "TPHCM", "TP.HCM" are written together.
  if (s === 'tphcm') return { kind: 'thanh pho', key: 'ho chi minh' };
  let kind: PlaceKind | null = null;
  for (const [p, k] of PREFIXES) {
    if (s.startsWith(`${p} `)) {
      kind = k;
      s = s.slice(p.length + 1);
      break;
    }
  }
  return { kind, key: SHORT[s] ?? s };
}

/** An agency's name as compared: folded, "UBND" written out; and without its "tỉnh …"/"thành phố …" tail when it has one. */
export function organisationNameKeys(text: string): string[] {
  const full = foldName(text).replace(/^ubnd( |$)/, 'uy ban nhan dan$1');
  const short = full.replace(/ (tinh|thanh pho|tp) [a-z0-9 ]+$/, '');
  return short !== full && short !== '' ? [full, short] : [full];
}

/** One version of a unit or agency, as names are matched against: open ends are null. */
export interface NamedVersion {
  code: string;
  name: string;
  /** Places only. */
  level?: PlaceLevel;
  validFrom: string | null;
  validTo: string | null;
}

const FAR_PAST = '0001-01-01';
const FAR_FUTURE = '9999-12-31';

/**
 * The version to file a period's figure under, as codes are resolved: the
 * one valid on its last day, else on its first, else any valid during it.
 */
export function namedVersionDuring<T extends NamedVersion>(versions: readonly T[], start: string, end: string): T | undefined {
  const from = (v: T) => v.validFrom ?? FAR_PAST;
  const to = (v: T) => v.validTo ?? FAR_FUTURE;
  return versions.find((v) => from(v) <= end && end <= to(v)) ?? versions.find((v) => from(v) <= start && start <= to(v)) ?? versions.find((v) => from(v) <= end && start <= to(v));
}

/** How a name resolved: the one version, or why not with the candidates a person picks from. */
export type NameMatch<T extends NamedVersion> = { ok: true; version: T } | { ok: false; why: 'unknown' | 'ambiguous' | 'not_valid'; candidates: T[] };

/** Names, by their folded key, to the versions that bear them. */
export type NameIndex<T extends NamedVersion> = ReadonlyMap<string, readonly T[]>;

function add<T>(index: Map<string, T[]>, key: string, v: T): void {
  const list = index.get(key);
  if (list) list.push(v);
  else index.set(key, [v]);
}

/** The index of units by name proper (without their kind). */
export function placeNameIndex<T extends NamedVersion>(versions: readonly T[]): NameIndex<T> {
  const index = new Map<string, T[]>();
  for (const v of versions) add(index, readPlaceName(v.name).key, v);
  return index;
}

/** The index of agencies by full and short name. */
export function organisationNameIndex<T extends NamedVersion>(versions: readonly T[]): NameIndex<T> {
  const index = new Map<string, T[]>();
  for (const v of versions) for (const k of organisationNameKeys(v.name)) if (!index.get(k)?.includes(v)) add(index, k, v);
  return index;
}

/** Among versions of the same name, one per code valid during the period: one is a match, several ambiguous, none not valid then. */
function during<T extends NamedVersion>(named: readonly T[], start: string, end: string): NameMatch<T> {
  if (named.length === 0) return { ok: false, why: 'unknown', candidates: [] };
  const byCode = new Map<string, T[]>();
  for (const v of named) add(byCode, v.code, v);
  const valid = [...byCode.values()].flatMap((vs) => {
    const v = namedVersionDuring(vs, start, end);
    return v ? [v] : [];
  });
  if (valid.length === 1 && valid[0]) return { ok: true, version: valid[0] };
  if (valid.length > 1) return { ok: false, why: 'ambiguous', candidates: sortCandidates(valid) };
  return { ok: false, why: 'not_valid', candidates: sortCandidates(named) };
}

const sortCandidates = <T extends NamedVersion>(vs: readonly T[]): T[] => [...vs].sort((a, b) => a.code.localeCompare(b.code) || (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));

/**
 * The unit a name means during a period (`start`…`end`, ISO dates). A kind
 * written ("Tỉnh", "Phường") keeps only units of its levels, and of its own
 * kind when there are both; with no kind every level is a candidate.
 */
export function matchPlaceName<T extends NamedVersion>(text: string, index: NameIndex<T>, start: string, end: string): NameMatch<T> {
  const { kind, key } = readPlaceName(text);
  if (kind === null) return during(key === '' ? [] : (index.get(key) ?? []), start, end);
  const match = matchOfKind(kind, key, index, start, end);
  if (match.ok) return match;
  // A name that only begins like a kind ("Quán Thánh", "Xa Mát") is a name proper without one.
  const whole = foldName(text).replace(COMMITTEE, '');
  const bare = whole === key ? null : index.get(whole);
  const asWritten = bare ? during(bare, start, end) : null;
  return asWritten?.ok ? asWritten : match;
}

function matchOfKind<T extends NamedVersion>(kind: PlaceKind, key: string, index: NameIndex<T>, start: string, end: string): NameMatch<T> {
  const all = key === '' ? [] : (index.get(key) ?? []);
  const levels = KIND_LEVELS[kind];
  const ofLevel = all.filter((v) => v.level !== undefined && levels.includes(v.level));
  const ofKind = ofLevel.filter((v) => readPlaceName(v.name).kind === kind);
  const match = during(ofKind.length > 0 ? ofKind : ofLevel, start, end);
  // A name of another kind ("Tỉnh Cần Thơ" for the city) is offered, never taken.
  if (!match.ok && match.candidates.length === 0) return { ok: false, why: 'unknown', candidates: sortCandidates(all) };
  return match;
}

/** The agency a name means during a period: its full name ("Sở Tài chính tỉnh Vĩnh Long") or without the province ("Sở Tài chính"). */
export function matchOrganisationName<T extends NamedVersion>(text: string, index: NameIndex<T>, start: string, end: string): NameMatch<T> {
  const [full] = organisationNameKeys(text);
  return during(full === undefined || full === '' ? [] : (index.get(full) ?? []), start, end);
}

/** A candidate as a person reads it: code, name and validity ("84 Tỉnh Trà Vinh (until 2025-06-30)"). */
export function describeCandidate(v: NamedVersion): string {
  const span = v.validFrom && v.validTo ? `${v.validFrom} – ${v.validTo}` : v.validTo ? `until ${v.validTo}` : v.validFrom ? `from ${v.validFrom}` : 'always';
  return `${v.code} ${v.name} (${span})`;
}

/** A name's key for an alias table: the same name however it is written. */
export const aliasKey = (text: string): string => foldName(text);
