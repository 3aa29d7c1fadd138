/**
 * Units of measure (đơn vị tính) and their conversions. A unit belongs to a
 * family (money in đồng, money in USD, mass, people, …) and sits at a power
 * of ten of the family's base: nghìn đồng is 10³ đồng, tỷ đồng 10⁹, tấn 10³
 * kg, ‰ 10⁻¹ %. Every conversion within a family is a shift of the decimal
 * point, so it is done on the value's decimal digits, never by multiplying
 * binary fractions: 1.234 triệu đồng is 0.001234 tỷ đồng exactly as a
 * person would write it. Units of different families (or a unit this table
 * does not know, unless written the same way) do not convert.
 *
 * Spellings are read loosely: diacritics optional, any case, spaces and
 * dots ignored ("tr.đ", "trđ", "triệu đồng", "Trieu dong" are one unit;
 * "tỉ" and "tỷ", "ngàn" and "nghìn" too).
 */

/** A family of units that convert into one another, with its base unit. */
export const UNIT_FAMILIES = {
  vnd: { base: 'đồng', en: 'Vietnamese đồng' },
  usd: { base: 'USD', en: 'US dollars' },
  percent: { base: '%', en: 'Percent (‰ is a tenth of it)' },
  mass: { base: 'kg', en: 'Mass' },
  people: { base: 'người', en: 'People' },
  visits: { base: 'lượt', en: 'Visits, arrivals (lượt, lượt khách)' },
  households: { base: 'hộ', en: 'Households' },
  area: { base: 'ha', en: 'Area' },
  length: { base: 'm', en: 'Length' },
  volume: { base: 'm³', en: 'Volume' },
  energy: { base: 'kWh', en: 'Electric energy' },
} as const;
export type UnitFamily = keyof typeof UNIT_FAMILIES;

/** A unit as read: its family and its power of ten of the family's base. */
export interface Unit {
  family: UnitFamily;
  exponent: number;
}

/** The scale words put before a base unit: nghìn, triệu, tỷ (and their short forms). */
const SCALES: readonly [readonly string[], number][] = [
  [['nghinty', 'nganty', 'ngty'], 12],
  [['nghin', 'ngan', 'ng', 'k', '1000', '1.000'], 3],
  [['trieu', 'tr', 'm'], 6],
  [['ty', 'ti', 'b'], 9],
];

/** Base units of families that take scale words, with their spellings (folded, no spaces or dots). */
const SCALED_BASES: readonly [UnitFamily, readonly string[]][] = [
  ['vnd', ['dong', 'd', 'vnd', 'vnđ', 'dongvn']],
  ['usd', ['usd', 'dola', 'dolamy', 'do', 'dollar', 'dollars', '$', 'us$']],
  ['people', ['nguoi', 'nhankhau', 'dan']],
  ['visits', ['luot', 'luotkhach', 'luotnguoi', 'khach']],
  ['households', ['ho', 'hogiadinh']],
];

/** Units of their own, with their power of ten. */
const PLAIN: readonly [UnitFamily, number, readonly string[]][] = [
  ['percent', 0, ['%', 'phantram', 'percent', 'pct']],
  ['percent', -1, ['‰', 'phannghin', 'permille']],
  ['mass', -3, ['g', 'gam', 'gram']],
  ['mass', 0, ['kg', 'kilogam', 'kilogram', 'ki lo gam', 'kilo']],
  ['mass', 1, ['yen']],
  ['mass', 2, ['ta']],
  ['mass', 3, ['tan', 'tonne', 'tonnes', 'ton']],
  ['mass', 6, ['nghintan', 'ngantan', 'ngtan', 'kt']],
  ['mass', 9, ['trieutan', 'trtan', 'mt']],
  ['area', -4, ['m2', 'm²', 'met vuong', 'metvuong']],
  ['area', 0, ['ha', 'hecta', 'hectare', 'hectares', 'hec ta', 'hecta']],
  ['area', 2, ['km2', 'km²', 'kilometvuong']],
  ['area', 3, ['nghinha', 'nganha', 'ngha']],
  ['length', 0, ['m', 'met', 'metre', 'meter']],
  ['length', 3, ['km', 'kilomet', 'kilometre', 'kilometer']],
  ['volume', 0, ['m3', 'm³', 'metkhoi']],
  ['volume', 3, ['nghinm3', 'nghinm³', 'nganm3', 'ngm3']],
  ['volume', 6, ['trieum3', 'trieum³', 'trm3']],
  ['energy', 0, ['kwh']],
  ['energy', 3, ['mwh', 'nghinkwh']],
  ['energy', 6, ['gwh', 'trieukwh']],
];

/** A unit as compared: no diacritics (đ → d), lower case, without spaces, dots or "(…)" around it. */
export function unitKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/^\((.*)\)$/, '$1')
    .replace(/[\s.]+/g, '');
}

const UNITS = new Map<string, Unit>();
for (const [family, exponent, spellings] of PLAIN) for (const s of spellings) UNITS.set(unitKey(s), { family, exponent });
for (const [family, bases] of SCALED_BASES) {
  for (const base of bases) {
    const key = unitKey(base);
    if (!UNITS.has(key)) UNITS.set(key, { family, exponent: 0 });
    for (const [words, exponent] of SCALES) {
      for (const w of words) {
        const k = unitKey(w) + key;
        // A single-letter scale (k, m, b) is read only before a money unit: "md" would be a guess.
        if (w.length === 1 && family !== 'vnd' && family !== 'usd') continue;
        if (!UNITS.has(k)) UNITS.set(k, { family, exponent });
      }
    }
  }
}

/** The unit a text names, or null when this table does not know it. */
export function parseUnit(text: string): Unit | null {
  return UNITS.get(unitKey(text)) ?? null;
}

/**
 * How a value in `from` becomes a value in `to`: the power of ten to shift
 * it by (0: the same unit, however spelt), or null when they do not convert
 * (another family, or a unit not known and not written the same way).
 */
export function unitShift(from: string, to: string): number | null {
  if (unitKey(from) === unitKey(to)) return 0;
  const a = parseUnit(from);
  const b = parseUnit(to);
  if (!a || !b || a.family !== b.family) return null;
  return a.exponent - b.exponent;
}

/**
 * `value` × 10^`shift`, as a decimal would have it: the value's shortest
 * decimal digits with the point moved, read back (1.234 shifted by −3 is
 * 0.001234, not 0.0012340000000000002).
 */
export function shiftDecimal(value: number, shift: number): number {
  if (shift === 0 || value === 0 || !Number.isFinite(value)) return value;
  const [digits, exponent] = value.toExponential().split('e');
  return Number(`${digits}e${Number(exponent) + shift}`);
}

/** A value in `from` converted to `to`, or null when the units do not convert. */
export function convertUnit(value: number, from: string, to: string): number | null {
  const shift = unitShift(from, to);
  return shift === null ? null : shiftDecimal(value, shift);
}
