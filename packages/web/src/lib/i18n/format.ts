import type { Language } from '@watchfloor/core';

/**
 * Numbers, dates and durations as people of each language read them:
 * vi-VN (1.234,5 · 28/11/2026) and en-GB (1,234.5 · 28 Nov 2026).
 */
const LOCALE: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

/** Significant decimals for a figure: none for large numbers, more for small ones. */
export function decimalsFor(value: number, unit: string): number {
  const abs = Math.abs(value);
  if (unit === '%') return abs >= 100 ? 0 : 1;
  if (abs >= 1000 || Number.isInteger(value)) return 0;
  if (abs >= 10) return 1;
  return 2;
}

export function formatNumber(value: number, lang: Language, decimals?: number): string {
  const d = decimals ?? decimalsFor(value, '');
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(value);
}

/** A figure with its unit: "97,6 %", "2.449.861 tài khoản", "1.800,3 tỷ đồng". */
export function formatValue(value: number, unit: string, lang: Language): string {
  const { number, unit: u } = formatValueParts(value, unit, lang);
  return u ? `${number} ${u}` : number;
}

/** The number and the unit apart, for a large figure with a smaller unit. */
export function formatValueParts(value: number, unit: string, lang: Language): { number: string; unit: string } {
  return { number: formatNumber(value, lang, decimalsFor(value, unit)), unit: unit.trim() };
}

/** A percentage such as share of plan: "95 %". */
export function formatPercent(value: number, lang: Language): string {
  return `${formatNumber(value, lang, Math.abs(value) >= 100 ? 0 : 1)} %`;
}

/** A change in percent with its sign: "+2,5 %", "−10,3 %". */
export function formatGrowth(value: number, lang: Language): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(value), lang, 1)} %`;
}

/** A calendar date YYYY-MM-DD: "28/11/2026" or "28 Nov 2026". */
export function formatDate(date: string, lang: Language): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Intl.DateTimeFormat(LOCALE[lang], { day: lang === 'vi' ? '2-digit' : 'numeric', month: lang === 'vi' ? '2-digit' : 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant in Vietnam's time: "28/11/2026 21:45". */
export function formatInstant(iso: string, lang: Language): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(t);
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** How long ago an instant was, in words: "3 ngày trước", "3 days ago", "vừa xong" / "just now". */
export function formatAgo(iso: string, now: Date, lang: Language): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const elapsed = now.getTime() - then;
  const rtf = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms) return rtf.format(-Math.round(elapsed / ms), unit);
  }
  return lang === 'vi' ? 'vừa xong' : 'just now';
}
