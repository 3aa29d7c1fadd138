/**
 * Classes of a choropleth: quantile breaks over the values present, so each
 * colour covers about as many units; no data gets its own grey, never the
 * colour of zero.
 */

/** Five steps from dark to bright, readable on a dark background and for colour-blind readers (viridis). */
export const PALETTE = ['#3b0f70', '#3b528b', '#21918c', '#5ec962', '#fde725'] as const;
export const NO_DATA_COLOUR = '#4b5563';

/** Inner breaks (ascending, distinct) splitting the values into at most `classes` groups of similar size. */
export function quantileBreaks(values: readonly (number | null)[], classes = PALETTE.length): number[] {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < 2) return [];
  const lowest = sorted[0] ?? 0;
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))];
    if (b !== undefined && b > lowest && !breaks.includes(b)) breaks.push(b);
  }
  return breaks;
}

/** The class (0-based) of a value: how many breaks it reaches. */
export function classOf(value: number, breaks: readonly number[]): number {
  let c = 0;
  for (const b of breaks) if (value >= b) c++;
  return c;
}

/**
 * The palette for a number of classes, brightest meaning better: reversed
 * when lower values are better. For `band` indicators brighter is simply higher.
 */
export function paletteFor(classes: number, direction: string): string[] {
  const n = Math.max(1, Math.min(PALETTE.length, classes));
  // Spread the classes over the whole ramp so two classes are dark and bright, not the first two steps.
  const picked = Array.from({ length: n }, (_, i) => PALETTE[n === 1 ? PALETTE.length - 1 : Math.round((i * (PALETTE.length - 1)) / (n - 1))] ?? PALETTE[0]);
  return direction === 'lower_is_better' ? picked.reverse() : picked;
}

export interface LegendEntry {
  colour: string;
  /** Inclusive lower bound, null for the first class. */
  from: number | null;
  /** Exclusive upper bound, null for the last class. */
  to: number | null;
  count: number;
}

export interface Choropleth {
  colourOf(value: number | null): string;
  legend: LegendEntry[];
  noData: number;
}

/** Colours and legend for a set of values of an indicator. */
export function choropleth(values: readonly (number | null)[], direction: string): Choropleth {
  const breaks = quantileBreaks(values);
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const palette = paletteFor(breaks.length + 1, direction);
  const counts = new Array<number>(breaks.length + 1).fill(0);
  for (const v of present) {
    const c = classOf(v, breaks);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  const legend: LegendEntry[] =
    present.length === 0
      ? []
      : palette.map((colour, i) => ({ colour, from: i === 0 ? null : (breaks[i - 1] ?? null), to: breaks[i] ?? null, count: counts[i] ?? 0 }));
  return {
    colourOf: (v) => (v === null || !Number.isFinite(v) ? NO_DATA_COLOUR : (palette[classOf(v, breaks)] ?? NO_DATA_COLOUR)),
    legend,
    noData: values.length - present.length,
  };
}
