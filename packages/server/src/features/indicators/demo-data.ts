import { AppError, addDays, daysInMonth, isValidOn, isoDateOf, parsePeriod, periodStart, type IndicatorDefinition, type ObservationInput, type ObservationStatus } from '@watchfloor/core';
import { hash32, mulberry32 } from './demo-random';

/**
 * The demo figures of the new Vĩnh Long (86) and of the three provinces it
 * absorbed on 1 July 2025 (Bến Tre 83, Trà Vinh 84, the old Vĩnh Long 86).
 * Every value is SYNTHETIC: a plausible story (trends, Tết, the 2021
 * lockdown, the rainy season, dry-season salinity, the July 2025 merger)
 * so dashboards, status colours and regrouping have something to show.
 *
 * Pure and deterministic: the same seed, catalogue, places and range give
 * the same output, whatever the order of the places. Each draw comes from a
 * small PRNG seeded by a hash of (seed, series, unit, period), so adding an
 * indicator or a place does not change the others' values.
 */

export const DEMO_SEED = 20250701;
export const DEMO_SOURCE = 'demo-generator (synthetic)';

/** A place as the caller knows it: its code, level and validity (facts keep the place of their time). */
export interface DemoPlace {
  code: string;
  level: 'province' | 'district' | 'commune';
  validFrom: string | null;
  validTo: string | null;
  parentCode: string | null;
}

/** The yearly plan (kế hoạch giao) of an indicator for a place. */
export interface DemoTarget {
  indicator: string;
  place: string;
  year: number;
  value: number;
}

export interface DemoDataInput {
  seed: number;
  catalogue: readonly IndicatorDefinition[];
  /** Provinces and communes with their validity; districts are accepted and left without figures (they are sums of their communes). */
  places: readonly DemoPlace[];
  /** First month, YYYY-MM. */
  from: string;
  /** Last month, YYYY-MM (inclusive). */
  to: string;
  /**
   * The first month the late series have not delivered (YYYY-MM): the last
   * month whose figures are already overdue, so a late series shows as late
   * whatever day of the month the demo is started. Default: the last month.
   */
  lateFrom?: string;
}

export interface DemoData {
  observations: ObservationInput[];
  targets: DemoTarget[];
}

// ---------------------------------------------------------------- randomness

class Rng {
  private readonly next: () => number;

  constructor(seed: number, key: string) {
    this.next = mulberry32(hash32(`${seed}|${key}`));
  }

  uniform(): number {
    return this.next();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }

  binomial(n: number, p: number): number {
    const q = Math.min(1, Math.max(0, p));
    if (n <= 0) return 0;
    if (n < 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < q) k++;
      return k;
    }
    return Math.min(n, Math.max(0, Math.round(n * q + Math.sqrt(n * q * (1 - q)) * this.normal())));
  }
}

// ---------------------------------------------------------------- calendar

const MONTH_KEY = /^([1-9]\d{3})-(0[1-9]|1[0-2])$/;
const pad2 = (n: number): string => String(n).padStart(2, '0');
const monthKey = (year: number, month: number): string => `${year}-${pad2(month)}`;
const monthIndex = (year: number, month: number): number => year * 12 + month - 1;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** First day of Tết (Lunar New Year), which moves between late January and mid-February. */
const TET: Readonly<Record<number, string>> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
};

/** Share of the month's days that fall `from`..`to` days around Tết (of this year or the next). */
function tetShare(year: number, month: number, from: number, to: number): number {
  const first = dayNumber(isoDateOf(year, month, 1));
  const last = first + daysInMonth(year, month) - 1;
  let days = 0;
  for (const y of [year, year + 1]) {
    const tet = dayNumber(TET[y] ?? isoDateOf(y, 2, 5));
    days += Math.max(0, Math.min(last, tet + to) - Math.max(first, tet + from) + 1);
  }
  return days / daysInMonth(year, month);
}
/** The Tết holiday itself: offices closed, factories stopped, families travelling. */
const tetHoliday = (y: number, m: number): number => tetShare(y, m, -2, 5);
/** The three weeks of shopping and paperwork before Tết. */
const tetRush = (y: number, m: number): number => tetShare(y, m, -25, -3);

/** The Mekong delta lockdown of mid-July to September 2021: share of activity lost at full severity. */
const LOCKDOWN_2021: Readonly<Record<number, number>> = { 7: 0.25, 8: 0.5, 9: 0.45, 10: 0.15, 11: 0.05 };
const lockdown = (y: number, m: number, severity: number): number => 1 - (y === 2021 ? (LOCKDOWN_2021[m] ?? 0) : 0) * severity;

// ---------------------------------------------------------------- cells

type Scope = 'province' | 'commune' | 'air' | 'hydro';
type Frequency = 'day' | 'month' | 'quarter' | 'year';

/** One unit for one period, with what the models need to know about it. */
interface Cell {
  place: DemoPlace;
  /** Code and first day: code 86 names the old and the new Vĩnh Long. */
  unit: string;
  period: string;
  year: number;
  /** The month (for a quarter its last month, for a year 12). */
  month: number;
  quarter: number;
  /** The day, for daily series. */
  date: string | null;
  /** Decimal year at the middle of the period. */
  t: number;
  /** The unit's share of the province at its level (1 for the new province; the old provinces' and communes' shares add up to 1). */
  share: number;
  /** A station's character, 0..1, fixed by its code: exposure to the sea (hydrology) or how urban it is (air). */
  exposure: number;
}

type Values = Record<string, number>;

interface Model {
  seed: number;
  /** A persistent standard-normal effect of a unit (its character: size, performance). */
  effect(unit: string, salt: string): number;
  /** A uniform draw fixed for a key. */
  fixed(key: string): number;
}

interface Family {
  id: string;
  scope: Scope;
  frequency: Frequency;
  codes: readonly string[];
  values(c: Cell, r: Rng, m: Model): Values;
  /** Province weights of the old provinces for this series (default: by population). */
  weights?: Readonly<Record<string, number>>;
  /** Not yet delivered for the range's last period: shows as late. Communes: some units late. */
  late?: 'all' | 'some';
  /** The last period is an estimate (số ước tính), the one before provisional (số sơ bộ). */
  estimatesAtEnd?: boolean;
  /** Chance that a unit's figure for a period is missing (no data shows grey). */
  gapRate?: number;
  /** Some units' figures of one period were estimated rather than counted. */
  estimated?: { period: string; share: number; note: string };
}

