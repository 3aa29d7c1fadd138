import { z } from 'zod';
import { indicatorCodeSchema, localisedSchema } from '../indicators';
import { placeCodeSchema } from '../places';

/**
 * A report template is data: the document a provincial office writes every
 * month (the socio-economic situation report, the administrative-procedure
 * report), as sections a data steward edits. A text section is Vietnamese
 * prose with placeholders for figures; a table section lists indicators by
 * commune or by agency; a chart section draws an indicator month by month
 * or commune by commune. The figures are read when the report is rendered,
 * for the period asked, through the same figures the screens show.
 *
 * A placeholder is `{{what:INDICATOR}}` or `{{what:INDICATOR@PLACE}}`: the
 * place defaults to the province the server serves, the period to the
 * report's. What it says:
 * - `value`: the figure of the period;
 * - `plan_pct`: the figure as a percentage of its plan for the period;
 * - `ytd`: the figure of the year to date (through the period's end);
 * - `ytd_plan_pct`: the year to date as a percentage of the year's plan;
 * - `same_period_last_year`: the figure of the same period last year;
 * - `change`: the change on the same period last year, in per cent;
 * - `rank`: the place's rank among the units of its level (1 is best);
 * - `unit`: the indicator's unit, `name`: its Vietnamese name.
 */
export const PLACEHOLDER_KINDS = ['value', 'plan_pct', 'ytd', 'ytd_plan_pct', 'same_period_last_year', 'change', 'rank', 'unit', 'name'] as const;
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

export const reportTemplateCodeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and hyphens, 2 to 60 characters')
  .describe('The template’s code, in the address of its routes');

const heading = z.string().min(1).max(300).optional().describe('The section’s heading, in Vietnamese');

export const textSectionSchema = z.object({
  kind: z.literal('text'),
  heading,
  paragraphs: z.array(z.string().min(1).max(4000)).min(1).max(50).describe('Paragraphs in Vietnamese with placeholders {{what:INDICATOR}} or {{what:INDICATOR@PLACE}}'),
});

export const tableSectionSchema = z.object({
  kind: z.literal('table'),
  heading,
  by: z.enum(['place', 'organisation']).describe('place: a row per commune (the units under the place); organisation: a row per agency that reported'),
  place: placeCodeSchema.optional().describe('The unit whose communes or agencies are listed; default: the province'),
  indicators: z.array(indicatorCodeSchema).min(1).max(8).describe('A column per indicator, in this order'),
});

export const chartSectionSchema = z.object({
  kind: z.literal('chart'),
  heading,
  chart: z
    .enum(['months', 'places'])
    .describe('months: a line of the indicator month by month up to the report’s month, with the same months a year before; places: a bar per commune (the units under `place`) for the report’s period, largest first'),
  indicator: indicatorCodeSchema,
  place: placeCodeSchema.optional().describe('months: the unit charted; places: the unit whose communes are charted; default: the province'),
  months: z.number().int().min(3).max(36).optional().describe('months: how many months are drawn, the report’s month the last; default 12'),
  top: z.number().int().min(3).max(40).optional().describe('places: how many units are drawn, the largest; default 15'),
});

export const reportSectionSchema = z.discriminatedUnion('kind', [textSectionSchema, tableSectionSchema, chartSectionSchema]);
export type ReportSection = z.infer<typeof reportSectionSchema>;

export const reportTemplateSchema = z
  .object({
    version: z.literal(1),
    code: reportTemplateCodeSchema,
    demo: z.boolean().optional().describe('An example shipped with the demo data'),
    title: localisedSchema.describe('The report’s title; the Vietnamese one heads the document'),
    issuer: z.string().max(200).optional().describe('Who issues it, above the title (e.g. "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG")'),
    sections: z.array(reportSectionSchema).min(1).max(60),
  })
  .strict();
export type ReportTemplate = z.infer<typeof reportTemplateSchema>;
export type ReportTemplateInput = z.input<typeof reportTemplateSchema>;

