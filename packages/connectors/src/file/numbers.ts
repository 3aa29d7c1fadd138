/**
 * Numbers as Vietnamese files write them. Vietnamese documents write
 * `1.234.567,89` (dot for thousands, comma for decimals); systems and
 * English-language files write `1,234,567.89`. A file uses one habit: it is
 * given, or detected from the values that can only be read one way. A value
 * like `1.234` that reads both ways, in a file that gives no other clue, is
 * refused as ambiguous rather than guessed.
 */
export type NumberHabit = 'vi' | 'en';

export type NumberReading = { ok: true; value: number } | { ok: false; reason: 'invalid_number' | 'ambiguous_number'; message: string };

const VI = /^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$|^\d+(,\d+)?$/;
const EN = /^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$/;
/** One separator followed by exactly three digits, after 1–3 digits not starting with 0: a thousands group or a decimal? */
const AMBIGUOUS = /^[1-9]\d{0,2}[.,]\d{3}$/;

/** Spaces (also no-break and thin spaces) some files group thousands with, a leading sign, and a trailing percent sign are set aside. */
function clean(text: string): { sign: number; digits: string } | null {
  let s = text.trim().replace(/[\s\u00a0\u202f\u2009]/g, '');
  if (s.endsWith('%')) s = s.slice(0, -1);
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('−')) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  return /^[\d.,]+$/.test(s) && /\d/.test(s) ? { sign, digits: s } : null;
}

/** Which habit a single value shows: one of them, either (no separator), ambiguous, or none (not a number). */
export function numberHabitOf(text: string): NumberHabit | 'either' | 'ambiguous' | 'invalid' {
  const c = clean(text);
  if (!c) return 'invalid';
  const s = c.digits;
  if (!/[.,]/.test(s)) return 'either';
  if (AMBIGUOUS.test(s)) return 'ambiguous';
  const vi = VI.test(s);
  const en = EN.test(s);
  if (vi && !en) return 'vi';
  if (en && !vi) return 'en';
  return 'invalid';
}

/** The habit of a file from its values: the one its unambiguous values show (the majority when they disagree); null when none tells. */
export function detectNumberHabit(values: Iterable<string>): NumberHabit | null {
  let vi = 0;
  let en = 0;
  for (const v of values) {
    const h = numberHabitOf(v);
    if (h === 'vi') vi++;
    else if (h === 'en') en++;
  }
  if (vi === 0 && en === 0) return null;
  return vi >= en ? 'vi' : 'en';
}

/** Reads a number written with the given habit (null: the file gave no clue, so only values that read one way are accepted). */
export function parseNumber(text: string, habit: NumberHabit | null): NumberReading {
  const c = clean(text);
  if (!c) return { ok: false, reason: 'invalid_number', message: `"${text}" is not a number` };
  const s = c.digits;
  if (habit === null) {
    const h = numberHabitOf(text);
    if (h === 'ambiguous') {
      return { ok: false, reason: 'ambiguous_number', message: `"${text}" reads as ${s.replace(/[.,]/, '')} or ${s.replace(',', '.')}; say how the file writes numbers (numbers=vi for 1.234,5 or numbers=en for 1,234.5)` };
    }
    if (h === 'either') return { ok: true, value: c.sign * Number(s) };
    if (h === 'invalid') return { ok: false, reason: 'invalid_number', message: `"${text}" is not a number` };
    habit = h;
  }
  const pattern = habit === 'vi' ? VI : EN;
  if (!pattern.test(s)) {
    const example = habit === 'vi' ? '1.234.567,89' : '1,234,567.89';
    return { ok: false, reason: 'invalid_number', message: `"${text}" is not a number written like ${example}, as the rest of the file` };
  }
  const plain = habit === 'vi' ? s.replaceAll('.', '').replace(',', '.') : s.replaceAll(',', '');
  return { ok: true, value: c.sign * Number(plain) };
}
