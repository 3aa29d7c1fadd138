import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Small pieces the indicator modules share: the indicator code pattern (used
 * by the schema and by the formula tokeniser), bilingual text, number
 * formatting for people, and the one way these modules raise a coded error.
 */

/** Indicator codes: uppercase letters, digits and underscores, starting with a letter (e.g. ECO_GRDP_GROWTH). */
export const INDICATOR_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

export const indicatorCodeSchema = z
  .string()
  .max(64)
  .regex(INDICATOR_CODE_PATTERN, 'must be uppercase letters, digits and underscores, starting with a letter')
  .describe('Indicator code, e.g. ECO_GRDP_GROWTH');

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const localisedSchema = z.object({ vi: z.string().min(1), en: z.string().min(1) });
/** A text in Vietnamese (the UI's language) and English. */
export type Localised = z.infer<typeof localisedSchema>;

const NUMBER_FORMATS: Record<Language, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }),
};

/** A number as people read it: `1.234,5` in Vietnamese, `1,234.5` in English. */
export function formatNumber(n: number, lang: Language): string {
  return NUMBER_FORMATS[lang].format(n);
}

/** `DD/MM/YYYY`, the way Vietnamese documents write a date. */
export function formatDateVi(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Why an indicator input was refused. Carried in `details.reason` of an
 * `invalid_parameter` AppError until errors.ts gains dedicated codes.
 */
export type IndicatorInputReason = 'invalid_period' | 'invalid_instant' | 'invalid_formula' | 'invalid_indicator';

/** The one place these modules build a coded error for bad input. */
export function invalidInput(reason: IndicatorInputReason, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_parameter', message, { reason, ...details });
}
