import { type Language, type ParBand, type ParCycle, type ParLost, type ParResult, type ParUnitKind } from '@watchfloor/core';
import { paletteFor } from '../map/classify';

/**
 * What the PAR Index results mean on screen, as plain functions tested on
 * their own: which cycle `/par` shows, the kind of unit asked for, the
 * order of the ranking, the change since last year as an arrow, and the
 * criteria where a unit lost most, named as the results name them.
 */

/** The kind of unit a results address asks for: communes with `?kind=commune`, departments otherwise. */
export function kindOf(search: string): ParUnitKind {
  return new URLSearchParams(search).get('kind') === 'commune' ? 'commune' : 'department';
}

/**
 * The cycle `/par` shows: the newest published one (the results a leader
 * quotes), else the newest year's while none is published yet; the last
 * opened when a year has two. Later cycles still in progress are a pick away.
 */
export function latestCycle(cycles: readonly ParCycle[]): ParCycle | null {
  const newest = (list: readonly ParCycle[]) => {
    let best: ParCycle | null = null;
    for (const c of list) if (!best || c.year > best.year || (c.year === best.year && c.id > best.id)) best = c;
    return best;
  };
  return newest(cycles.filter((c) => c.publishedAt !== null)) ?? newest(cycles);
}

/**
 * The results of one kind in the order of the ranking: rank first (equal
 * ranks share it), then by name as Vietnamese sorts it, so a tie reads in
 * alphabetical order whatever order the answer came in.
 */
export function rankingOf(results: readonly ParResult[], kind: ParUnitKind): ParResult[] {
  return results.filter((r) => r.kind === kind).sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code));
}

/** The change of an index since last year as it shows: an arrow, the points of percent without sign, and whether it rose. */
export interface ChangeMark {
  arrow: '▲' | '▼' | '=';
  direction: 'up' | 'down' | 'same';
  /** The size of the change, never negative (the arrow gives the sign). */
  value: number;
}

/** No mark without last year's index; a change that rounds to 0.00 reads as unchanged. */
export function changeMark(change: number | null): ChangeMark | null {
  if (change === null || !Number.isFinite(change)) return null;
  const value = Math.round(Math.abs(change) * 100) / 100;
  if (value === 0) return { arrow: '=', direction: 'same', value: 0 };
  return change > 0 ? { arrow: '▲', direction: 'up', value } : { arrow: '▼', direction: 'down', value };
}

export interface LostLine extends ParLost {
  /** The leaf's name in the reader's language. */
  label: string;
}

/**
 * The `n` criteria where a unit lost most, most first; ties keep the order
 * the server gave (the framework's). Leaves where nothing was lost are not
 * listed.
 */
export function topLost(lost: readonly ParLost[], lang: Language, n = 3): LostLine[] {
  return lost
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.lost > 0)
    .sort((a, b) => b.l.lost - a.l.lost || a.i - b.i)
    .slice(0, n)
    .map(({ l }) => ({ ...l, label: lang === 'en' ? (l.nameEn ?? l.name) : l.name }));
}

/** A unit's points in one field, null when the field does not apply to it. */
export function fieldPoints(result: Pick<ParResult, 'fields'>, field: string): { points: number; max: number } | null {
  const f = result.fields.find((x) => x.code === field);
  return f ? { points: f.points, max: f.max } : null;
}

/** The fields that apply to at least one unit of the ranking: the columns of its table. */
export function fieldColumns<F extends { code: string }>(fields: readonly F[], ranking: readonly Pick<ParResult, 'fields'>[]): F[] {
  const used = new Set(ranking.flatMap((r) => r.fields.map((f) => f.code)));
  return fields.filter((f) => used.has(f.code));
}

/** Whether every result shown is the council's decision; otherwise the table is marked provisional. */
export function allFinal(results: readonly Pick<ParResult, 'final'>[]): boolean {
  return results.every((r) => r.final);
}

/** A name in the reader's language. */
export function nameIn(x: { name: string; nameEn: string | null }, lang: Language): string {
  return lang === 'en' ? (x.nameEn ?? x.name) : x.name;
}

/** The colour of a unit below every band: a dark red, apart from the grey of units not assessed. */
export const BELOW_BANDS_COLOUR = '#7f1d1d';

/**
 * A colour per band of the framework (highest first): the map's ramp from
 * dark to bright, the highest band brightest, as better is brighter on
 * every map of the app.
 */
export function bandColours(bands: readonly Pick<ParBand, 'code'>[]): Map<string, string> {
  const ramp = paletteFor(bands.length, 'higher_is_better');
  return new Map(bands.map((b, i) => [b.code, ramp[bands.length - 1 - i] ?? ramp[0] ?? BELOW_BANDS_COLOUR]));
}

/** The colour of a result by its band. */
export function bandColour(colours: ReadonlyMap<string, string>, band: Pick<ParBand, 'code'> | null): string {
  return (band && colours.get(band.code)) || BELOW_BANDS_COLOUR;
}

/**
 * The date the map of a cycle's communes is drawn as of: the last day of
 * its year, or today while the year is not over, so the boundaries are
 * those of the communes the cycle scored.
 */
export function mapDate(year: number, today: string): string {
  const end = `${year}-12-31`;
  return end < today ? end : today;
}