export const reportTemplateSummarySchema = z.object({
  code: reportTemplateCodeSchema,
  title: localisedSchema,
  demo: z.boolean().optional(),
  sections: z.number().int(),
  updatedAt: z.string(),
});
export type ReportTemplateSummary = z.infer<typeof reportTemplateSummarySchema>;

export interface Placeholder {
  /** The text as written, braces included. */
  text: string;
  kind: PlaceholderKind;
  indicator: string;
  /** Null: the province served. */
  place: string | null;
}

/** A problem with a template, where it is (`sections.2.paragraphs.0`) and why. */
export interface TemplateIssue {
  path: string;
  reason: 'unknown_placeholder' | 'unknown_indicator' | string;
  message: string;
}

const ANY = /\{\{([^{}]*)\}\}/g;
const ONE = /^\s*([a-z_]+):([A-Z][A-Z0-9_]{0,63})(?:@([0-9A-Za-z-]{1,20}))?\s*$/;

/** Reads one `{{…}}`: a placeholder, or why it is not one. */
export function readPlaceholder(text: string, inner: string): Placeholder | string {
  const m = ONE.exec(inner);
  if (!m) return `${text} is not a placeholder: write {{what:INDICATOR}} or {{what:INDICATOR@PLACE}}`;
  const kind = m[1] as PlaceholderKind;
  if (!PLACEHOLDER_KINDS.includes(kind)) return `${text}: "${m[1]}" is not a figure a placeholder names (${PLACEHOLDER_KINDS.join(', ')})`;
  return { text, kind, indicator: m[2]!, place: m[3] ?? null };
}

/** A paragraph cut into plain text and placeholders, in order. */
export function splitParagraph(paragraph: string): Array<string | Placeholder> {
  const parts: Array<string | Placeholder> = [];
  let last = 0;
  for (const m of paragraph.matchAll(ANY)) {
    if (m.index > last) parts.push(paragraph.slice(last, m.index));
    const p = readPlaceholder(m[0], m[1]!);
    parts.push(typeof p === 'string' ? m[0] : p);
    last = m.index + m[0].length;
  }
  if (last < paragraph.length) parts.push(paragraph.slice(last));
  return parts;
}

/**
 * What a template refers to, and what is wrong with it against a catalogue:
 * a `{{…}}` that is no placeholder, a placeholder or a table naming an
 * indicator the catalogue does not hold.
 */
export function checkTemplate(t: ReportTemplate, known: ReadonlySet<string>): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  t.sections.forEach((s, i) => {
    if (s.kind === 'text') {
      s.paragraphs.forEach((p, j) => {
        for (const m of p.matchAll(ANY)) {
          const read = readPlaceholder(m[0], m[1]!);
          const path = `sections.${i}.paragraphs.${j}`;
          if (typeof read === 'string') issues.push({ path, reason: 'unknown_placeholder', message: read });
          else if (!known.has(read.indicator)) issues.push({ path, reason: 'unknown_indicator', message: `${read.text}: no indicator has code ${read.indicator}` });
        }
      });
    } else if (s.kind === 'table') {
      s.indicators.forEach((code, j) => {
        if (!known.has(code)) issues.push({ path: `sections.${i}.indicators.${j}`, reason: 'unknown_indicator', message: `no indicator has code ${code}` });
      });
    } else if (!known.has(s.indicator)) {
      issues.push({ path: `sections.${i}.indicator`, reason: 'unknown_indicator', message: `no indicator has code ${s.indicator}` });
    }
  });
  return issues;
}

/** Every placeholder of a template's text sections. */
export function reportPlaceholders(t: ReportTemplate): Placeholder[] {
  return t.sections.flatMap((s) => (s.kind === 'text' ? s.paragraphs.flatMap((p) => splitParagraph(p).filter((x): x is Placeholder => typeof x !== 'string')) : []));
}

/** Formats a number as Vietnamese documents write it: 1.234,5 (a dot between thousands, a comma before decimals). */
export function formatNumberVi(value: number, fractionDigits = 1): string {
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 }).format(value);
}

/** A date (YYYY-MM-DD, or an instant read in Vietnam time by the caller) as dd/mm/yyyy. */
export function formatDateVi(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