const round = (x: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const logistic = (t: number, mid: number, steep: number): number => 1 / (1 + Math.exp(-(t - mid) * steep));
const growth = (c: Cell, perYear: number, fromYear = 2021.5): number => (1 + perYear) ** (c.t - fromYear);
const at = <T>(xs: readonly T[], month: number): T => xs[(month - 1) % xs.length] as T;

/** Old provinces by population, 2021 (Bến Tre 1.29 M, Trà Vinh 1.01 M, Vĩnh Long 1.02 M). */
const POPULATION_WEIGHTS: Readonly<Record<string, number>> = { '83': 0.39, '84': 0.3, '86': 0.31 };

// ---------------------------------------------------------------- station models

/** Dry-season salinity (Feb–Apr peak, fresh in the flood season), and how severe each year's intrusion was. */
const SALINITY_SEASON = [0.55, 0.85, 1, 0.95, 0.6, 0.25, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3];
const SALINITY_YEAR: Readonly<Record<number, number>> = { 2020: 1.1, 2021: 0.6, 2022: 0.65, 2023: 0.8, 2024: 1, 2025: 0.75, 2026: 0.85 };
/** Peak water levels (cm): flood and spring tides in October–November (triều cường). */
const WATER_SEASON = [150, 135, 125, 115, 110, 110, 120, 130, 150, 172, 178, 165];
/** PM2.5 (µg/m³): hazier dry season, straw burning after the autumn harvest. */
const PM25_SEASON = [33, 31, 28, 24, 18, 15, 14, 14, 15, 21, 25, 30];
const LUNAR_HALF_MONTH = 14.765;

function salinityOn(seed: number, unit: string, exposure: number, date: string): number {
  const r = new Rng(seed, `salinity|${unit}|${date}`);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const tide = 1 + 0.25 * Math.cos((2 * Math.PI * dayNumber(date)) / LUNAR_HALF_MONTH);
  const v = 22 * (0.04 + 0.96 * exposure ** 2) * at(SALINITY_SEASON, m) * (SALINITY_YEAR[y] ?? 0.8) * tide * Math.exp(0.15 * r.normal());
  return round(clamp(v, 0.1, 35), 1);
}

function waterLevelOn(seed: number, unit: string, exposure: number, date: string): number {
  const r = new Rng(seed, `water|${unit}|${date}`);
  const m = Number(date.slice(5, 7));
  const tide = 22 * Math.cos((2 * Math.PI * (dayNumber(date) + 3)) / LUNAR_HALF_MONTH);
  return Math.round(at(WATER_SEASON, m) + 40 * (exposure - 0.5) + tide + 6 * r.normal());
}

/** VN_AQI sub-index of a 24-hour PM2.5 mean (breakpoints of Decision 1459/QĐ-TCMT). */
function aqiOfPm25(pm: number): number {
  const bp: ReadonlyArray<readonly [number, number]> = [
    [0, 0],
    [25, 50],
    [50, 100],
    [80, 150],
    [150, 200],
    [250, 300],
    [350, 400],
    [500, 500],
  ];
  for (let i = 1; i < bp.length; i++) {
    const [c0, i0] = bp[i - 1] ?? [0, 0];
    const [c1, i1] = bp[i] ?? [0, 0];
    if (pm <= c1) return Math.round(i0 + ((i1 - i0) * (pm - c0)) / (c1 - c0));
  }
  return 500;
}

/** Max over the days of a month of a daily model: monthly figures agree with the daily ones. */
function monthlyMax(c: Cell, daily: (date: string) => number): number {
  let max = -Infinity;
  for (let d = 1; d <= daysInMonth(c.year, c.month); d++) max = Math.max(max, daily(isoDateOf(c.year, c.month, d)));
  return max;
}

// ---------------------------------------------------------------- the series

/** Each family draws its indicators together, so the parts of a rate stay consistent. */
const FAMILIES: readonly Family[] = [
  {
    id: 'grdp',
    scope: 'province',
    frequency: 'quarter',
    codes: ['ECO_GRDP', 'ECO_GRDP_GROWTH'],
    estimatesAtEnd: true,
    values: (c, _r, m) => {
      // GRDP at constant prices: yearly growth, a Q4-heavy year, the 2021 lockdown; growth is this quarter over the same quarter last year.
      const yearly: Readonly<Record<number, number>> = { 2020: 0.03, 2021: 0.03, 2022: 0.07, 2023: 0.06, 2024: 0.065, 2025: 0.08, 2026: 0.085 };
      const level = (year: number, q: number): number => {
        let index = 1;
        for (let y = 2020; y < year; y++) index *= 1 + (yearly[y] ?? 0.065);
        const covid = year === 2021 ? ([1, 1, 0.9, 0.97][q - 1] ?? 1) : 1;
        const noise = Math.exp(0.012 * new Rng(m.seed, `grdp|${c.unit}|${year}-Q${q}`).normal());
        return 23_000 * c.share * index * ([0.92, 0.97, 1, 1.11][q - 1] ?? 1) * covid * noise * (1 + 0.03 * m.effect(c.unit, 'grdp'));
      };
      const now = level(c.year, c.quarter);
      return { ECO_GRDP: round(now, 1), ECO_GRDP_GROWTH: round((now / level(c.year - 1, c.quarter) - 1) * 100, 2) };
    },
  },
  {
    id: 'rice',
    scope: 'province',
    frequency: 'quarter',
    codes: ['AGR_RICE_OUTPUT'],
    weights: { '83': 0.07, '84': 0.53, '86': 0.4 },
    values: (c, r) => {
      const season = [1.6, 0.88, 0.88, 0.64][c.quarter - 1] ?? 1;
      const salt2024 = c.year === 2024 && c.quarter <= 2 ? 0.94 : 1;
      return { AGR_RICE_OUTPUT: Math.round((2_100_000 / 4) * c.share * season * salt2024 * growth(c, -0.005) * Math.exp(0.03 * r.normal())) };
    },
  },
  {
    id: 'budget',
    scope: 'province',
    frequency: 'month',
    codes: ['BUD_REVENUE', 'BUD_REVENUE_DOMESTIC', 'BUD_EXPENDITURE'],
    estimatesAtEnd: true,
    gapRate: 0.005,
    values: (c, r) => {
      const revenue = 1_250 * c.share * growth(c, 0.06) * at([1.25, 0.75, 0.95, 1.05, 0.95, 1, 0.95, 0.9, 0.95, 1, 1.05, 1.2], c.month) * lockdown(c.year, c.month, 0.4) * Math.exp(0.07 * r.normal());
      const spending = 2_100 * c.share * growth(c, 0.05) * at([0.6, 0.8, 0.9, 0.95, 0.95, 1, 0.95, 0.95, 1, 1.05, 1.15, 1.7], c.month) * Math.exp(0.06 * r.normal());
      return {
        BUD_REVENUE: round(revenue, 1),
        BUD_REVENUE_DOMESTIC: round(revenue * (0.84 + 0.06 * r.uniform()), 1),
        BUD_EXPENDITURE: round(spending, 1),
      };
    },
  },
  {
    id: 'public_investment',
    scope: 'province',
    frequency: 'month',
    codes: ['INV_PUBLIC_PLAN', 'INV_PUBLIC_DISBURSED'],
    values: (c, _r, m) => {
      // Year-to-date stocks: the plan in force (topped up mid-year) and the disbursement S-curve, never above the plan.
      const plan = 8_500 * c.share * 1.08 ** (c.year - 2021) * (1 + 0.05 * m.effect(c.unit, `plan${c.year}`));
      const allocated = c.month <= 3 ? 0.82 : c.month <= 6 ? 0.9 : c.month <= 9 ? 0.97 : 1;
      const pace = clamp(1 + 0.08 * m.effect(c.unit, `pace${c.year}`), 0.78, 1.1);
      const curve = at([0.03, 0.07, 0.13, 0.19, 0.26, 0.35, 0.41, 0.48, 0.57, 0.66, 0.76, 0.93], c.month);
      return { INV_PUBLIC_PLAN: round(plan * allocated, 1), INV_PUBLIC_DISBURSED: round(plan * Math.min(curve * pace, allocated * 0.995), 1) };
    },
  },
  {
    id: 'retail',
    scope: 'province',
    frequency: 'month',
    codes: ['TRD_RETAIL'],
    estimatesAtEnd: true,
    values: (c, r) => {
      const v = 8_000 * c.share * growth(c, 0.11) * at([1, 0.97, 0.97, 0.97, 0.98, 0.98, 0.99, 1, 0.99, 1, 1.02, 1.08], c.month);
      const tet = 1 + 0.45 * tetRush(c.year, c.month) - 0.15 * tetHoliday(c.year, c.month);
      return { TRD_RETAIL: round(v * tet * lockdown(c.year, c.month, 0.9) * Math.exp(0.02 * r.normal()), 1) };
    },
  },
  {
    id: 'trade',
    scope: 'province',
    frequency: 'month',
    codes: ['TRD_EXPORT', 'TRD_IMPORT'],
    weights: { '83': 0.45, '84': 0.2, '86': 0.35 },
    estimatesAtEnd: true,
    gapRate: 0.008,
    values: (c, r) => {
      const work = (1 - 1.1 * tetHoliday(c.year, c.month)) * lockdown(c.year, c.month, 0.6);
      return {
        TRD_EXPORT: round(250 * c.share * growth(c, 0.09) * work * Math.exp(0.06 * r.normal()), 1),
        TRD_IMPORT: round(130 * c.share * growth(c, 0.07) * work * Math.exp(0.1 * r.normal()), 1),
      };
    },
  },
  {
    id: 'enterprises',
    scope: 'province',
    frequency: 'month',
    codes: ['ENT_NEW', 'ENT_RESUMED', 'ENT_DISSOLVED'],
    gapRate: 0.005,
    values: (c, r) => {
      const work = (1 - 1.4 * tetHoliday(c.year, c.month)) * lockdown(c.year, c.month, 0.8);
      return {
        ENT_NEW: r.poisson(170 * c.share * growth(c, 0.04) * work * Math.exp(0.1 * r.normal())),
        ENT_RESUMED: r.poisson(70 * c.share * at([1.4, 1.6, 1.2, 1, 1, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], c.month) * Math.exp(0.1 * r.normal())),
        ENT_DISSOLVED: r.poisson(35 * c.share * growth(c, 0.03) * at([1.3, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.5], c.month)),
      };
    },
  },
  {
    id: 'tourism',
    scope: 'province',
    frequency: 'month',
    codes: ['TOU_VISITORS', 'TOU_REVENUE'],
    weights: { '83': 0.45, '84': 0.2, '86': 0.35 },
    late: 'all',
    gapRate: 0.01,
    values: (c, r) => {
      const covid: Readonly<Record<string, number>> = { '2021-07': 0.03, '2021-08': 0.02, '2021-09': 0.03, '2021-10': 0.15, '2021-11': 0.3, '2021-12': 0.45, '2022-01': 0.55, '2022-02': 0.7, '2022-03': 0.85 };
      const season = at([1.05, 1.05, 0.95, 1.1, 1.15, 1.05, 1.05, 0.95, 0.8, 0.8, 0.85, 1], c.month) + 1.5 * tetHoliday(c.year, c.month);
      const visitors = 330_000 * c.share * growth(c, 0.1, 2022.5) * season * (covid[monthKey(c.year, c.month)] ?? 1) * Math.exp(0.06 * r.normal());
      return { TOU_VISITORS: Math.round(visitors), TOU_REVENUE: round(visitors * 0.00085 * growth(c, 0.05) * Math.exp(0.05 * r.normal()), 1) };
    },
  },
  {
    id: 'labour',
    scope: 'province',
    frequency: 'month',
    codes: ['LAB_JOBS_CREATED'],
    late: 'all',
    values: (c, r) => ({
      LAB_JOBS_CREATED: Math.round(4_200 * c.share * at([0.8, 0.9, 1.25, 1.1, 1, 1, 0.95, 0.95, 1, 1, 1, 1.05], c.month) * (1 - tetHoliday(c.year, c.month)) * lockdown(c.year, c.month, 0.7) * Math.exp(0.08 * r.normal())),
    }),
  },
  {
    id: 'traffic',
    scope: 'province',
    frequency: 'month',
    codes: ['TRN_ACCIDENTS', 'TRN_DEATHS'],
    late: 'all',
    values: (c, r) => {
      const accidents = r.poisson(28 * c.share * growth(c, -0.04) * (1 + 1.2 * tetHoliday(c.year, c.month)) * lockdown(c.year, c.month, 0.6));
      return { TRN_ACCIDENTS: accidents, TRN_DEATHS: r.poisson(accidents * 0.72) };
    },
  },
  {
    id: 'vneid',
    scope: 'province',
    frequency: 'month',
    codes: ['DX_VNEID_ACTIVATED'],
    values: (c): Values => {
      // Level-2 electronic identities were issued from mid-2022: no figure before then (there was nothing to count).
      if (monthIndex(c.year, c.month) < monthIndex(2022, 7)) return {};
      return { DX_VNEID_ACTIVATED: Math.round(2_450_000 * c.share * logistic(c.t, 2023.3, 2.8)) };
    },
  },
  {
    id: 'waste',
    scope: 'province',
    frequency: 'month',
    codes: ['ENV_WASTE_GENERATED', 'ENV_WASTE_COLLECTED'],
    gapRate: 0.01,
    values: (c, r, m) => {
      const generated = 35_000 * c.share * growth(c, 0.03) * (1 + 0.25 * tetHoliday(c.year, c.month)) * Math.exp(0.03 * r.normal());
      const rate = clamp(0.82 + 0.025 * (c.t - 2021.5) + 0.03 * m.effect(c.unit, 'waste') + 0.01 * r.normal(), 0.7, 0.995);
      return { ENV_WASTE_GENERATED: Math.round(generated), ENV_WASTE_COLLECTED: Math.round(Math.round(generated) * rate) };
    },
  },
  {
    id: 'fisheries',
    scope: 'province',
    frequency: 'month',
    codes: ['AGR_AQUACULTURE_OUTPUT'],
    weights: { '83': 0.55, '84': 0.3, '86': 0.15 },
    values: (c, r) => ({
      AGR_AQUACULTURE_OUTPUT: Math.round(70_000 * c.share * growth(c, 0.03) * at([0.8, 0.75, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.15, 1.1], c.month) * Math.exp(0.04 * r.normal())),
    }),
  },
  {
    id: 'salinity_damage',
    scope: 'province',
    frequency: 'month',
    codes: ['AGR_SALINITY_DAMAGE'],
    weights: { '83': 0.55, '84': 0.35, '86': 0.1 },
    values: (c, r) => {
      const severity: Readonly<Record<number, number>> = { 2021: 0.1, 2022: 0.05, 2023: 0.15, 2024: 1, 2025: 0.3, 2026: 0.4 };
      const season = at([0, 0.3, 1, 0.8, 0.2, 0, 0, 0, 0, 0, 0, 0], c.month);
      return { AGR_SALINITY_DAMAGE: Math.round(6_000 * c.share * season * (severity[c.year] ?? 0.3) * Math.exp(0.3 * r.normal())) };
    },
  },
  {
    id: 'population',
    scope: 'province',
    frequency: 'year',
    codes: ['POP', 'HLT_INSURED', 'HLT_DOCTORS'],
    values: (c, r, m) => {
      const pop = Math.round(3_330_000 * c.share * growth(c, 0.003) * (1 + 0.002 * r.normal()));
      const coverage: Readonly<Record<number, number>> = { 2021: 0.9, 2022: 0.905, 2023: 0.915, 2024: 0.93, 2025: 0.94, 2026: 0.945 };
      const insured = Math.round(pop * clamp((coverage[c.year] ?? 0.93) + 0.012 * m.effect(c.unit, 'bhyt') + 0.003 * r.normal(), 0.8, 0.995));
      const doctors = Math.round(((pop * (8.6 + 0.35 * (c.year - 2022))) / 10_000) * Math.exp(0.04 * m.effect(c.unit, 'doctors')));
      return { POP: pop, HLT_INSURED: insured, HLT_DOCTORS: doctors };
    },
  },
  {
    id: 'education',
    scope: 'province',
    frequency: 'year',
    codes: ['EDU_TEACHERS', 'EDU_GRAD_CANDIDATES', 'EDU_GRAD_PASSED'],
    values: (c, r) => {
      const candidates = Math.round(28_000 * c.share * (1 + 0.03 * r.normal()));
      return {
        EDU_TEACHERS: Math.round(29_500 * c.share * growth(c, 0.005) * (1 + 0.01 * r.normal())),
        EDU_GRAD_CANDIDATES: candidates,
        EDU_GRAD_PASSED: r.binomial(candidates, clamp(0.985 + 0.004 * r.normal(), 0.95, 0.999)),
      };
    },
  },
  {
    id: 'pupils',
    scope: 'commune',
    frequency: 'year',
    codes: ['EDU_STUDENTS'],
    values: (c, r) => ({ EDU_STUDENTS: Math.round(540_000 * c.share * growth(c, 0.005) * Math.exp(0.02 * r.normal())) }),
  },
  {
    id: 'dossiers',
    scope: 'commune',
    frequency: 'month',
    codes: ['PS_DOSSIER_RECEIVED', 'PS_DOSSIER_RESOLVED', 'PS_DOSSIER_ON_TIME', 'PS_DOSSIER_LATE', 'PS_DOSSIER_PENDING', 'PS_DOSSIER_ONLINE', 'PS_DOSSIER_DIGITISED'],
    gapRate: 0.0015,
    estimated: { period: '2025-06', share: 0.05, note: 'Ước tính: số liệu chốt trước khi sắp xếp đơn vị hành chính (synthetic)' },
    values: (c, r, m) => {
      // From July 2025 communes also handle what districts used to, and the switch-over briefly hurts on-time rates.
      const afterReform = c.t > 2025.5 ? 1.3 : 1;
      const tet = 1 + 0.12 * tetRush(c.year, c.month) - 0.7 * tetHoliday(c.year, c.month);
      const received = r.poisson(80_000 * c.share * growth(c, 0.06) * afterReform * tet * lockdown(c.year, c.month, 0.6) * Math.exp(0.1 * r.normal()));
      const resolved = r.binomial(received, clamp(0.95 + 0.02 * r.normal(), 0.85, 1));
      const weak = m.fixed(`weak|${c.unit}`) < 0.05 ? 0.08 : 0;
      const switchOver: Readonly<Record<string, number>> = { '2025-07': 0.06, '2025-08': 0.035, '2025-09': 0.015 };
      const onTimeRate = 0.962 + 0.004 * (c.t - 2021.5) + 0.015 * m.effect(c.unit, 'ontime') - weak - (switchOver[monthKey(c.year, c.month)] ?? 0) - 0.03 * (1 - lockdown(c.year, c.month, 1));
      const onTime = r.binomial(resolved, clamp(onTimeRate, 0.6, 0.998));
      const online = 0.15 + 0.62 * logistic(c.t, 2024, 1.6) + 0.06 * m.effect(c.unit, 'online');
      const digitised = 0.08 + 0.85 * logistic(c.t, 2023.8, 2) + 0.05 * m.effect(c.unit, 'digitised');
      return {
        PS_DOSSIER_RECEIVED: received,
        PS_DOSSIER_RESOLVED: resolved,
        PS_DOSSIER_ON_TIME: onTime,
        PS_DOSSIER_LATE: resolved - onTime,
        PS_DOSSIER_PENDING: received - resolved + r.binomial(received, 0.05),
        PS_DOSSIER_ONLINE: r.binomial(received, clamp(online, 0.01, 0.98)),
        PS_DOSSIER_DIGITISED: r.binomial(resolved, clamp(digitised, 0.01, 0.99)),
      };
    },
  },
  {
    // The finer Decision 766 parts, per province only: a province figure beats the sum of its communes, and per commune they would add a third to the data set.
    id: 'dossiers_766',
    scope: 'province',
    frequency: 'month',
    codes: ['PS_DOSSIER_CARRIED_OVER', 'PS_DOSSIER_EARLY', 'PS_DOSSIER_PENDING_LATE', 'PS_DOSSIER_PENDING_DUE_SOON', 'PS_DOSSIER_PENDING_NOT_DUE'],
    values: (c, r) => {
      const scale = 80_000 * c.share * growth(c, 0.06) * (c.t > 2025.5 ? 1.3 : 1);
      const pending = r.poisson(0.06 * scale * Math.exp(0.1 * r.normal()));
      const late = r.binomial(pending, 0.04);
      const dueSoon = r.binomial(pending - late, 0.15);
      return {
        PS_DOSSIER_CARRIED_OVER: r.poisson(0.05 * scale * Math.exp(0.1 * r.normal())),
        PS_DOSSIER_EARLY: r.poisson(0.5 * scale * Math.exp(0.1 * r.normal())),
        PS_DOSSIER_PENDING_LATE: late,
        PS_DOSSIER_PENDING_DUE_SOON: dueSoon,
        PS_DOSSIER_PENDING_NOT_DUE: pending - late - dueSoon,
      };
    },
  },
  {
    id: 'citizen_reports',
    scope: 'commune',
    frequency: 'month',
    codes: ['CR_RECEIVED', 'CR_PROCESSED', 'CR_PROCESSED_ON_TIME', 'CR_RATED', 'CR_SATISFIED'],
    late: 'some',
    gapRate: 0.0015,
    values: (c, r, m) => {
      const season = at([0.9, 0.8, 0.9, 0.95, 1, 1, 1, 1.05, 1.2, 1.3, 1.3, 1.1], c.month) * (1 - 0.5 * tetHoliday(c.year, c.month));
      const received = r.poisson(900 * c.share * growth(c, 0.22) * season * Math.exp(0.25 * m.effect(c.unit, 'reports')));
      const processed = r.binomial(received, clamp(0.93 + 0.01 * (c.t - 2021.5) + 0.02 * r.normal(), 0.7, 1));
      const onTime = r.binomial(processed, clamp(0.88 + 0.015 * (c.t - 2021.5) + 0.03 * m.effect(c.unit, 'cr_ontime'), 0.5, 0.995));
      const rated = r.binomial(processed, 0.45);
      return {
        CR_RECEIVED: received,
        CR_PROCESSED: processed,
        CR_PROCESSED_ON_TIME: onTime,
        CR_RATED: rated,
        CR_SATISFIED: r.binomial(rated, clamp(0.8 + 0.015 * (c.t - 2021.5) + 0.04 * m.effect(c.unit, 'satisfied'), 0.4, 0.99)),
      };
    },
  },
  {
    id: 'health',
    scope: 'commune',
    frequency: 'month',
    codes: ['HLT_OUTPATIENT', 'HLT_BIRTHS', 'HLT_FULLY_VACCINATED', 'HLT_INFANT_DEATHS', 'HLT_DENGUE'],
    late: 'some',
    gapRate: 0.0015,
    values: (c, r, m) => {
      // Dengue: rainy-season epidemics, with the big outbreak of 2022; vaccination: the 2023 vaccine shortage.
      const dengueYear: Readonly<Record<number, number>> = { 2021: 1_500, 2022: 9_000, 2023: 3_500, 2024: 2_500, 2025: 3_000, 2026: 2_000 };
      const dengueSeason = at([0.06, 0.03, 0.02, 0.02, 0.04, 0.08, 0.12, 0.15, 0.16, 0.14, 0.11, 0.07], c.month);
      const shortage = c.year === 2023 && c.month >= 5 && c.month <= 10 ? 0.15 : 0;
      const births = r.poisson(3_650 * c.share * growth(c, -0.02));
      return {
        HLT_OUTPATIENT: r.poisson(210_000 * c.share * growth(c, 0.02) * at([1, 0.85, 1, 1, 1, 1.02, 1.05, 1.08, 1.08, 1.05, 1, 0.98], c.month) * lockdown(c.year, c.month, 0.4) * Math.exp(0.08 * r.normal())),
        HLT_BIRTHS: births,
        HLT_FULLY_VACCINATED: r.binomial(births, clamp(0.965 - shortage - 0.1 * (1 - lockdown(c.year, c.month, 1)) + 0.015 * m.effect(c.unit, 'vaccine'), 0.5, 1)),
        HLT_INFANT_DEATHS: r.binomial(births, 0.0095),
        HLT_DENGUE: r.poisson((dengueYear[c.year] ?? 2_500) * dengueSeason * c.share * Math.exp(0.8 * m.effect(c.unit, 'dengue') - 0.32)),
      };
    },
  },
  {
    id: 'hydro_daily',
    scope: 'hydro',
    frequency: 'day',
    codes: ['ENV_SALINITY', 'ENV_WATER_LEVEL'],
    values: (c, _r, m) => ({ ENV_SALINITY: salinityOn(m.seed, c.unit, c.exposure, c.date ?? ''), ENV_WATER_LEVEL: waterLevelOn(m.seed, c.unit, c.exposure, c.date ?? '') }),
  },
  {
    id: 'hydro_monthly',
    scope: 'hydro',
    frequency: 'month',
    codes: ['ENV_SALINITY_MONTH_MAX', 'ENV_WATER_LEVEL_MONTH_MAX'],
    values: (c, _r, m) => ({
      ENV_SALINITY_MONTH_MAX: monthlyMax(c, (d) => salinityOn(m.seed, c.unit, c.exposure, d)),
      ENV_WATER_LEVEL_MONTH_MAX: monthlyMax(c, (d) => waterLevelOn(m.seed, c.unit, c.exposure, d)),
    }),
  },
  {
    id: 'air_daily',
    scope: 'air',
    frequency: 'day',
    codes: ['ENV_PM25', 'ENV_AQI'],
    gapRate: 0.02,
    values: (c, r) => {
      const episode = r.uniform() < 0.04 ? 1.8 : 1;
      const pm = round(at(PM25_SEASON, c.month) * (0.8 + 0.5 * c.exposure) * episode * Math.exp(0.28 * r.normal()), 1);
      return { ENV_PM25: pm, ENV_AQI: aqiOfPm25(pm) };
    },
  },
];

/** Stations per network: the most exposed commune and a few others, chosen by a stable hash of their code. */
const STATIONS: Readonly<Record<'air' | 'hydro', number>> = { air: 5, hydro: 6 };
/** Daily series cover only the last days of the range, to keep the demo small. */
export const DEMO_DAILY_DAYS = 90;

// ---------------------------------------------------------------- targets

type TargetRule = { code: string; by: 'sum'; family: string } | { code: string; by: 'rate'; perYear: Readonly<Record<number, number>>; communes?: boolean };

/** Plans a province sets each year (Nghị quyết HĐND về kế hoạch phát triển kinh tế - xã hội); ratios and growth as planned rates. */
const TARGET_RULES: readonly TargetRule[] = [
  { code: 'BUD_REVENUE', by: 'sum', family: 'budget' },
  { code: 'BUD_EXPENDITURE', by: 'sum', family: 'budget' },
  { code: 'TRD_RETAIL', by: 'sum', family: 'retail' },
  { code: 'TRD_EXPORT', by: 'sum', family: 'trade' },
  { code: 'ENT_NEW', by: 'sum', family: 'enterprises' },
  { code: 'TOU_VISITORS', by: 'sum', family: 'tourism' },
  { code: 'LAB_JOBS_CREATED', by: 'sum', family: 'labour' },
  { code: 'ECO_GRDP_GROWTH', by: 'rate', perYear: { 2021: 6.5, 2022: 6.5, 2023: 6.8, 2024: 7, 2025: 8, 2026: 10 } },
  { code: 'INV_PUBLIC_DISBURSEMENT_RATE', by: 'rate', perYear: { 2021: 95, 2022: 95, 2023: 95, 2024: 95, 2025: 100, 2026: 100 } },
  { code: 'PS_ON_TIME_RATE', by: 'rate', perYear: { 2021: 95, 2022: 95, 2023: 95, 2024: 97, 2025: 98, 2026: 98 }, communes: true },
  { code: 'PS_ONLINE_RATE', by: 'rate', perYear: { 2021: 30, 2022: 40, 2023: 50, 2024: 60, 2025: 70, 2026: 80 }, communes: true },
  { code: 'PS_DIGITISED_RATE', by: 'rate', perYear: { 2021: 30, 2022: 50, 2023: 70, 2024: 80, 2025: 90, 2026: 95 } },
  { code: 'CR_ON_TIME_RATE', by: 'rate', perYear: { 2021: 90, 2022: 90, 2023: 90, 2024: 92, 2025: 95, 2026: 95 } },
  { code: 'HLT_IMMUNISATION_RATE', by: 'rate', perYear: { 2021: 95, 2022: 95, 2023: 95, 2024: 95, 2025: 95, 2026: 95 } },
  { code: 'HLT_INSURANCE_COVERAGE', by: 'rate', perYear: { 2021: 91, 2022: 92, 2023: 93, 2024: 94, 2025: 95, 2026: 95.5 } },
  { code: 'EDU_GRAD_RATE', by: 'rate', perYear: { 2021: 98, 2022: 98, 2023: 98, 2024: 98.5, 2025: 98.5, 2026: 99 } },
];

// ---------------------------------------------------------------- the generator

/** What unit shares are weighted by: a series' own weights of the old provinces, or population. */
type ShareBasis = Partial<Pick<Family, 'id' | 'weights'>>;

const unitOf = (p: DemoPlace): string => `${p.code}@${p.validFrom ?? ''}`;
const levelOf = (scope: Scope): DemoPlace['level'] => (scope === 'province' ? 'province' : 'commune');

interface PeriodSlot {
  period: string;
  year: number;
  month: number;
  quarter: number;
  date: string | null;
  t: number;
  /** The day the unit must be valid on: the period's last day. A year straddling the 2025 reform belongs to the unit that closes it. */
  end: string;
  start: string;
}

function monthSlots(from: number, to: number): PeriodSlot[] {
  const out: PeriodSlot[] = [];
  for (let i = from; i <= to; i++) {
    const year = Math.floor(i / 12);
    const month = (i % 12) + 1;
    out.push({ period: monthKey(year, month), year, month, quarter: Math.ceil(month / 3), date: null, t: year + (month - 0.5) / 12, start: isoDateOf(year, month, 1), end: isoDateOf(year, month, daysInMonth(year, month)) });
  }
  return out;
}

/** The periods of a frequency that lie wholly inside the range (daily: its last DEMO_DAILY_DAYS days). */
function slotsFor(frequency: Frequency, from: number, to: number): PeriodSlot[] {
  const months = monthSlots(from, to);
  switch (frequency) {
    case 'month':
      return months;
    case 'quarter':
      return months
        .filter((s) => s.month % 3 === 0 && monthIndex(s.year, s.month - 2) >= from)
        .map((s) => ({ ...s, period: `${s.year}-Q${s.quarter}`, t: s.year + (s.month - 1.5) / 12, start: isoDateOf(s.year, s.month - 2, 1) }));
    case 'year':
      return months
        .filter((s) => s.month === 12 && monthIndex(s.year, 1) >= from)
        .map((s) => ({ ...s, period: String(s.year), t: s.year + 0.5, start: isoDateOf(s.year, 1, 1) }));
    case 'day': {
      const last = months[months.length - 1];
      const first = months[0];
      if (!last || !first) return [];
      const days: PeriodSlot[] = [];
      for (let d = addDays(last.end, 1 - DEMO_DAILY_DAYS); d <= last.end; d = addDays(d, 1)) {
        if (d < first.start) continue;
        const year = Number(d.slice(0, 4));
        const month = Number(d.slice(5, 7));
        days.push({ period: d, year, month, quarter: Math.ceil(month / 3), date: d, t: year + (month - 0.5) / 12, start: d, end: d });
      }
      return days;
    }
  }
}

function parseMonth(name: string, value: string): number {
  const m = MONTH_KEY.exec(value);
  if (!m) throw new AppError('invalid_parameter', `${name} must be a month written YYYY-MM, not "${value}"`, { [name]: value });
  return monthIndex(Number(m[1]), Number(m[2]));
}

/**
 * Generates the synthetic demo figures and yearly plans. Each fact is at the
 * unit valid on its period's last day (months before July 2025 at the old
 * provinces and communes, later ones at the new); province series go to
 * provinces, commune series to communes, station series to a handful of
 * communes. Indicators of the catalogue without a model here get nothing;
 * a model whose indicator is missing from the catalogue is skipped; a
 * series gets nothing before the period the catalogue says it starts
 * (`since`), and a model must draw at the level the catalogue collects at.
 */
export function generateDemoData(input: DemoDataInput): DemoData {
  const { seed } = input;
  const from = parseMonth('from', input.from);
  const to = parseMonth('to', input.to);
  if (from > to) throw new AppError('invalid_parameter', `from (${input.from}) is after to (${input.to})`, { from: input.from, to: input.to });
  const defs = new Map(input.catalogue.map((d) => [d.code, d]));
  const places = [...input.places].sort((a, b) => (unitOf(a) < unitOf(b) ? -1 : unitOf(a) > unitOf(b) ? 1 : 0));

  const model: Model = {
    seed,
    effect: (unit, salt) => new Rng(seed, `effect|${salt}|${unit}`).normal(),
    fixed: (key) => new Rng(seed, `fixed|${key}`).uniform(),
  };
  const sizeOf = (p: DemoPlace, weights: Readonly<Record<string, number>> | undefined): number =>
    p.level === 'province'
      ? p.validFrom === null
        ? ((weights ?? POPULATION_WEIGHTS)[p.code] ?? 1 / 3)
        : 1
      : Math.exp(0.45 * model.effect(unitOf(p), 'size'));

  const shareCache = new Map<string, Map<string, number>>();
  /** Each unit's share of the whole at its level among the units valid on that day. */
  const sharesOn = (level: DemoPlace['level'], day: string, family: ShareBasis = {}): Map<string, number> => {
    const key = `${level}|${day}|${family.weights ? family.id : ''}`;
    let shares = shareCache.get(key);
    if (!shares) {
      const valid = places.filter((p) => p.level === level && isValidOn(day, p.validFrom, p.validTo));
      const total = valid.reduce((a, p) => a + sizeOf(p, family.weights), 0);
      shares = new Map(valid.map((p) => [unitOf(p), sizeOf(p, family.weights) / total]));
      shareCache.set(key, shares);
    }
    return shares;
  };
  const exposureOf = (network: 'air' | 'hydro', p: DemoPlace): number => model.fixed(`exposure|${network}|${p.code}`);
  const stationCache = new Map<string, DemoPlace[]>();
  /** The stations of a network on a day: the most exposed valid commune (a salinity front to watch), then others by hash. */
  const stationsOn = (network: 'air' | 'hydro', day: string): DemoPlace[] => {
    const key = `${network}|${day}`;
    let stations = stationCache.get(key);
    if (!stations) {
      const valid = places.filter((p) => p.level === 'commune' && isValidOn(day, p.validFrom, p.validTo));
      const front = valid.reduce<DemoPlace | undefined>((best, p) => (best === undefined || exposureOf(network, p) > exposureOf(network, best) ? p : best), undefined);
      const others = valid
        .filter((p) => p !== front)
        .map((p) => ({ p, h: hash32(`${seed}|station|${network}|${p.code}`) }))
        .sort((a, b) => a.h - b.h || (a.p.code < b.p.code ? -1 : 1))
        .slice(0, STATIONS[network] - 1)
        .map((x) => x.p);
      stations = front === undefined ? [] : [front, ...others];
      stationCache.set(key, stations);
    }
    return stations;
  };
  const unitsOf = (family: Family, slot: PeriodSlot): { place: DemoPlace; share: number; exposure: number }[] => {
    const network = family.scope;
    if (network === 'air' || network === 'hydro') return stationsOn(network, slot.end).map((place) => ({ place, share: 0, exposure: exposureOf(network, place) }));
    const shares = sharesOn(levelOf(family.scope), slot.end, family);
    // A year that straddles the reform belongs to the unit that closes it; shorter periods never straddle it.
    const whole = family.frequency !== 'year';
    return places
      .filter((p) => shares.has(unitOf(p)) && (!whole || isValidOn(slot.start, p.validFrom, p.validTo)))
      .map((place) => ({ place, share: shares.get(unitOf(place)) ?? 0, exposure: 0 }));
  };
  const cellOf = (place: DemoPlace, share: number, exposure: number, slot: PeriodSlot): Cell => ({
    place,
    unit: unitOf(place),
    period: slot.period,
    year: slot.year,
    month: slot.month,
    quarter: slot.quarter,
    date: slot.date,
    t: slot.t,
    share,
    exposure,
  });

  const observations: ObservationInput[] = [];
  for (const family of FAMILIES) {
    const codes = family.codes.filter((c) => defs.get(c)?.kind === 'base');
    if (codes.length === 0) continue;
    for (const code of codes) {
      const def = defs.get(code);
      if (def?.frequency !== family.frequency) throw new Error(`demo model "${family.id}" draws ${code} per ${family.frequency}, but the catalogue measures it per ${String(def?.frequency)}`);
      // Stations stand in communes: their series are collected per commune.
      const level = levelOf(family.scope);
      if (def.collectedAt !== null && (def.collectedAt.length !== 1 || def.collectedAt[0] !== level)) {
        throw new Error(`demo model "${family.id}" draws ${code} per ${level}, but the catalogue collects it at ${def.collectedAt.join(', ')}`);
      }
    }
    /** The first day of each indicator's series (the catalogue's since): nothing is drawn for a period starting before it. */
    const starts = new Map(
      codes.map((code) => {
        const since = defs.get(code)?.since ?? null;
        return [code, since === null ? null : periodStart(parsePeriod(since))];
      }),
    );
    const slots = slotsFor(family.frequency, from, to);
    const lastPeriod = slots[slots.length - 1]?.period;
    const beforeLast = slots[slots.length - 2]?.period;
    for (const slot of slots) {
      for (const { place, share, exposure } of unitsOf(family, slot)) {
        const unit = unitOf(place);
        const cellKey = `${family.id}|${unit}|${slot.period}`;
        if (family.gapRate !== undefined && model.fixed(`gap|${cellKey}`) < family.gapRate) continue;
        const undelivered = family.frequency === 'month' && input.lateFrom !== undefined ? slot.period >= input.lateFrom : slot.period === lastPeriod;
        if (undelivered && (family.late === 'all' || (family.late === 'some' && model.fixed(`late|${family.id}|${unit}`) < 0.06))) continue;
        const values = family.values(cellOf(place, share, exposure, slot), new Rng(seed, cellKey), model);
        let status: ObservationStatus = 'final';
        let note: string | null = null;
        if (family.estimatesAtEnd && slot.period === lastPeriod) [status, note] = ['estimated', 'Số ước tính (synthetic)'];
        else if (family.estimatesAtEnd && slot.period === beforeLast) status = 'provisional';
        else if (family.estimated?.period === slot.period && model.fixed(`estimated|${cellKey}`) < family.estimated.share) {
          [status, note] = ['estimated', family.estimated.note];
        }
        for (const code of codes) {
          const value = values[code];
          const start = starts.get(code);
          if (value === undefined || (start != null && slot.start < start)) continue;
          observations.push({ indicator: code, place: place.code, period: slot.period, organisation: null, value, status, note });
        }
      }
    }
  }

  return { observations, targets: generateTargets(input, from, to, defs, places, model, sharesOn, cellOf) };
}

function generateTargets(
  input: DemoDataInput,
  from: number,
  to: number,
  defs: ReadonlyMap<string, IndicatorDefinition>,
  places: readonly DemoPlace[],
  model: Model,
  sharesOn: (level: DemoPlace['level'], day: string, basis?: ShareBasis) => Map<string, number>,
  cellOf: (place: DemoPlace, share: number, exposure: number, slot: PeriodSlot) => Cell,
): DemoTarget[] {
  const targets: DemoTarget[] = [];
  const firstYear = Math.floor(from / 12);
  const lastYear = Math.floor(to / 12);
  for (const rule of TARGET_RULES) {
    const def = defs.get(rule.code);
    if (!def) continue;
    for (let year = firstYear; year <= lastYear; year++) {
      const yearEnd = isoDateOf(year, 12, 31);
      if (rule.by === 'sum') {
        const family = FAMILIES.find((f) => f.id === rule.family);
        if (!family) continue;
        const shares = sharesOn('province', yearEnd, family);
        for (const place of places.filter((p) => shares.has(unitOf(p)))) {
          // The plan: the year's expected total, set a little above or below what the year then brings.
          let total = 0;
          for (const slot of monthSlots(monthIndex(year, 1), monthIndex(year, 12))) {
            total += family.values(cellOf(place, shares.get(unitOf(place)) ?? 0, 0, slot), new Rng(input.seed, `${family.id}|${unitOf(place)}|${slot.period}`), model)[rule.code] ?? 0;
          }
          const ambition = 0.95 + 0.1 * model.fixed(`plan|${rule.code}|${unitOf(place)}|${year}`);
          targets.push({ indicator: rule.code, place: place.code, year, value: Number.isInteger(total) ? Math.round(total * ambition) : round(total * ambition, 1) });
        }
        continue;
      }
      const planned = rule.perYear[year];
      if (planned === undefined) continue;
      const levels: DemoPlace['level'][] = rule.communes ? ['province', 'commune'] : ['province'];
      for (const level of levels) {
        const shares = sharesOn(level, yearEnd);
        for (const place of places.filter((p) => shares.has(unitOf(p)))) targets.push({ indicator: rule.code, place: place.code, year, value: planned });
      }
    }
  }
  return targets;
}
